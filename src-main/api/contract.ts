/**
 * The one typed contract between the console (React renderer) and the Node side.
 *
 * Implemented once in Node (console-api.ts) and carried by two transports: Electron IPC
 * (electron/ipc.ts + electron/preload.ts) and HTTP + Server-Sent Events (hosts/console-host.ts).
 * The renderer imports this file, so it must stay free of node and electron imports: everything
 * here is a type, except the two name tables below, which are plain data that make the compiler
 * check that every transport knows every command and event (adding a command is one edit here).
 */
import type { RequestLogEntry } from '../traffic/exchange-record.js';
import type { ScimErrorBody } from '../scim/errors.js';
import type { RunEvent } from '../runner/run-events.js';
import type { RunRecord } from '../runner/run-record.js';
import type { RunDiff } from '../diffs/diff.js';
import type { IdpEvent, PersonKey, GroupKey } from '../idp/events.js';
import type { IdpGroup, Person, TargetLinks } from '../idp/directory.js';
import type { ProfileName } from '../idp/profile.js';

export type { RequestLogEntry, ScimErrorBody, RunEvent, RunRecord, RunDiff, IdpEvent, IdpGroup, Person, TargetLinks, ProfileName };

export type ResourceType = 'User' | 'Group';

export interface ServerInfo {
  readonly baseUrl: string;
  readonly token: string;
  /** The URL that opens this console in a browser, with its secret; absent when not served over HTTP. */
  readonly consoleUrl?: string;
  readonly dbFile?: string;
  readonly users: number;
  readonly groups: number;
  /** Which host runs the console: Electron (IPC, safeStorage, native dialogs) or the browser host. */
  readonly host: 'electron' | 'browser';
  /** Saved targets' secrets survive a restart (Electron's safeStorage); false in the browser host. */
  readonly secretsPersisted: boolean;
  /** Where the console keeps targets, the IdP directory and run history; absent when in memory. */
  readonly dataDir?: string;
}

export interface ListResourcesArgs {
  readonly type: ResourceType;
  /** A SCIM filter expression, passed to the server verbatim. */
  readonly filter?: string;
  /** 1-based, as in SCIM. */
  readonly startIndex?: number;
  readonly count?: number;
  /** A SCIM attribute path (`userName`, `meta.created`), passed to the server as `sortBy`. */
  readonly sortBy?: string;
  /** The server's default is ascending (RFC 7644 §3.4.2.3). */
  readonly sortOrder?: 'ascending' | 'descending';
}

/** A SCIM resource as JSON. Typed loosely: the console only presents what the server returned. */
export interface ScimResourceJson {
  readonly id: string;
  readonly schemas: readonly string[];
  readonly [attribute: string]: unknown;
}

/** RFC 7644 §3.4.2 ListResponse. */
export interface ScimListResponse {
  readonly schemas: readonly string[];
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: readonly ScimResourceJson[];
}

/**
 * A list either succeeds or carries the server's SCIM error verbatim. A union rather than a thrown
 * error because Electron IPC flattens thrown errors into a message string, and the console must
 * show the server's `scimType` and `detail` (e.g. an invalid filter) exactly as a client sees them.
 */
export type ListResourcesResult =
  | { readonly ok: true; readonly status: number; readonly list: ScimListResponse }
  | { readonly ok: false; readonly status: number; readonly error: ScimErrorBody };

/** A resource by id, or the server's SCIM error (404) verbatim. */
export type GetResourceResult =
  | { readonly ok: true; readonly resource: ScimResourceJson }
  | { readonly ok: false; readonly status: number; readonly error: ScimErrorBody };

// ── Targets ────────────────────────────────────────────────────────────────────────────────────

/**
 * A target's auth as the renderer sends it when saving. A secret field left out on an existing
 * target keeps the saved secret: the renderer never gets secrets back, so it cannot resend them.
 */
export type TargetAuthInput =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token?: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password?: string }
  | { readonly kind: 'header'; readonly name: string; readonly value?: string }
  | {
      readonly kind: 'oauth-client-credentials';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret?: string;
      readonly scope?: string;
      readonly clientAuthentication?: 'basic' | 'body';
    };

