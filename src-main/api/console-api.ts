/**
 * The Node implementation of the console contract: the local provider's slice
 * (console/provider-commands.ts) and the services of src-main/console/ merged into one object that
 * both transports (Electron IPC and the HTTP console host) wrap, so they cannot disagree.
 */
import type { ScimHandler } from '../scim/http-types.js';
import type { RequestLogEntry } from '../traffic/exchange-record.js';
import type {
  ConsoleCommandName,
  ConsoleCommands,
  ConsoleEventListener,
  ConsoleEventName,
  DirectoryCommit,
  ResourceType,
} from './contract.js';
import type { IdpDirectoryCommands, RunCommands, ScenarioCommands, TargetCommands } from '../console/ports.js';
import { createEventHub, type EventHub, type ServiceEventName } from '../console/event-hub.js';
import { unavailable } from '../console/unavailable.js';
import type { DirectoryDocument } from '../store/directory-store.js';
import { InvalidCommandArguments } from '../console/invalid-arguments.js';
import { createProviderCommands } from '../console/provider-commands.js';

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

export { InvalidCommandArguments };

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

/** How many arguments each command takes at most: a transport refuses more before dispatching. */
const COMMAND_ARITY = {
  getServerInfo: 0,
  listResources: 1,
  recentRequests: 0,
  getResource: 2,
  resetDirectory: 0,
  importDirectory: 1,
  exportDirectory: 0,
  exportTrafficHar: 1,
  scenarioFromTraffic: 2,
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
