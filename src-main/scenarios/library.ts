/**
 * The built-in scenarios: YAML files in `library/` beside this module, each a real provisioning
 * story (`scimulator run okta-lifecycle`). They are data, not code, so the same files are read
 * whether this module runs from the TypeScript sources (vitest, electron-vite's dev server) or
 * compiled, and the folder is found relative to the module itself:
 *
 * - `src-main/scenarios/library.ts` (sources, vitest): `./library/`
 * - `dist/src-main/scenarios/library.js` (the CLI, `tsc -p tsconfig.cli.json`, which copies no
 *   .yaml files): `../../../src-main/scenarios/library/`
 * - `out/main/index.js` (electron-vite's main bundle, where this module is inlined):
 *   `../../src-main/scenarios/library/`. The Electron main process does not run scenarios yet;
 *   a packaged app must ship the folder (e.g. as an extra resource) when it does.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProfileName } from '../idp/profile.js';
import { parseScenario } from './load.js';
import type { Scenario } from './scenario.js';
import { didYouMean } from './suggest.js';

/** A built-in as `scimulator scenarios` lists it. */
export interface BuiltinInfo {
  readonly name: string;
  /** One line. */
  readonly description: string;
  /** The profile the scenario is written for; `--profile` overrides it. */
  readonly profile?: ProfileName;
}

/** Where the library folder may be, relative to this module, in the order tried (see above). */
const LIBRARY_CANDIDATES = ['./library/', '../../../src-main/scenarios/library/', '../../src-main/scenarios/library/'] as const;

export class UnknownBuiltin extends Error {
  constructor(
    readonly scenarioName: string,
    readonly available: readonly string[],
  ) {
    super(`Unknown built-in scenario "${scenarioName}"${didYouMean(scenarioName, available, (c) => `"${c}"`)}; the built-ins are: ${available.join(', ')}`);
    this.name = 'UnknownBuiltin';
  }
}

let folder: string | undefined;

/** The library folder (cached); a missing one is an installation fault, said plainly. */
export function libraryFolder(): string {
  if (folder !== undefined) return folder;
  const tried = LIBRARY_CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url)));
  const found = tried.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`The built-in scenario library is missing; looked in: ${tried.join(', ')}`);
  folder = found;
  return found;
}

const EXTENSION = '.yaml';

function builtinNames(): string[] {
  return readdirSync(libraryFolder())
    .filter((file) => file.endsWith(EXTENSION))
    .map((file) => file.slice(0, -EXTENSION.length))
    .sort();
}

/** Parses one built-in; its file name is its name (a mismatch is a fault in the library). */
function parseBuiltin(name: string): Scenario {
  const text = readFileSync(`${libraryFolder()}${name}${EXTENSION}`, 'utf8');
  const scenario = parseScenario(text, { source: `builtin:${name}`, format: 'yaml' });
  if (scenario.name !== name) throw new Error(`builtin:${name} calls itself "${scenario.name}"; a built-in's name is its file name`);
  return scenario;
}

/** Every built-in, sorted by name, with its one-line description and profile. */
export function builtinScenarios(): BuiltinInfo[] {
  return builtinNames().map((name) => {
    const { description, profile } = parseBuiltin(name);
    return { name, description, ...(profile === undefined ? {} : { profile }) };
  });
}

export function isBuiltin(name: string): boolean {
  return builtinNames().includes(name);
}

/** The built-in named `name`, its source `builtin:<name>`; an unknown name throws UnknownBuiltin. */
export function loadBuiltin(name: string): Scenario {
  const names = builtinNames();
  if (!names.includes(name)) throw new UnknownBuiltin(name, names);
  return parseBuiltin(name);
}