/** A target's auth as the renderer sees it: the kind and its non-secret fields, never a secret. */
export type TargetAuthView =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly secretSaved: boolean }
  | { readonly kind: 'basic'; readonly username: string; readonly secretSaved: boolean }
  | { readonly kind: 'header'; readonly name: string; readonly secretSaved: boolean }
  | {
      readonly kind: 'oauth-client-credentials';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly scope?: string;
      readonly clientAuthentication: 'basic' | 'body';
      readonly secretSaved: boolean;
    };

export interface TargetSummary {
  /** `local`, `practice:<name>`, or the id given to a saved remote target. */
  readonly id: string;
  readonly kind: 'local' | 'practice' | 'remote';
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: TargetAuthView;
  /** Accept a self-signed certificate (remote targets only, and only when ticked). */
  readonly insecure: boolean;
  readonly timeoutMs?: number;
  /** Built-in targets (local, practice) cannot be edited or deleted. */
  readonly builtIn: boolean;
}

export interface SaveTargetArgs {
  /** Absent to create a target; an existing remote target's id to edit it. */
  readonly id?: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: TargetAuthInput;
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
}

// ── Scenarios ──────────────────────────────────────────────────────────────────────────────────

/** Which scenario to run or read: a built-in, a file in an opened folder, or unsaved editor text. */
export type ScenarioRef =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'text'; readonly text: string; readonly fileName?: string };

export interface ScenarioInfo {
  readonly ref: ScenarioRef;
  readonly name: string;
  readonly description: string;
  readonly profile?: ProfileName;
  readonly steps: number;
  /** The file's problems when it does not load (a file in a folder may be broken). */
  readonly issues?: readonly ScenarioProblem[];
}

/** One problem in a scenario's text, at its line and column (1-based) when it has a place. */
export interface ScenarioProblem {
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface ScenarioFolder {
  readonly folder: string;
  /** The `.yaml`, `.yml` and `.json` scenario files directly in the folder, by name. */
  readonly files: readonly ScenarioInfo[];
}

export interface ScenarioText {
  readonly text: string;
  /** Read-only for built-ins. */
  readonly readOnly: boolean;
  readonly path?: string;
}

// ── Runs and history ───────────────────────────────────────────────────────────────────────────

export interface StartRunArgs {
  readonly scenario: ScenarioRef;
  /** A target id (TargetSummary.id). */
  readonly target: string;
  /** Overrides the scenario's own profile. */
  readonly profile?: ProfileName;
  /** Run the same scenario with the same seed against a second target, side by side. */
  readonly compareTarget?: string;
  readonly exact?: boolean;
  readonly keep?: boolean;
  readonly seed?: number;
}

/** One action of the IdP view: the event sent as that IdP sends it, with the console's IdP directory. */
export interface IdpActionArgs {
  readonly profile: ProfileName;
  readonly target: string;
  readonly event: IdpEvent;
}

export interface StartedRun {
  readonly runId: string;
  /** The run against `compareTarget`, when one was asked for. */
  readonly compareRunId?: string;
}

/** A run in the history list: what it was and how it ended, without its exchanges. */
export interface RunListItem {
  readonly id: string;
  readonly kind: 'scenario' | 'action';
  readonly scenario: string;
  /** Where the scenario came from, so History can run it again (absent for IdP actions). */
  readonly scenarioRef?: ScenarioRef;
  readonly profile: string;
  readonly target: { readonly id: string; readonly name: string; readonly baseUrl: string };
  readonly startedAt: string;
  /** Absent while the run is in progress. */
  readonly summary?: RunRecord['summary'];
  /** The other run of a side-by-side pair. */
  readonly pairedWith?: string;
  /** This run is the saved baseline of its scenario on its target. */
  readonly baseline: boolean;
}

export type ReportFormat = 'html' | 'junit' | 'json' | 'har';

export interface ExportedReport {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

// ── The IdP's directory ────────────────────────────────────────────────────────────────────────

export interface IdpDirectoryView {
  readonly people: readonly Person[];
  readonly groups: readonly IdpGroup[];
  /** What the IdP has learned about each target, by target id. */
  readonly links: Readonly<Record<string, TargetLinks>>;
}

/** A person as the IdP view edits it; `key` of an existing person edits it. */
export type PersonInput = Omit<Person, 'objectId'> & { readonly objectId?: string };
export type GroupInput = Omit<IdpGroup, 'objectId'> & { readonly objectId?: string };

/** Every command returns a Promise so that IPC, HTTP and in-process implementations share one shape. */
export interface ConsoleCommands {
  getServerInfo(): Promise<ServerInfo>;
  listResources(args: ListResourcesArgs): Promise<ListResourcesResult>;
  recentRequests(): Promise<RequestLogEntry[]>;

