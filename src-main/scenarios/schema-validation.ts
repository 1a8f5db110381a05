/**
 * Checks scenario data against the published JSON Schema (scenario.schema.json, the same file
 * editors validate with) and says what is wrong in plain words: ajv's "must have required property
 * 'user'" becomes "step 3: `assignUser` needs `user`", with the path of the offending key or value
 * so that the loader can point at its line and column.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { IDP_EVENT_TYPES } from '../idp/events.js';
import { PROFILE_NAMES } from '../idp/profile.js';
import schema from './scenario.schema.json' with { type: 'json' };
import type { DataPath, PathIssue } from './source-map.js';
import { didYouMean } from './suggest.js';

export { schema as scenarioSchema };

export type SchemaIssue = PathIssue;

let compiled: ValidateFunction | undefined;

/** The compiled schema (strict mode: a schema mistake is an error, not a silent pass). */
export function scenarioValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(schema);
  return compiled;
}

type Data = unknown;

const STEP_FIELDS = Object.keys(schema.definitions.step.properties);

function childOf(data: Data, segment: string | number): Data {
  if (Array.isArray(data) && typeof segment === 'number') return data[segment];
  if (data && typeof data === 'object') return (data as Record<string, unknown>)[String(segment)];
  return undefined;
}

function valueAt(data: Data, path: DataPath): Data {
  return path.reduce<Data>(childOf, data);
}

/** ajv's JSON Pointer as a path, with array positions as numbers. */
function pathOf(pointer: string, data: Data): (string | number)[] {
  const path: (string | number)[] = [];
  let current = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(current) ? Number(segment) : segment;
    path.push(key);
    current = childOf(current, key);
  }
  return path;
}

const KEYED = ['variables', 'save', 'headers', 'json'];
const ITEM_NAMES: Readonly<Record<string, string>> = { people: 'person', groups: 'group', expect: 'expectation', steps: 'step' };

/** How a place in the file is named in a message: `repeat`, `save.userId`, person 2. */
function nameOf(path: DataPath): string {
  if (path.length === 0) return 'the scenario';
  if (path.length === 2 && path[0] === 'steps') return 'the step';
  const last = path.at(-1)!;
  const parent = path.at(-2);
  if (typeof last === 'number') {
    const item = typeof parent === 'string' ? ITEM_NAMES[parent] : undefined;
    return item ? `${item} ${last + 1}` : `item ${last + 1} of \`${String(parent)}\``;
  }
  if (typeof parent === 'string' && KEYED.includes(parent)) return `\`${parent}.${last}\``;
  return `\`${last}\``;
}

/** `step 3: ` for anything inside a step. */
function prefixOf(path: DataPath): string {
  return path[0] === 'steps' && typeof path[1] === 'number' ? `step ${path[1] + 1}: ` : '';
}

function describeValue(value: Data): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing (null)';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'a number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping (name: value)',
  array: 'a list',
  null: 'null',
};

function typeWords(types: string | string[], value: Data): string {
  const list = Array.isArray(types) ? types : [types];
  const whole = list.includes('integer') && typeof value === 'number';
  return list.map((type) => (type === 'integer' && whole ? 'a whole number' : (TYPE_WORDS[type] ?? type))).join(' or ');
}

const PATTERN_WORDS: Readonly<Record<string, string>> = {
  personKey: 'a key is letters, digits, `_`, `.` and `-`',
  groupKey: 'a key is letters, digits, `_`, `.` and `-`',
  variableName: 'a variable name is letters, digits and `_`, not starting with a digit',
};

function patternWords(error: ErrorObject): string {
  const definition = /#\/definitions\/(\w+)\//.exec(error.schemaPath)?.[1];
  if (definition && PATTERN_WORDS[definition]) return PATTERN_WORDS[definition];
  if (error.schemaPath.endsWith('/method/pattern')) return 'an HTTP method is written in capitals, e.g. `GET`';
  if (error.schemaPath.endsWith('/path/pattern') && !error.schemaPath.includes('capture')) return 'a request path starts with `/` (below the base URL)';
  if (/^\^\\\$/.test(String(error.schema))) return 'a JSON path starts with `$`, e.g. `$.id`';
  return `it must match ${String(error.schema)}`;
}

