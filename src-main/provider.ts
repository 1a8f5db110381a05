/**
 * The embeddable SCIM service provider: store + handler + request log + HTTP listener, started
 * and stopped in-process. The CLI (`scimulator serve`), the desktop app and the tests all start
 * the provider through this one function.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DirectoryStore } from './store/directory-store.js';
import { DEFAULT_BASE_PATH, createScimHandler } from './scim/handler.js';
import { RequestLog } from './scim/request-log.js';
import type { ScimHandler } from './scim/http-types.js';
import { DEFAULT_LIMITS, type ServerLimits } from './scim/discovery.js';
import { createHttpHost } from './hosts/http-server.js';
import { seedDirectory } from './seed.js';

export interface ProviderOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** lowdb JSON file; undefined keeps the directory in memory. */
  readonly db?: string;
  /** Bearer token; when absent, the one saved in the database, or a new one that is then saved. */
  readonly token?: string;
  /** Fill an empty directory with this many realistic users and proportional groups. */
  readonly seed?: number;
  readonly logCapacity?: number;
  readonly limits?: Partial<ServerLimits>;
  /** node:http requests outside the SCIM base path (the web console); default 404. */
  readonly fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface RunningProvider {
  readonly origin: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly dbFile?: string;
  readonly store: DirectoryStore;
  readonly log: RequestLog;
  /** The SCIM handler in-process: exactly what an HTTP client gets. */
  readonly handle: ScimHandler;
  close(): Promise<void>;
}

const TOKEN_SETTING = 'token';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startProvider(options: ProviderOptions = {}): Promise<RunningProvider> {
  const store = await DirectoryStore.open(options.db === undefined ? {} : { file: options.db });
  try {
    if (options.seed && options.seed > 0 && store.count('User') === 0 && store.count('Group') === 0) {
      await seedDirectory(store, options.seed);
    }
    let token = options.token ?? store.settings[TOKEN_SETTING];
    if (!token) {
      token = generateToken();
      await store.setSetting(TOKEN_SETTING, token);
    }
    const log = new RequestLog(options.logCapacity);
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const handle = createScimHandler({ store, token, log, limits });
    const host = createHttpHost(handle, {
      basePath: DEFAULT_BASE_PATH,
      maxPayloadSize: limits.maxPayloadSize,
      ...(options.fallback ? { fallback: options.fallback } : {}),
    });
    const hostname = options.host ?? '127.0.0.1';
    const address = await host.listen(options.port ?? 8080, hostname);
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const origin = `http://${shownHost}:${address.port}`;
    let closing: Promise<void> | undefined;
    return {
      origin,
      baseUrl: origin + DEFAULT_BASE_PATH,
      token,
      ...(options.db !== undefined ? { dbFile: options.db } : {}),
      store,
      log,
      handle,
      close() {
        closing ??= host.close().then(() => store.close());
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
