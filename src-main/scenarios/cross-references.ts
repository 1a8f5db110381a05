/**
 * What a scenario file must get right that its JSON Schema cannot say: every person and group a
 * step names exists in the directory fixtures (or among the generated `user1`…`userN`), every
 * `${variable}` is declared or saved by an earlier step, and every selector, JSON path and
 * `/regex/` is well formed. Found at load time, so a run never stops halfway on a typo.
 */
import { expectedPattern } from './assertions.js';
import { SelectorError, parseSelector } from './exchange-selector.js';
import { GENERATOR_NAMES, TemplateSyntaxError, isGeneratorName, parseTemplate } from './interpolate.js';
import { JsonPathError, parseJsonPath } from './json-path.js';
import type { ScenarioFileData } from './scenario-file.js';
import type { DataPath, PathIssue } from './source-map.js';
import { didYouMean } from './suggest.js';

function stepPrefix(index: number): string {
  return `step ${index + 1}: `;
}

/** Keys of the people and groups the run's directory will have, with where each is declared. */
function directoryKeys(data: ScenarioFileData, issues: PathIssue[]): DirectoryKeys {
  const people = new Set<string>();
  const groups = new Set<string>();
  const generated = data.directory?.generate ?? 0;
  for (let i = 1; i <= generated; i++) people.add(`user${i}`);
  (data.directory?.people ?? []).forEach((person, i) => {
    const path = ['directory', 'people', i, 'key'];
    if (people.has(person.key)) {
      const clash = /^user(\d+)$/.test(person.key) && Number(person.key.slice(4)) <= generated;
      issues.push({
        path,
        at: 'value',
        message: clash
          ? `person \`${person.key}\` clashes with a generated person (\`generate: ${generated}\` makes user1 to user${generated})`
          : `person \`${person.key}\` is declared twice`,
      });
    }
    people.add(person.key);
  });
  (data.directory?.groups ?? []).forEach((group, i) => {
    if (groups.has(group.key)) issues.push({ path: ['directory', 'groups', i, 'key'], at: 'value', message: `group \`${group.key}\` is declared twice` });
    groups.add(group.key);
  });
  return { people, groups, generated };
}

interface DirectoryKeys {
  readonly people: Set<string>;
  readonly groups: Set<string>;
  readonly generated: number;
}

function unknownPerson(key: string, directory: DirectoryKeys): string {
  const { people, generated } = directory;
  let hint: string;
  if (people.size === 0) hint = ' (the directory has no people: add them under `directory.people`, or `directory: { generate: N }` for user1 to userN)';
  else if (generated > 0 && /^user\d+$/.test(key)) hint = ` (\`generate: ${generated}\` makes user1 to user${generated})`;
  else hint = didYouMean(key, people) || ` (${theKeys('people', people)}: add \`${key}\` under \`directory.people\`)`;
  return `\`${key}\` is not a person of the directory${hint}`;
}

function unknownGroup(key: string, groups: Set<string>): string {
  const hint =
    groups.size === 0
      ? ' (the directory has no groups: add them under `directory.groups`)'
      : didYouMean(key, groups) || ` (${theKeys('groups', groups)}: add \`${key}\` under \`directory.groups\`)`;
  return `\`${key}\` is not a group of the directory${hint}`;
}

/** The keys a reference could have named, when none is close enough to suggest: a few, in file order. */
function theKeys(kind: 'people' | 'groups', keys: Set<string>): string {
  const shown = [...keys].slice(0, MAX_KEYS_LISTED).map((key) => `\`${key}\``);
  const more = keys.size > MAX_KEYS_LISTED ? `, and ${keys.size - MAX_KEYS_LISTED} more` : '';
  return `its ${kind} are ${shown.join(', ')}${more}`;
}

const MAX_KEYS_LISTED = 8;

