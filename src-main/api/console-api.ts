/**
 * The Node implementation of the console contract over a running provider. Both transports
 * (Electron IPC and the HTTP console host) wrap this one object, so they cannot disagree.
 *
 * Lists go through `provider.handle` with the bearer token rather than reading the store: the
 * console then shows exactly what a SCIM client would get, including the server's filter errors.
 */
import type { ScimHandler } from '../scim/http-types.js';
import type { RequestLogEntry } from '../traffic/exchange-record.js';
import type { ScimErrorBody } from '../scim/errors.js';
import { CONSOLE_USER_AGENT } from './contract.js';
import type {
  ConsoleCommandName,
  ConsoleCommands,
  ConsoleEventListener,
  ConsoleEventName,
  DirectoryCommit,
  ListResourcesArgs,
  ListResourcesResult,
  GetResourceResult,
  ResourceType,
  ScimListResponse,
  ScimResourceJson,
} from './contract.js';
import type { IdpDirectoryCommands, ProviderCommands, RunCommands, ScenarioCommands, TargetCommands } from '../console/ports.js';
import { createEventHub, type EventHub, type ServiceEventName } from '../console/event-hub.js';
import { unavailable } from '../console/unavailable.js';
import { readDirectoryDocument } from '../scim/directory-document.js';
import type { DirectoryDocument } from '../store/directory-store.js';

/**
 * The part of `RunningProvider` (src-main/provider.ts) the console needs. Structural on purpose:
 * the real provider satisfies it, and tests can pass a small fake without a server.
 */
export interface ConsoleProvider {
  readonly origin: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly dbFile?: string;
  /** The browser console's URL with its secret, when the provider is hosted with one. */
  readonly consoleUrl?: string;
  readonly store: {
    count(type: ResourceType): number;
    subscribe(listener: (commit: DirectoryCommit) => void): () => void;
    reset(): Promise<void>;
    importDocument(document: DirectoryDocument): Promise<void>;
    exportDocument(): DirectoryDocument;
  };
  readonly log: {
    entries(): RequestLogEntry[];
    subscribe(listener: (entry: RequestLogEntry) => void): () => void;
  };
  readonly handle: ScimHandler;
}

/** The contract's commands plus event subscription: what a transport needs to carry. */
export interface ConsoleApi extends ConsoleCommands {
  subscribe<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void;
}

/** Arguments a caller sent that the contract does not allow; transports report it as a 400. */
export class InvalidCommandArguments extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCommandArguments';
  }
}

/** The services behind the contract's other slices, and the hub their events go through. */
export interface ConsoleServices {
  readonly targets: TargetCommands;
  readonly scenarios: ScenarioCommands;
  readonly runs: RunCommands;
  readonly idp: IdpDirectoryCommands;
  readonly events: EventHub;
  /** Which host this is, for ServerInfo. */
  readonly host: { readonly kind: 'electron' | 'browser'; readonly secretsPersisted: boolean; readonly dataDir?: string };
}

const RESOURCE_PATHS: Record<ResourceType, string> = { User: 'Users', Group: 'Groups' };

export function createConsoleApi(provider: ConsoleProvider, services: Partial<ConsoleServices> = {}): ConsoleApi {
  const events = services.events ?? createEventHub();
  const host = services.host ?? { kind: 'browser', secretsPersisted: false };
  const providerCommands = createProviderCommands(provider, host);
  const api: ConsoleApi = {
    ...providerCommands,
    ...(services.targets ?? unavailable(['listTargets', 'saveTarget', 'deleteTarget'])),
    ...(services.scenarios ??
      unavailable(['listBuiltinScenarios', 'pickScenarioFolder', 'openScenarioFolder', 'readScenario', 'saveScenarioFile', 'validateScenario', 'scenarioSchema'])),
    ...(services.runs ??
      unavailable(['startRun', 'runIdpAction', 'cancelRun', 'listRuns', 'getRun', 'deleteRun', 'diffRuns', 'setBaseline', 'diffWithBaseline', 'exportRun'])),
    ...(services.idp ?? unavailable(['getIdpDirectory', 'savePerson', 'deletePerson', 'saveGroup', 'deleteIdpGroup', 'resetIdpDirectory'])),
    subscribe<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void {
      // The casts are sound: `event` selects which listener type E is, and each branch passes that
      // event's own payload type.
      if (event === 'request') return provider.log.subscribe(listener as ConsoleEventListener<'request'>);
      if (event === 'change') return provider.store.subscribe(listener as ConsoleEventListener<'change'>);
      return events.subscribe(event as ServiceEventName, listener as ConsoleEventListener<ServiceEventName>);
    },
  };
  return api;
}

