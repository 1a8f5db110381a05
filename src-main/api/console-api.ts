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
  ResourceType,
  ScimListResponse,
} from './contract.js';

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

const RESOURCE_PATHS: Record<ResourceType, string> = { User: 'Users', Group: 'Groups' };

export function createConsoleApi(provider: ConsoleProvider): ConsoleApi {
  // The path prefix the handler expects (`/scim/v2`), derived once from the advertised base URL.
  const basePath = new URL(provider.baseUrl).pathname.replace(/\/$/, '');

  const api = {
    async getServerInfo() {
      return {
        baseUrl: provider.baseUrl,
        token: provider.token,
        ...(provider.consoleUrl === undefined ? {} : { consoleUrl: provider.consoleUrl }),
        ...(provider.dbFile === undefined ? {} : { dbFile: provider.dbFile }),
        users: provider.store.count('User'),
        groups: provider.store.count('Group'),
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
      const url = `${basePath}/${RESOURCE_PATHS[type]}${query.length ? `?${query.join('&')}` : ''}`;

      const response = await provider.handle({
        method: 'GET',
        url,
        origin: provider.origin,
        headers: {
          authorization: `Bearer ${provider.token}`,
          accept: 'application/scim+json',
          'user-agent': CONSOLE_USER_AGENT,
        },
      });
      const body = parseJson(response.body);
      if (response.status === 200 && isListResponse(body)) return { ok: true, status: 200, list: body };
      return { ok: false, status: response.status, error: asErrorBody(response.status, body) };
    },

    async recentRequests() {
      return provider.log.entries();
    },

    subscribe<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void {
      // The casts are sound: `event` selects which listener type E is, and each branch passes that
      // event's own payload type.
      if (event === 'request') return provider.log.subscribe(listener as ConsoleEventListener<'request'>);
      return provider.store.subscribe(listener as ConsoleEventListener<'change'>);
    },
  } satisfies ConsoleApi;
  return api;
}

const COMMAND_ARITY = {
  getServerInfo: 0,
  listResources: 1,
  recentRequests: 0,
} as const satisfies Record<ConsoleCommandName, number>;

/**
 * Dispatches a contract command with positional arguments received from a transport (IPC or
 * HTTP), so neither transport indexes the API with a string. The `never` check turns a new
 * command into a compile error here until it is routed.
 */
export async function runConsoleCommand(api: ConsoleApi, name: ConsoleCommandName, args: readonly unknown[]): Promise<unknown> {
  if (args.length > COMMAND_ARITY[name]) {
    throw new InvalidCommandArguments(`${name} takes ${COMMAND_ARITY[name]} argument(s), got ${args.length}`);
  }
  switch (name) {
    case 'getServerInfo':
      return api.getServerInfo();
    case 'recentRequests':
      return api.recentRequests();
    case 'listResources':
      // The API validates the shape itself (checkListArgs): it is the one place that knows the rules.
      return api.listResources(args[0] as ListResourcesArgs);
    default: {
      const unrouted: never = name;
      throw new InvalidCommandArguments(`Unknown command ${String(unrouted)}`);
    }
  }
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
