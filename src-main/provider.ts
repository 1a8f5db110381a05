/**
 * The SCIM service provider composed in memory: store + request log + handler, with no socket.
 * The mock IdP and the tests drive it in-process through `handle`, exactly as an HTTP client
 * would; hosts/provider-host.ts puts it on a port for the CLI and the desktop app.
 */
import { randomBytes } from 'node:crypto';
import { DirectoryStore } from './store/directory-store.js';
import { DEFAULT_BASE_PATH, createScimHandler } from './scim/handler.js';
import { RequestLog } from './traffic/request-log.js';
import type { ScimHandler } from './scim/http-types.js';
import { DEFAULT_LIMITS, type ServerLimits } from './scim/discovery.js';
import { seedDirectory } from './seed.js';

export interface ProviderOptions {
  /** lowdb JSON file; undefined keeps the directory in memory. */
  readonly db?: string;
  /** Bearer token; when absent, the one saved in the database, or a new one that is then saved. */
  readonly token?: string;
  /** Fill an empty directory with this many realistic users and proportional groups. */
  readonly seed?: number;
  readonly logCapacity?: number;
  readonly limits?: Partial<ServerLimits>;
  /** Clock for `meta` timestamps and the request log; default the system clock. */
  readonly now?: () => Date;
  /** Ids of created resources; default random UUIDs. */
  readonly newId?: () => string;
  /**
   * Failures the operator must hear of: requests answered 500 (a full disk, a bug) and failures
   * nobody awaits (a background compaction). Default: one line each on stderr.
   */
  readonly onError?: (error: Error) => void;
}

export interface Provider {
  /** Where the SCIM API is mounted on any host, e.g. `/scim/v2`. */
  readonly basePath: string;
  readonly token: string;
  readonly dbFile?: string;
  readonly limits: ServerLimits;
  readonly store: DirectoryStore;
  readonly log: RequestLog;
  /** The SCIM handler in-process: exactly what an HTTP client gets. */
  readonly handle: ScimHandler;
  /** Flushes and closes the directory; later requests fail. */
  close(): Promise<void>;
}

const TOKEN_SETTING = 'token';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function printError(error: Error): void {
  process.stderr.write(`scimulator: ${error.message}\n`);
}

export async function createProvider(options: ProviderOptions = {}): Promise<Provider> {
  const onError = options.onError ?? printError;
  const store = await DirectoryStore.open({
    ...(options.db === undefined ? {} : { file: options.db }),
    ...(options.now === undefined ? {} : { now: options.now }),
    onError,
  });
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
    const handle = createScimHandler({
      store,
      token,
      log,
      limits,
      basePath: DEFAULT_BASE_PATH,
      onInternalError: onError,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.newId === undefined ? {} : { newId: options.newId }),
    });
    let closing: Promise<void> | undefined;
    return {
      basePath: DEFAULT_BASE_PATH,
      token,
      ...(options.db !== undefined ? { dbFile: options.db } : {}),
      limits,
      store,
      log,
      handle,
      close() {
        closing ??= store.close();
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