  // The local provider.
  getResource(type: ResourceType, id: string): Promise<GetResourceResult>;
  /** Empties the local directory (the token stays). */
  resetDirectory(): Promise<void>;
  /** Replaces the local directory with an exported one (the JSON `exportDirectory` returns). */
  importDirectory(json: string): Promise<{ readonly users: number; readonly groups: number }>;
  exportDirectory(): Promise<string>;
  /** The logged exchanges with these seqs (all of the log when absent) as a HAR 1.2 file. */
  exportTrafficHar(seqs?: readonly number[]): Promise<ExportedReport>;
  /** A scenario of raw `request` steps replaying these logged exchanges (YAML text). */
  scenarioFromTraffic(seqs: readonly number[], name?: string): Promise<string>;

  // Targets.
  listTargets(): Promise<TargetSummary[]>;
  saveTarget(args: SaveTargetArgs): Promise<TargetSummary>;
  deleteTarget(id: string): Promise<void>;

  // Scenarios.
  listBuiltinScenarios(): Promise<ScenarioInfo[]>;
  /** Electron: a native folder picker; the browser host answers null (the page asks for a path). */
  pickScenarioFolder(): Promise<string | null>;
  openScenarioFolder(folder: string): Promise<ScenarioFolder>;
  readScenario(ref: ScenarioRef): Promise<ScenarioText>;
  /** Writes a file of an opened folder (or a new one in it); refuses paths outside opened folders. */
  saveScenarioFile(path: string, text: string): Promise<ScenarioInfo>;
  /** Every problem the loader finds in the text (schema, references), each at its line. */
  validateScenario(text: string, fileName?: string): Promise<ScenarioProblem[]>;
  /** The scenario JSON Schema, for the editor's completion and hover. */
  scenarioSchema(): Promise<unknown>;

  // Runs: everything that sends traffic is a run, streamed as `run` events.
  startRun(args: StartRunArgs): Promise<StartedRun>;
  runIdpAction(args: IdpActionArgs): Promise<StartedRun>;
  cancelRun(runId: string): Promise<void>;

  // History.
  listRuns(): Promise<RunListItem[]>;
  /** The full record, or its events so far while the run is in progress. */
  getRun(runId: string): Promise<RunRecord>;
  deleteRun(runId: string): Promise<void>;
  diffRuns(a: string, b: string): Promise<RunDiff>;
  /** Marks the run as the baseline of its scenario on its target (replacing the previous one). */
  setBaseline(runId: string): Promise<void>;
  /** The baseline of the run's scenario on its target compared with the run, if there is one. */
  diffWithBaseline(runId: string): Promise<RunDiff | null>;
  exportRun(runId: string, format: ReportFormat): Promise<ExportedReport>;

