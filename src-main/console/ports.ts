/**
 * How the console's Node side is composed: each service implements one slice of the contract's
 * commands, and they meet only through the small ports below. console-api.ts merges the slices
 * into the one ConsoleApi both transports carry; a compile-time check says the slices cover the
 * whole contract, so a new command cannot be forgotten.
 *
 * Nothing here imports electron: the Electron main process and the browser host (`serve`) pass
 * their own SecretVault and folder picker.
 */
import type { ConsoleCommands, ConsoleEvents, ConsoleEventName, TargetSummary } from '../api/contract.js';
import type { Target } from '../runner/target.js';
import type { IdpDirectory } from '../idp/directory.js';

export type ProviderCommands = Pick<
  ConsoleCommands,
  | 'getServerInfo'
  | 'listResources'
  | 'recentRequests'
  | 'getResource'
  | 'resetDirectory'
  | 'importDirectory'
  | 'exportDirectory'
  | 'exportTrafficHar'
  | 'scenarioFromTraffic'
>;
export type TargetCommands = Pick<ConsoleCommands, 'listTargets' | 'saveTarget' | 'deleteTarget'>;
export type ScenarioCommands = Pick<
  ConsoleCommands,
  'listBuiltinScenarios' | 'pickScenarioFolder' | 'openScenarioFolder' | 'readScenario' | 'saveScenarioFile' | 'validateScenario' | 'scenarioSchema'
>;
export type RunCommands = Pick<
  ConsoleCommands,
  'startRun' | 'runIdpAction' | 'cancelRun' | 'listRuns' | 'getRun' | 'deleteRun' | 'diffRuns' | 'setBaseline' | 'diffWithBaseline' | 'exportRun'
>;
export type IdpDirectoryCommands = Pick<
  ConsoleCommands,
  'getIdpDirectory' | 'savePerson' | 'deletePerson' | 'saveGroup' | 'deleteIdpGroup' | 'resetIdpDirectory'
>;

type Covered = keyof (ProviderCommands & TargetCommands & ScenarioCommands & RunCommands & IdpDirectoryCommands);
type Uncovered = Exclude<keyof ConsoleCommands, Covered>;
const everyCommandHasAService: [Uncovered] extends [never] ? true : Uncovered = true;
void everyCommandHasAService;

/** Where services publish the contract's live events (the transports fan them out). */
export interface ConsoleEventSink {
  emit<E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]): void;
}

/**
 * Encrypts secrets at rest. Electron: `safeStorage` (persistent: true). The browser host keeps
 * secrets in memory only (persistent: false) and never writes them to disk.
 */
export interface SecretVault {
  readonly persistent: boolean;
  /** Returns what to store; undefined when the vault keeps secrets in memory only. */
  seal(plain: string): string | undefined;
  open(sealed: string): string;
}

/** The targets a run can use, by id (TargetSummary.id): what the runs service asks the targets service. */
export interface TargetCatalog {
  describe(id: string): TargetSummary;
  /**
   * A Target to send to. `local` is the running provider itself (its traffic shows in the local
   * provider's views); practice targets live for the session, so a second action sees the first.
   * The caller closes what it opened (closing a shared target is a no-op).
   */
  open(id: string): Promise<Target>;
}

/** The console's IdP directory, kept in its own lowdb file: what the runs service updates during actions. */
export interface IdpDirectoryHolder {
  readonly directory: IdpDirectory;
  /** Writes it back and announces the change (`idp` event). */
  save(): Promise<void>;
}
