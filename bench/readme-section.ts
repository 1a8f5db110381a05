/** Rewrites the part of the README between two bench markers with the latest results. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const README = join(fileURLToPath(new URL('../..', import.meta.url)), 'README.md');

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