  // The IdP's own directory.
  getIdpDirectory(): Promise<IdpDirectoryView>;
  savePerson(person: PersonInput): Promise<Person>;
  deletePerson(key: PersonKey): Promise<void>;
  saveGroup(group: GroupInput): Promise<IdpGroup>;
  deleteIdpGroup(key: GroupKey): Promise<void>;
  /** Back to the seeded people and groups; forgets every target's links. */
  resetIdpDirectory(): Promise<void>;
}

export interface DirectoryChange {
  readonly op: 'put' | 'delete';
  readonly type: ResourceType;
  readonly id: string;
}

/**
 * One durable commit of the directory: sent once per commit, after it is on disk, naming what
 * changed rather than carrying it (the console re-reads what it shows).
 */
export interface DirectoryCommit {
  /** The store's commit sequence; consecutive commits differ by one. */
  readonly seq: number;
  /** `seq` of the request-log entry whose exchange caused the commit, when one did. */
  readonly exchange?: number;
  /** The directory was emptied first (reset, import): resources not in `changes` are gone. */
  readonly cleared?: true;
  readonly changes: readonly DirectoryChange[];
}

/** One event of one run, in order; `runId` says which (a side-by-side pair streams two). */
export interface RunStreamEvent {
  readonly runId: string;
  readonly event: RunEvent;
}

export interface ConsoleEvents {
  request: RequestLogEntry;
  change: DirectoryCommit;
  run: RunStreamEvent;
  /** The run history changed (a run started, finished, was deleted or became a baseline). */
  history: { readonly runs: number };
  /** The IdP's directory or its links changed. */
  idp: { readonly revision: number };
  /** The saved targets changed. */
  targets: { readonly count: number };
}

export type ConsoleCommandName = keyof ConsoleCommands;
export type ConsoleEventName = keyof ConsoleEvents;
export type ConsoleEventListener<E extends ConsoleEventName> = (payload: ConsoleEvents[E]) => void;

/** What the renderer talks to, whatever the transport: `window.scimulator` has exactly this shape. */
export interface ConsoleBridge extends ConsoleCommands {
  /** Subscribes to a live event; returns the unsubscribe function. */
  on<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void;
}

/**
 * Runtime tables of names, exhaustive by `satisfies`: a transport that routes by name (the HTTP
 * host, the IPC registration) accepts only these, so nothing outside the contract is reachable.
 */
export const CONSOLE_COMMANDS = {
  getServerInfo: true,
  listResources: true,
  recentRequests: true,
  getResource: true,
  resetDirectory: true,
  importDirectory: true,
  exportDirectory: true,
  exportTrafficHar: true,
  scenarioFromTraffic: true,
  listTargets: true,
  saveTarget: true,
  deleteTarget: true,
  listBuiltinScenarios: true,
  pickScenarioFolder: true,
  openScenarioFolder: true,
  readScenario: true,
  saveScenarioFile: true,
  validateScenario: true,
  scenarioSchema: true,
  startRun: true,
  runIdpAction: true,
  cancelRun: true,
  listRuns: true,
  getRun: true,
  deleteRun: true,
  diffRuns: true,
  setBaseline: true,
  diffWithBaseline: true,
  exportRun: true,
  getIdpDirectory: true,
  savePerson: true,
  deletePerson: true,
  saveGroup: true,
  deleteIdpGroup: true,
  resetIdpDirectory: true,
} as const satisfies Record<ConsoleCommandName, true>;

export const CONSOLE_EVENTS = {
  request: true,
  change: true,
  run: true,
  history: true,
  idp: true,
  targets: true,
} as const satisfies Record<ConsoleEventName, true>;

export function isConsoleCommand(name: string): name is ConsoleCommandName {
  return Object.hasOwn(CONSOLE_COMMANDS, name);
}

export function isConsoleEvent(name: string): name is ConsoleEventName {
  return Object.hasOwn(CONSOLE_EVENTS, name);
}

/**
 * The User-Agent of requests the console makes on its own behalf (table refreshes), so the traffic
 * panel can tell them from the traffic of the client under test and hide them by default.
 */
export const CONSOLE_USER_AGENT = 'Scimulator-Console/1';

/** IPC channel names, shared by main and preload so the two cannot drift apart. */
export const ipcCommandChannel = (name: ConsoleCommandName): `scimulator:command:${ConsoleCommandName}` =>
  `scimulator:command:${name}`;
export const ipcEventChannel = (name: ConsoleEventName): `scimulator:event:${ConsoleEventName}` =>
  `scimulator:event:${name}`;