function checkDirectoryReferences(data: ScenarioFileData, directory: DirectoryKeys, issues: PathIssue[]): void {
  const { people } = directory;
  (data.directory?.people ?? []).forEach((person, i) => {
    if (person.manager !== undefined && !people.has(person.manager)) {
      issues.push({ path: ['directory', 'people', i, 'manager'], at: 'value', message: `manager ${unknownPerson(person.manager, directory)}` });
    }
  });
  (data.directory?.groups ?? []).forEach((group, i) => {
    (group.members ?? []).forEach((member, j) => {
      if (!people.has(member)) issues.push({ path: ['directory', 'groups', i, 'members', j], at: 'value', message: `member ${unknownPerson(member, directory)}` });
    });
  });
}

function checkStepReferences(data: ScenarioFileData, directory: DirectoryKeys, issues: PathIssue[]): void {
  const { people, groups } = directory;
  data.steps.forEach((step, s) => {
    const prefix = stepPrefix(s);
    if (step.user !== undefined && !people.has(step.user)) issues.push({ path: ['steps', s, 'user'], at: 'value', message: prefix + unknownPerson(step.user, directory) });
    (step.users ?? []).forEach((user, u) => {
      if (!people.has(user)) issues.push({ path: ['steps', s, 'users', u], at: 'value', message: prefix + unknownPerson(user, directory) });
    });
    if (step.group !== undefined && !groups.has(step.group)) issues.push({ path: ['steps', s, 'group'], at: 'value', message: prefix + unknownGroup(step.group, groups) });
    const manager = step.changes?.manager;
    if (typeof manager === 'string' && !people.has(manager)) {
      issues.push({ path: ['steps', s, 'changes', 'manager'], at: 'value', message: `${prefix}manager ${unknownPerson(manager, directory)}` });
    }
  });
}

/** Every string under a value, with its path (object keys are not interpolated). */
function stringsIn(value: unknown, path: DataPath): { path: DataPath; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((element, i) => stringsIn(element, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, element]) => stringsIn(element, [...path, key]));
  return [];
}

/** The strings of a step that are interpolated at run time. */
function interpolatedStrings(data: ScenarioFileData, s: number): { path: DataPath; text: string }[] {
  const step = data.steps[s]!;
  const at = (...rest: (string | number)[]): DataPath => ['steps', s, ...rest];
  return [
    ...stringsIn(step.name, at('name')),
    ...stringsIn(step.displayName, at('displayName')),
    ...Object.entries(step.changes ?? {})
      .filter(([name]) => name !== 'manager')
      .flatMap(([name, value]) => stringsIn(value, at('changes', name))),
    ...(step.request
      ? [...stringsIn(step.request.path, at('request', 'path')), ...stringsIn(step.request.headers, at('request', 'headers')), ...stringsIn(step.request.body, at('request', 'body'))]
      : []),
    ...(step.expect ?? []).flatMap((expectation, e) => [
      ...stringsIn(expectation.headers, at('expect', e, 'headers')),
      ...stringsIn(expectation.json, at('expect', e, 'json')),
    ]),
  ];
}

interface VariableScope {
  /** Names usable here. */
  readonly known: Set<string>;
  /** Names saved by this or a later step, and which step saves each first. */
  readonly savedLater: Map<string, number>;
}

function checkTemplate(text: string, path: DataPath, prefix: string, scope: VariableScope, issues: PathIssue[]): void {
  let parts;
  try {
    parts = parseTemplate(text);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    issues.push({ path, at: 'value', offset: error.offset, message: prefix + error.message });
    return;
  }
  for (const part of parts) {
    if (part.kind !== 'variable' || scope.known.has(part.name) || isGeneratorName(part.name)) continue;
    const later = scope.savedLater.get(part.name);
    const message =
      later === undefined
        ? `\`\${${part.name}}\` is not defined${didYouMean(part.name, [...scope.known, ...GENERATOR_NAMES], (c) => `\`\${${c}}\``)}: declare it under \`variables\` or \`save\` it in an earlier step`
        : `\`\${${part.name}}\` is used before it is saved (step ${later + 1} saves it)`;
    issues.push({ path, at: 'value', offset: part.offset, message: prefix + message });
  }
}