/** The local provider's slice: everything goes through its handler, as a SCIM client's would. */
function createProviderCommands(provider: ConsoleProvider, host: ConsoleServices['host']): ProviderCommands {
  // The path prefix the handler expects (`/scim/v2`), derived once from the advertised base URL.
  const basePath = new URL(provider.baseUrl).pathname.replace(/\/$/, '');
  const get = (url: string) =>
    provider.handle({
      method: 'GET',
      url,
      origin: provider.origin,
      headers: {
        authorization: `Bearer ${provider.token}`,
        accept: 'application/scim+json',
        'user-agent': CONSOLE_USER_AGENT,
      },
    });

  return {
    async getServerInfo() {
      return {
        baseUrl: provider.baseUrl,
        token: provider.token,
        ...(provider.consoleUrl === undefined ? {} : { consoleUrl: provider.consoleUrl }),
        ...(provider.dbFile === undefined ? {} : { dbFile: provider.dbFile }),
        users: provider.store.count('User'),
        groups: provider.store.count('Group'),
        host: host.kind,
        secretsPersisted: host.secretsPersisted,
        ...(host.dataDir === undefined ? {} : { dataDir: host.dataDir }),
      };
    },

    async listResources(args: ListResourcesArgs): Promise<ListResourcesResult> {
      const { type, filter, startIndex, count } = checkListArgs(args);
      const query: string[] = [];
      // encodeURIComponent rather than URLSearchParams: `+` for spaces is form encoding, which a
      // strict SCIM server need not accept; `%20` is unambiguous.
      if (filter !== undefined && filter.trim() !== '') query.push(`filter=${encodeURIComponent(filter)}`);
      if (startIndex !== undefined) query.push(`startIndex=${startIndex}`);
      if (count !== undefined) query.push(`count=${count}`);
      const response = await get(`${basePath}/${RESOURCE_PATHS[type]}${query.length ? `?${query.join('&')}` : ''}`);
      const body = parseJson(response.body);
      if (response.status === 200 && isListResponse(body)) return { ok: true, status: 200, list: body };
      return { ok: false, status: response.status, error: asErrorBody(response.status, body) };
    },

    async recentRequests() {
      return provider.log.entries();
    },

    async getResource(type: ResourceType, id: string): Promise<GetResourceResult> {
      if (type !== 'User' && type !== 'Group') throw new InvalidCommandArguments('type must be "User" or "Group"');
      if (typeof id !== 'string' || id === '') throw new InvalidCommandArguments('id must be a non-empty string');
      const response = await get(`${basePath}/${RESOURCE_PATHS[type]}/${encodeURIComponent(id)}`);
      const body = parseJson(response.body);
      if (response.status === 200 && isResource(body)) return { ok: true, resource: body };
      return { ok: false, status: response.status, error: asErrorBody(response.status, body) };
    },

    async resetDirectory() {
      await provider.store.reset();
    },

    async importDirectory(json: string) {
      if (typeof json !== 'string') throw new InvalidCommandArguments('importDirectory expects the exported JSON as a string');
      let document: DirectoryDocument;
      try {
        document = readDirectoryDocument(JSON.parse(json) as unknown);
      } catch (error) {
        throw new InvalidCommandArguments(`Not a Scimulator directory export: ${(error as Error).message}`);
      }
      await provider.store.importDocument(document);
      return { users: provider.store.count('User'), groups: provider.store.count('Group') };
    },

    async exportDirectory() {
      return `${JSON.stringify(provider.store.exportDocument(), null, 2)}\n`;
    },
  };
}

