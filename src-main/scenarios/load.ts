/**
 * Reads a scenario file (YAML or JSON) into a Scenario, or throws a ScenarioError listing every
 * problem with its line and column: syntax (yaml's own positions), the JSON Schema
 * (scenario.schema.json, in plain words), then cross-references (people, groups, variables).
 * Steps, expectations and captures keep their positions so that a run can point back at them.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { crossReferenceIssues } from './cross-references.js';
import type { Capture, Expectation, Scenario, SourcePosition, Step } from './scenario.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import type { ExpectationData, ScenarioFileData, StepData } from './scenario-file.js';
import { schemaIssues } from './schema-validation.js';
import { type DataPath, type PathIssue, SourceMap } from './source-map.js';
import { yamlSyntaxMessage } from './yaml-syntax.js';

export type ScenarioFormat = 'yaml' | 'json';

export interface ParseOptions {
  /** Named in error messages and kept as Scenario.source: a file path or `builtin:<name>`. */
  readonly source: string;
  /** Default: `json` when the source ends in `.json`, otherwise `yaml`. */
  readonly format?: ScenarioFormat;
}

function formatOf(options: ParseOptions): ScenarioFormat {
  return options.format ?? (/\.json$/i.test(options.source) ? 'json' : 'yaml');
}

/** Node's JSON.parse says "… in JSON at position N"; the position becomes a line and column. */
function jsonSyntaxIssue(text: string, error: SyntaxError, lines: LineCounter): ScenarioIssue {
  const match = / in JSON at position (\d+)/.exec(error.message);
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  if (!match) return { message: `invalid JSON: ${reason}` };
  const offset = Math.min(Number(match[1]), text.length);
  // The line counter knows line starts only after a YAML parse of the same text.
  parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const { line, col } = lines.linePos(offset);
  return { position: { line, column: col }, message: `invalid JSON: ${reason}` };
}

function sortByPosition(issues: ScenarioIssue[]): ScenarioIssue[] {
  return issues.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
}

function positionedIssues(issues: readonly PathIssue[], map: SourceMap): ScenarioIssue[] {
  return sortByPosition(issues.map((issue) => ({ position: map.positionOf(issue), message: issue.message })));
}

function buildExpectation(data: ExpectationData, path: DataPath, map: SourceMap): Expectation {
  const checkPositions: Record<string, SourcePosition> = {};
  if (data.status !== undefined) checkPositions.status = map.key([...path, 'status']);
  for (const name of Object.keys(data.headers ?? {})) checkPositions[`headers.${name}`] = map.key([...path, 'headers', name]);
  for (const jsonPath of Object.keys(data.json ?? {})) checkPositions[`json.${jsonPath}`] = map.key([...path, 'json', jsonPath]);
  return { ...data, position: map.value(path), checkPositions };
}

function buildStep(data: StepData, index: number, map: SourceMap): Step {
  const path = ['steps', index];
  const { request, expect, save, event, ...common } = data;
  const shared = {
    ...common,
    ...(expect === undefined ? {} : { expect: expect.map((expectation, e) => buildExpectation(expectation, [...path, 'expect', e], map)) }),
    ...(save === undefined
      ? {}
      : {
          save: Object.fromEntries(
            Object.entries(save).map(([name, capture]): [string, Capture] => [
              name,
              { ...(typeof capture === 'string' ? { path: capture } : capture), position: map.key([...path, 'save', name]) },
            ]),
          ),
        }),
    position: map.value(path),
  };
  if (request) return { kind: 'request', ...shared, ...request };
  // The schema guarantees a step without `request` has an `event`.
  return { kind: 'event', ...shared, event: event! };
}

function buildScenario(data: ScenarioFileData, source: string, map: SourceMap): Scenario {
  return {
    name: data.name,
    description: data.description ?? '',
    ...(data.profile === undefined ? {} : { profile: data.profile }),
    ...(data.directory === undefined ? {} : { directory: data.directory }),
    ...(data.variables === undefined ? {} : { variables: data.variables }),
    steps: data.steps.map((step, i) => buildStep(step, i, map)),
    source,
  };
}

/** Parses and checks a scenario; throws ScenarioError with every problem found. */
export function parseScenario(text: string, options: ParseOptions): Scenario {
  const source = options.source;
  const content = text.replace(/^\uFEFF/, '');
  const lines = new LineCounter();

  if (formatOf(options) === 'json') {
    try {
      JSON.parse(content);
    } catch (error) {
      throw new ScenarioError(source, [jsonSyntaxIssue(content, error as SyntaxError, lines)]);
    }
  }

  const document = parseDocument(content, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw new ScenarioError(source, [{ position: { line, column: col }, message: yamlSyntaxMessage(syntax) }]);
  }
  const map = new SourceMap(document, lines, content);
  const data: unknown = document.toJS();

  const shapeIssues = schemaIssues(data);
  if (shapeIssues.length > 0) throw new ScenarioError(source, positionedIssues(shapeIssues, map));

  // Past the schema, the data has the shape ScenarioFileData describes.
  const scenarioData = data as ScenarioFileData;
  const referenceIssues = crossReferenceIssues(scenarioData);
  if (referenceIssues.length > 0) throw new ScenarioError(source, positionedIssues(referenceIssues, map));

  return buildScenario(scenarioData, source, map);
}

/** Reads and parses a scenario file; its path, as given, names it in messages. */
export async function loadScenarioFile(path: string, options: { readonly format?: ScenarioFormat } = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory, not a scenario file' : (error as Error).message;
    throw new ScenarioError(path, [{ message: `cannot read the scenario: ${reason}` }]);
  }
  return parseScenario(text, { source: path, ...options });
}
