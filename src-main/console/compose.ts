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
import type { IdpDirectoryHolder, SecretVault, TargetCatalog } from './ports.js';
import { openTargetService, type LocalProvider } from './targets.js';
import { openRunHistory, type RunHistory } from './run-history.js';
import { createRunService } from './runs.js';
import { createScenarioService } from './scenarios.js';

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
  /** The targets as runs open them (tests use it to check what a target really receives). */
  readonly targetCatalog: TargetCatalog;
  /** The IdP directory as runs update it. */
  readonly idpDirectory: IdpDirectoryHolder;
  /** Cancels runs in progress and releases targets; the files are already on disk. */
  close(): Promise<void>;
};

export async function createConsoleServices(options: ConsoleServicesOptions): Promise<ComposedConsoleServices> {
  const { dataDir } = options;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const file = (name: string): string | undefined => (dataDir === undefined ? undefined : join(dataDir, name));
  const events = createEventHub();

  const targets = await openTargetService({ file: file(TARGETS_FILE), vault: options.vault, local: options.provider, events });
  let idp: Awaited<ReturnType<typeof openIdpDirectoryService>>;
  try {
    idp = await openIdpDirectoryService({ file: file(IDP_DIRECTORY_FILE), events });
  } catch (error) {
    await targets.close();
    throw error;
  }

  const scenarios = createScenarioService(options.pickFolder === undefined ? {} : { pickFolder: options.pickFolder });
  let history: RunHistory;
  try {
    history = await openRunHistory(file(RUNS_FILE));
  } catch (error) {
    await targets.close();
    throw error;
  }
  const runs = createRunService({ targets, idp, events, history, scenarios });

  let closing: Promise<void> | undefined;
  return {
    targets,
    targetCatalog: targets,
    scenarios,
    runs,
    idp,
    idpDirectory: idp,
    events,
    host: {
      kind: options.hostKind,
      secretsPersisted: options.vault.persistent,
      ...(dataDir === undefined ? {} : { dataDir }),
    },
    close() {
      // Runs first: cancelling them still writes them to the history, and they hold open targets.
      closing ??= runs.close().finally(() => targets.close());
      return closing;
    },
  };
}
