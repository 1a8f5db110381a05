/**
 * `serve --record FILE`: keeps every exchange that reaches the provider (not the console's own)
 * and writes them to FILE as a scenario of raw steps, rewritten shortly after each exchange and
 * once more at stop, so a crash loses at most the last moment of traffic.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CONSOLE_USER_AGENT } from '../api/contract.js';
import { scenarioFromTraffic } from '../scenarios/from-traffic.js';
import type { RequestLogEntry } from '../traffic/exchange-record.js';

export interface TrafficRecorder {
  /** Writes what was recorded and stops listening. */
  stop(): Promise<void>;
}

const WRITE_DELAY_MS = 200;

const isConsoleTraffic = (entry: RequestLogEntry) => (entry.requestHeaders['user-agent'] ?? '').startsWith(CONSOLE_USER_AGENT);

export function recordTraffic(
  log: { subscribe(listener: (entry: RequestLogEntry) => void): () => void },
  file: string,
  basePath: string,
  onError: (error: Error) => void,
): TrafficRecorder {
  const entries: RequestLogEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    timer = undefined;
    const text = scenarioFromTraffic(entries, {
      name: basename(file).replace(/\.(ya?ml|json)$/i, ''),
      basePath,
      exclude: isConsoleTraffic,
    });
    // Serialised, and through a temporary file: the scenario on disk is always whole.
    writing = writing.then(async () => {
      const temporary = `${file}.tmp`;
      // `--record recordings/tenant.yaml` in a fresh clone: the folder is made, as --save makes its own.
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temporary, text);
      await rename(temporary, file);
    }).catch((error: unknown) => onError(new Error(`Cannot write the recording ${file}: ${(error as Error).message}`)));
    return writing;
  };

  const unsubscribe = log.subscribe((entry) => {
    entries.push(entry);
    timer ??= setTimeout(() => void write(), WRITE_DELAY_MS);
  });

  return {
    async stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      await write();
    },
  };
}