/** A sentence for one ajv error, or undefined when another error already says it. */
function translate(error: ErrorObject, data: Data): SchemaIssue | undefined {
  const path = pathOf(error.instancePath, data);
  const prefix = prefixOf(path);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  const issue = (message: string, at: 'key' | 'value' = 'value', where: DataPath = path): SchemaIssue => ({ path: where, at, message: prefix + message });

  switch (error.keyword) {
    case 'if':
      return undefined; // the failing then/else branch reports the actual problem
    case 'required': {
      const missing = String(params.missingProperty);
      const step = value as { event?: unknown; request?: unknown };
      if (/\/allOf\/\d+\/then\//.test(error.schemaPath)) {
        // With a `request` too, "not both" is the problem, not what the event would need.
        return step.request === undefined ? issue(`\`${String(step.event)}\` needs \`${missing}\``) : undefined;
      }
      if (error.schemaPath.includes('/else/')) {
        // A misspelt `event` is reported as an unknown field with a suggestion; that says it all.
        const misspelt = Object.keys(step).some((field) => !STEP_FIELDS.includes(field));
        return misspelt ? undefined : issue('a step needs `event` (an IdP event) or `request` (a raw request)');
      }
      return issue(`${nameOf(path)} needs \`${missing}\``);
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const where = path.length === 0 || nameOf(path) === 'the step' ? '' : ` in ${nameOf(path)}`;
      return issue(`unknown field \`${field}\`${where}${didYouMean(field, known)}`, 'key', [...path, field]);
    }
    case 'false schema': {
      const field = String(path.at(-1));
      const step = valueAt(data, path.slice(0, -1)) as { event?: unknown; request?: unknown };
      if (step.request !== undefined) {
        if (error.schemaPath.includes('/allOf/')) return undefined; // the request branch says it
        return issue(field === 'event' ? 'a step has either `event` or `request`, not both' : `\`${field}\` does not apply to a \`request\` step`, 'key');
      }
      return issue(`\`${field}\` does not apply to \`${String(step.event)}\``, 'key');
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      if (path.at(-1) === 'event' && prefix) return issue(`unknown event \`${String(value)}\`${didYouMean(String(value), IDP_EVENT_TYPES)}`);
      if (path.length === 1 && path[0] === 'profile') {
        return issue(`unknown profile \`${String(value)}\`${didYouMean(String(value), PROFILE_NAMES)}; the profiles are ${PROFILE_NAMES.join(', ')}`);
      }
      return issue(`${nameOf(path)} must be one of ${allowed.join(', ')}${didYouMean(String(value), allowed)}`);
    }
    case 'type':
      if (path.length === 0 && value === null) return issue('the file is empty: a scenario needs `name` and `steps`');
      return issue(`expected ${typeWords(params.type as string | string[], value)} for ${nameOf(path)}, got ${describeValue(value)}`);
    case 'minimum':
      return issue(`${nameOf(path)} must be at least ${String(params.limit)}, got ${String(value)}`);
    case 'maximum':
      return issue(`${nameOf(path)} must be at most ${String(params.limit)}, got ${String(value)}`);
    case 'minItems':
      return issue(path.length === 1 && path[0] === 'steps' ? 'a scenario needs at least one step' : `${nameOf(path)} must not be an empty list`);
    case 'minLength':
      return issue(`${nameOf(path)} must not be empty`);
    case 'minProperties':
      return issue(path.at(-1) === 'changes' ? '`changes` needs at least one attribute that changes' : `${nameOf(path)} must not be empty`);
    case 'pattern':
      return issue(`${describeValue(value).replace('the text ', '')} is not valid for ${nameOf(path)}: ${patternWords(error)}`);
    case 'propertyNames': {
      const name = String(params.propertyName);
      const words = error.schemaPath.includes('/json/') ? 'a JSON path starts with `$`, e.g. `$.id`' : PATTERN_WORDS.variableName;
      return issue(`\`${name}\` is not valid in ${nameOf(path)}: ${words}`, 'key', [...path, name]);
    }
    case 'dependencies':
      return issue(`\`${String(params.property)}\` needs \`${String(params.missingProperty)}\` (how many repetitions)`, 'key', [...path, String(params.property)]);
    case 'anyOf':
      if (path.at(-1) === 'status') return issue(`expected a status code (100 to 599) or a list of them for \`status\`, got ${describeValue(value)}`);
      if (path.at(-2) === 'save') return issue(`${nameOf(path)} must be a JSON path such as \`$.id\`, or \`{ exchange: "POST /Users", path: "$.id" }\``);
      if (path.at(-2) === 'expect') return issue(`${nameOf(path)} needs \`status\`, \`headers\` or \`json\``);
      return issue(`${nameOf(path)} is not valid`);
    default:
      return issue(`${nameOf(path)} ${error.message ?? 'is not valid'}`);
  }
}

/** Errors inside an anyOf or propertyNames that failed as a whole: the whole says it better. */
function isExplainedByParent(error: ErrorObject, errors: readonly ErrorObject[]): boolean {
  if (error.propertyName !== undefined && error.keyword !== 'propertyNames') return true;
  return errors.some((other) => other !== error && other.keyword === 'anyOf' && error.schemaPath.startsWith(`${other.schemaPath}/`));
}

/** Everything the schema finds wrong with the data, in plain words, without repetitions. */
export function schemaIssues(data: unknown): SchemaIssue[] {
  const validate = scenarioValidator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    if (isExplainedByParent(error, errors)) continue;
    const issue = translate(error, data);
    if (!issue) continue;
    const key = `${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
