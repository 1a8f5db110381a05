/**
 * The console's scenarios slice: the built-ins, the user's scenario files (folders they open; the
 * files stay plain files, to be kept in git), the editor's validation and the JSON Schema.
 *
 * Files are read and written only directly inside a folder the user opened in this session: the
 * browser host takes paths from a web page, and a path it sends must not reach the rest of the
 * disk. Only `.yaml`, `.yml` and `.json` files are touched.
 */
import { readFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import type { ScenarioFolder, ScenarioInfo, ScenarioProblem, ScenarioRef, ScenarioText } from '../api/contract.js';
import { builtinScenarios, libraryFolder, loadBuiltin } from '../scenarios/library.js';
import { parseScenario } from '../scenarios/load.js';
import { ScenarioError } from '../scenarios/scenario-error.js';
import type { Scenario } from '../scenarios/scenario.js';
import { scenarioSchema } from '../scenarios/schema-validation.js';
import { writeFileAtomically } from './atomic-write.js';
import { InvalidCommandArguments } from './invalid-arguments.js';
import type { ScenarioCommands } from './ports.js';

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** What unsaved editor text is called in messages when the editor gives no file name. */
const UNSAVED = 'unsaved.yaml';
/** A scenario file larger than this is not a scenario; reading it whole would only stall the host. */
const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

export interface ScenarioService extends ScenarioCommands {
  /** The scenario a run asks for; a broken one throws ScenarioError with every problem. */
  load(ref: ScenarioRef): Promise<Scenario>;
}

/** A path the service will not read or write: outside the opened folders, or not a scenario file. */
export class ScenarioPathRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioPathRefused';
  }
}

export function createScenarioService(options: { pickFolder?: () => Promise<string | null> } = {}): ScenarioService {
  /** Real paths of the folders opened in this session. */
  const opened = new Set<string>();
  let builtins: ScenarioInfo[] | undefined;

  /** The real path of a scenario file directly inside an opened folder, or a clear refusal. */
  async function allowedFile(path: unknown, forWriting: boolean): Promise<string> {
    if (typeof path !== 'string' || path === '' || !isAbsolute(path)) {
      throw new InvalidCommandArguments(`A scenario file is named by its absolute path; got ${JSON.stringify(path)}`);
    }
    if (!SCENARIO_EXTENSIONS.has(extname(path).toLowerCase())) {
      throw new ScenarioPathRefused(`${path} is not a scenario file: scenario files end in .yaml, .yml or .json`);
    }
    let folder: string;
    try {
      folder = await realpath(dirname(path));
    } catch {
      throw new ScenarioPathRefused(`The folder of ${path} does not exist; open a scenario folder first`);
    }
    if (!opened.has(folder)) {
      throw new ScenarioPathRefused(`${path} is not in an opened scenario folder; open its folder first (files are read and written only in folders you open)`);
    }
    const inFolder = join(folder, basename(path));
    if (forWriting) return inFolder;
    // A link that leads out of the folder is followed only to a file that is itself in an opened folder.
    let real: string;
    try {
      real = await realpath(inFolder);
    } catch {
      throw new ScenarioError(path, [{ message: 'cannot read the scenario: no such file' }]);
    }
    if (!opened.has(dirname(real))) throw new ScenarioPathRefused(`${path} leads outside the opened scenario folders`);
    return real;
  }

  async function readText(path: string): Promise<string> {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder, not a scenario file' : error.message;
      throw new ScenarioError(path, [{ message: `cannot read the scenario: ${reason}` }]);
    });
    if (bytes.length > MAX_SCENARIO_BYTES) {
      throw new ScenarioError(path, [{ message: `the file is ${bytes.length} bytes; a scenario file is at most ${MAX_SCENARIO_BYTES}` }]);
    }
    return bytes.toString('utf8');
  }

  async function load(ref: ScenarioRef): Promise<Scenario> {
    const checked = checkScenarioRef(ref);
    switch (checked.kind) {
      case 'builtin':
        return loadBuiltin(checked.name);
      case 'file': {
        const path = await allowedFile(checked.path, false);
        return parseScenario(await readText(path), { source: checked.path });
      }
      case 'text':
        return parseScenario(checked.text, { source: checked.fileName ?? UNSAVED });
    }
  }

  return {
    load,

    async listBuiltinScenarios(): Promise<ScenarioInfo[]> {
      // The library ships with the app and does not change while it runs: parsed once.
      builtins ??= builtinScenarios().map((builtin) => ({
        ref: { kind: 'builtin', name: builtin.name },
        name: builtin.name,
        description: builtin.description,
        ...(builtin.profile === undefined ? {} : { profile: builtin.profile }),
        steps: loadBuiltin(builtin.name).steps.length,
      }));
      return structuredClone(builtins);
    },

    async pickScenarioFolder(): Promise<string | null> {
      return options.pickFolder ? options.pickFolder() : null;
    },

    async openScenarioFolder(folder: string): Promise<ScenarioFolder> {
      if (typeof folder !== 'string' || folder === '' || !isAbsolute(folder)) {
        throw new InvalidCommandArguments(`openScenarioFolder takes a folder's absolute path; got ${JSON.stringify(folder)}`);
      }
      let real: string;
      let entries;
      try {
        real = await realpath(folder);
        entries = await readdir(real, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is a file, not a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
        throw new Error(`Cannot open the scenario folder ${folder}: ${reason}`);
      }
      opened.add(real);
      const names = entries
        .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && SCENARIO_EXTENSIONS.has(extname(entry.name).toLowerCase()))
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b));
      const files: ScenarioInfo[] = [];
      for (const name of names) {
        const path = join(folder, name);
        files.push(await infoOf(path, () => load({ kind: 'file', path })));
      }
      return { folder, files };
    },

    async readScenario(ref: ScenarioRef): Promise<ScenarioText> {
      const checked = checkScenarioRef(ref);
      switch (checked.kind) {
        case 'builtin':
          loadBuiltin(checked.name); // an unknown name throws UnknownBuiltin, naming the built-ins
          return { text: await readFile(join(libraryFolder(), `${checked.name}.yaml`), 'utf8'), readOnly: true };
        case 'file':
          return { text: await readText(await allowedFile(checked.path, false)), readOnly: false, path: checked.path };
        case 'text':
          return { text: checked.text, readOnly: false };
      }
    },

    async saveScenarioFile(path: string, text: string): Promise<ScenarioInfo> {
      if (typeof text !== 'string') throw new InvalidCommandArguments('saveScenarioFile takes the scenario as text');
      if (Buffer.byteLength(text, 'utf8') > MAX_SCENARIO_BYTES) {
        throw new InvalidCommandArguments(`A scenario file is at most ${MAX_SCENARIO_BYTES} bytes`);
      }
      const target = await allowedFile(path, true);
      await writeFileAtomically(target, text);
      // A file is saved even when it does not load yet: the editor keeps work in progress, with its problems.
      return infoOf(path, async () => parseScenario(text, { source: path }));
    },

    async validateScenario(text: string, fileName?: string): Promise<ScenarioProblem[]> {
      if (typeof text !== 'string') throw new InvalidCommandArguments('validateScenario takes the scenario as text');
      if (fileName !== undefined && typeof fileName !== 'string') throw new InvalidCommandArguments('validateScenario: fileName must be a string');
      try {
        parseScenario(text, { source: fileName ?? UNSAVED });
        return [];
      } catch (error) {
        if (error instanceof ScenarioError) return problemsOf(error);
        throw error;
      }
    },

    async scenarioSchema(): Promise<unknown> {
      return structuredClone(scenarioSchema);
    },
  };
}

