/** The real `scimulator serve` in a child process, for a bench to drive over loopback. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'scimulator.js');
const READY = /SCIM base URL\s+(http:\/\/\S+)/;

export interface Serving {
  readonly child: ChildProcess;
  /** The SCIM base URL, e.g. http://127.0.0.1:PORT/scim/v2. */
  readonly baseUrl: string;
}

/** Starts `scimulator serve ARGS` and resolves once it has printed its base URL. */
export function startServe(args: readonly string[]): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        // Drain what it prints later, so a full pipe never stalls the server.
        child.stdout!.resume();
        resolve({ child, baseUrl: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`scimulator serve exited with ${code}: ${output}`)));
  });
}

/** Stops the server as Ctrl+C does (in-flight requests finish, the database is flushed). */
export async function stopChild(serving: Serving): Promise<void> {
  if (serving.child.exitCode !== null) return;
  const exited = new Promise((resolve) => serving.child.once('exit', resolve));
  serving.child.kill('SIGTERM');
  await exited;
}