/** How many arguments each command takes at most: a transport refuses more before dispatching. */
const COMMAND_ARITY = {
  getServerInfo: 0,
  listResources: 1,
  recentRequests: 0,
  getResource: 2,
  resetDirectory: 0,
  importDirectory: 1,
  exportDirectory: 0,
  listTargets: 0,
  saveTarget: 1,
  deleteTarget: 1,
  listBuiltinScenarios: 0,
  pickScenarioFolder: 0,
  openScenarioFolder: 1,
  readScenario: 1,
  saveScenarioFile: 2,
  validateScenario: 2,
  scenarioSchema: 0,
  startRun: 1,
  runIdpAction: 1,
  cancelRun: 1,
  listRuns: 0,
  getRun: 1,
  deleteRun: 1,
  diffRuns: 2,
  setBaseline: 1,
  diffWithBaseline: 1,
  exportRun: 2,
  getIdpDirectory: 0,
  savePerson: 1,
  deletePerson: 1,
  saveGroup: 1,
  deleteIdpGroup: 1,
  resetIdpDirectory: 0,
} as const satisfies Record<ConsoleCommandName, number>;

/**
 * Dispatches a contract command with positional arguments received from a transport (IPC or
 * HTTP). Every command checks its own arguments' shape (they arrive as untrusted JSON); this
 * refuses only surplus arguments, and names outside the contract cannot reach it (the transports
 * route by CONSOLE_COMMANDS).
 */
export async function runConsoleCommand(api: ConsoleApi, name: ConsoleCommandName, args: readonly unknown[]): Promise<unknown> {
  if (!Object.hasOwn(COMMAND_ARITY, name)) throw new InvalidCommandArguments(`Unknown command ${String(name)}`);
  if (args.length > COMMAND_ARITY[name]) {
    throw new InvalidCommandArguments(`${name} takes ${COMMAND_ARITY[name]} argument(s), got ${args.length}`);
  }
  // The cast is the transport boundary: each command validates its untrusted arguments itself.
  const command = api[name] as (...commandArgs: unknown[]) => Promise<unknown>;
  return command(...args);
}

function checkListArgs(args: unknown): ListResourcesArgs {
  if (typeof args !== 'object' || args === null) throw new InvalidCommandArguments('listResources expects an object');
  const { type, filter, startIndex, count } = args as Record<string, unknown>;
  if (type !== 'User' && type !== 'Group') throw new InvalidCommandArguments('type must be "User" or "Group"');
  if (filter !== undefined && typeof filter !== 'string') throw new InvalidCommandArguments('filter must be a string');
  for (const [name, value] of [['startIndex', startIndex], ['count', count]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
      throw new InvalidCommandArguments(`${name} must be a non-negative integer`);
    }
  }
  return {
    type,
    ...(filter === undefined ? {} : { filter }),
    ...(startIndex === undefined ? {} : { startIndex: startIndex as number }),
    ...(count === undefined ? {} : { count: count as number }),
  };
}

function parseJson(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isResource(body: unknown): body is ScimResourceJson {
  return typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string';
}

function isListResponse(body: unknown): body is ScimListResponse {
  return typeof body === 'object' && body !== null && typeof (body as { totalResults?: unknown }).totalResults === 'number';
}

/** The server's error body when it sent one; otherwise an equivalent built from the status. */
function asErrorBody(status: number, body: unknown): ScimErrorBody {
  if (typeof body === 'object' && body !== null && typeof (body as { detail?: unknown }).detail === 'string') {
    return body as ScimErrorBody;
  }
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    detail: `The server answered ${status} without a SCIM error body`,
  };
}
