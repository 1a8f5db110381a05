/** The CLI tests run the real `scimulator` binary, which loads the compiled dist/: build it once. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.cli.json'], { cwd: root, stdio: 'inherit' });
}
