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

export type { RequestLogEntry, ScimErrorBody };

export type ResourceType = 'User' | 'Group';

export interface ServerInfo {
  readonly baseUrl: string;
  readonly token: string;
  /** The URL that opens this console in a browser, with its secret; absent when not served over HTTP. */
  readonly consoleUrl?: string;
  readonly dbFile?: string;
  readonly users: number;
  readonly groups: number;
}

export interface ListResourcesArgs {
  readonly type: ResourceType;
  /** A SCIM filter expression, passed to the server verbatim. */
  readonly filter?: string;
  /** 1-based, as in SCIM. */
  readonly startIndex?: number;
  readonly count?: number;
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

/** Every command returns a Promise so that IPC, HTTP and in-process implementations share one shape. */
export interface ConsoleCommands {
  getServerInfo(): Promise<ServerInfo>;
  listResources(args: ListResourcesArgs): Promise<ListResourcesResult>;
  recentRequests(): Promise<RequestLogEntry[]>;
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

export interface ConsoleEvents {
  request: RequestLogEntry;
  change: DirectoryCommit;
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
} as const satisfies Record<ConsoleCommandName, true>;

export const CONSOLE_EVENTS = {
  request: true,
  change: true,
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