/** A file's entry in a folder listing: what it is, or why it does not load. */
async function infoOf(path: string, parse: () => Promise<Scenario>): Promise<ScenarioInfo> {
  const ref: ScenarioRef = { kind: 'file', path };
  try {
    const scenario = await parse();
    return {
      ref,
      name: scenario.name,
      description: scenario.description,
      ...(scenario.profile === undefined ? {} : { profile: scenario.profile }),
      steps: scenario.steps.length,
    };
  } catch (error) {
    const issues = error instanceof ScenarioError ? problemsOf(error) : [{ message: error instanceof Error ? error.message : String(error) }];
    return { ref, name: basename(path), description: '', steps: 0, issues };
  }
}

function problemsOf(error: ScenarioError): ScenarioProblem[] {
  return error.issues.map((issue) => ({
    ...(issue.position === undefined ? {} : { line: issue.position.line, column: issue.position.column }),
    message: issue.message,
  }));
}

/** A ScenarioRef from an untrusted caller, checked field by field. */
export function checkScenarioRef(ref: unknown): ScenarioRef {
  if (typeof ref !== 'object' || ref === null) throw new InvalidCommandArguments('A scenario reference is an object with a "kind"');
  const value = ref as Record<string, unknown>;
  switch (value.kind) {
    case 'builtin':
      if (typeof value.name !== 'string' || value.name === '') throw new InvalidCommandArguments('A built-in scenario reference needs its "name"');
      return { kind: 'builtin', name: value.name };
    case 'file':
      if (typeof value.path !== 'string' || value.path === '') throw new InvalidCommandArguments('A scenario file reference needs its "path"');
      return { kind: 'file', path: value.path };
    case 'text':
      if (typeof value.text !== 'string') throw new InvalidCommandArguments('A scenario text reference needs its "text"');
      if (value.fileName !== undefined && typeof value.fileName !== 'string') throw new InvalidCommandArguments('A scenario text reference\'s "fileName" is a string');
      return { kind: 'text', text: value.text, ...(value.fileName === undefined ? {} : { fileName: value.fileName }) };
    default:
      throw new InvalidCommandArguments(`A scenario reference's "kind" is builtin, file or text; got ${JSON.stringify(value.kind)}`);
  }
}
