/**
 * The console's services for one host, composed: targets, the IdP directory, scenarios, runs and
 * history, each over its own file in the data directory (in memory when there is none), sharing
 * one event hub. The Electron main process and `scimulator serve` both call this; they differ only
 * in the vault (safeStorage or memory), the folder picker and where the data directory is.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsoleServices } from '../api/console-api.js';
import { createEventHub } from './event-hub.js';
import { openIdpDirectoryService } from './idp-directory-service.js';
import type { SecretVault } from './ports.js';
import { openTargetService, type LocalProvider } from './targets.js';
import { unavailable } from './unavailable.js';

export const TARGETS_FILE = 'targets.json';
export const IDP_DIRECTORY_FILE = 'idp-directory.json';
export const RUNS_FILE = 'runs.json';

export interface ConsoleServicesOptions {
  /** The running local provider: the `local` target, in process. */
  readonly provider: LocalProvider;
  /** Where targets.json, idp-directory.json and runs.json live; everything in memory when absent. */
  readonly dataDir?: string;
  readonly vault: SecretVault;
  /** A native folder picker (Electron); the browser host has none and answers null. */
  readonly pickFolder?: () => Promise<string | null>;
  readonly hostKind: 'electron' | 'browser';
}

export type ComposedConsoleServices = ConsoleServices & {
  /** Cancels runs in progress and releases targets; the files are already on disk. */
  close(): Promise<void>;
};

export async function createConsoleServices(options: ConsoleServicesOptions): Promise<ComposedConsoleServices> {
  const { dataDir } = options;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const file = (name: string): string | undefined => (dataDir === undefined ? undefined : join(dataDir, name));
  const events = createEventHub();

  const targets = await openTargetService({ file: file(TARGETS_FILE), vault: options.vault, local: options.provider, events });
  let idp;
  try {
    idp = await openIdpDirectoryService({ file: file(IDP_DIRECTORY_FILE), events });
  } catch (error) {
    await targets.close();
    throw error;
  }

  // TEMPORARY until the console-backend branch (scenarios, runs, history) is merged: those slices
  // answer "not available". Replaced by createScenarioService / openRunHistory / createRunService.
  const scenarios = unavailable([
    'listBuiltinScenarios',
    'pickScenarioFolder',
    'openScenarioFolder',
    'readScenario',
    'saveScenarioFile',
    'validateScenario',
    'scenarioSchema',
  ]);
  const runs = unavailable(['startRun', 'runIdpAction', 'cancelRun', 'listRuns', 'getRun', 'deleteRun', 'diffRuns', 'setBaseline', 'diffWithBaseline', 'exportRun']);

  let closing: Promise<void> | undefined;
  return {
    targets,
    scenarios,
    runs,
    idp,
    events,
    host: {
      kind: options.hostKind,
      secretsPersisted: options.vault.persistent,
      ...(dataDir === undefined ? {} : { dataDir }),
    },
    close() {
      closing ??= targets.close();
      return closing;
    },
  };
}