function checkVariables(data: ScenarioFileData, issues: PathIssue[]): void {
  const savedAt = new Map<string, number>();
  data.steps.forEach((step, s) => {
    for (const name of Object.keys(step.save ?? {})) if (!savedAt.has(name)) savedAt.set(name, s);
  });
  const known = new Set<string>();
  const reserved = (name: string) => isGeneratorName(name);

  for (const [name, template] of Object.entries(data.variables ?? {})) {
    if (reserved(name)) issues.push({ path: ['variables', name], at: 'key', message: `\`${name}\` is a generator's name: choose another name for the variable` });
    checkTemplate(template, ['variables', name], '', { known, savedLater: new Map() }, issues);
    known.add(name);
  }
  data.steps.forEach((_, s) => {
    const savedLater = new Map([...savedAt].filter(([, step]) => step >= s));
    for (const { path, text } of interpolatedStrings(data, s)) checkTemplate(text, path, stepPrefix(s), { known, savedLater }, issues);
    for (const name of Object.keys(data.steps[s]!.save ?? {})) {
      if (reserved(name)) issues.push({ path: ['steps', s, 'save', name], at: 'key', message: `${stepPrefix(s)}\`${name}\` is a generator's name: choose another name to save under` });
      known.add(name);
    }
  });
}

function checkSelector(text: string | undefined, path: DataPath, prefix: string, issues: PathIssue[]): void {
  if (text === undefined) return;
  try {
    parseSelector(text);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    issues.push({ path, at: 'value', message: prefix + error.message });
  }
}

function checkJsonPath(text: string, path: DataPath, at: 'key' | 'value', prefix: string, issues: PathIssue[]): void {
  try {
    parseJsonPath(text);
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    issues.push({ path, at, message: prefix + error.message });
  }
}

function checkPattern(value: unknown, path: DataPath, prefix: string, issues: PathIssue[]): void {
  try {
    expectedPattern(value);
  } catch (error) {
    issues.push({ path, at: 'value', message: `${prefix}\`${value}\` is not a valid regular expression (${(error as Error).message})` });
  }
}

function checkExpectationsAndCaptures(data: ScenarioFileData, issues: PathIssue[]): void {
  data.steps.forEach((step, s) => {
    const prefix = stepPrefix(s);
    (step.expect ?? []).forEach((expectation, e) => {
      const at = ['steps', s, 'expect', e];
      checkSelector(expectation.exchange, [...at, 'exchange'], prefix, issues);
      for (const [name, value] of Object.entries(expectation.headers ?? {})) checkPattern(value, [...at, 'headers', name], prefix, issues);
      for (const [path, value] of Object.entries(expectation.json ?? {})) {
        checkJsonPath(path, [...at, 'json', path], 'key', prefix, issues);
        checkPattern(value, [...at, 'json', path], prefix, issues);
      }
    });
    for (const [name, capture] of Object.entries(step.save ?? {})) {
      const at = ['steps', s, 'save', name];
      if (typeof capture === 'string') checkJsonPath(capture, at, 'value', prefix, issues);
      else {
        checkSelector(capture.exchange, [...at, 'exchange'], prefix, issues);
        checkJsonPath(capture.path, [...at, 'path'], 'value', prefix, issues);
      }
    }
  });
}

/** Everything wrong with a schema-valid scenario's references, in no particular order. */
export function crossReferenceIssues(data: ScenarioFileData): PathIssue[] {
  const issues: PathIssue[] = [];
  const directory = directoryKeys(data, issues);
  checkDirectoryReferences(data, directory, issues);
  checkStepReferences(data, directory, issues);
  checkVariables(data, issues);
  checkExpectationsAndCaptures(data, issues);
  return issues;
}
