/**
 * Where a bench's results go: `bench/results/<file>.md` and `.json`, and the README between the
 * bench's markers (`<!-- NAME:start -->` … `<!-- NAME:end -->`), so the README shows the latest run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = join(ROOT, 'README.md');

/** `name` is the marker's name: `bench` for `<!-- bench:start -->` … `<!-- bench:end -->`. */
export async function replaceReadmeSection(name: string, content: string): Promise<void> {
  const text = await readFile(README, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) return;
  await writeFile(README, `${text.slice(0, from + start.length)}\n${content}${text.slice(to)}`);
}

/** A bench's verdicts as the README's "target | result | met" table. */
export function targetsTable(checks: readonly (readonly [target: string, result: string, met: boolean])[]): string[] {
  return ['| target | result | met |', '|---|---|---|', ...checks.map(([name, shown, met]) => `| ${name} | ${shown} | ${met ? 'yes' : '**no**'} |`)];
}

/** Writes the results files and, unless `readme` is false (a partial run), the README section. */
export async function publishResults(options: {
  readonly file: string;
  readonly section: string;
  readonly table: string;
  readonly json: unknown;
  readonly readme?: boolean;
}): Promise<void> {
  const dir = join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${options.file}.md`), options.table);
  await writeFile(join(dir, `${options.file}.json`), JSON.stringify(options.json, null, 2));
  if (options.readme !== false) await replaceReadmeSection(options.section, options.table);
  console.log(`Written to bench/results/${options.file}.md${options.readme !== false ? ' and README.md' : ''}`);
}
