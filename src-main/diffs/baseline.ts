/**
 * A saved run record read back as a baseline (`--baseline run.json`): checked for what a diff needs
 * before anything runs, so a wrong file is one clear line and no wasted run.
 */
import { readFile } from 'node:fs/promises';
import { RUN_RECORD_FORMAT, RUN_RECORD_VERSION, type RunRecord } from '../runner/run-record.js';

/** The file is not a run record this version can compare with. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the parts of a run record that diffRuns reads; `path` only names the file in messages. */
export function baselineFrom(value: unknown, path: string): RunRecord {
  const bad = (why: string) => new BaselineError(`${path} is not a usable baseline: ${why}`);
  if (!isObject(value) || value.format !== RUN_RECORD_FORMAT) {
    throw bad(`it is not a Scimulator run record (no "format": "${RUN_RECORD_FORMAT}"); save one with scimulator run … --save FILE`);
  }
  if (value.version !== RUN_RECORD_VERSION) {
    throw bad(`it is run record version ${JSON.stringify(value.version)}; this Scimulator reads version ${RUN_RECORD_VERSION}`);
  }
  if (!isObject(value.scenario) || typeof value.scenario.name !== 'string') throw bad('"scenario.name" is missing');
  if (!isObject(value.target) || typeof value.target.baseUrl !== 'string' || typeof value.target.key !== 'string') throw bad('"target" is missing');
  if (typeof value.runTag !== 'string' || typeof value.seed !== 'number') throw bad('"runTag" or "seed" is missing');
  if (!Array.isArray(value.steps) || !value.steps.every((step) => isObject(step) && typeof step.index === 'number' && typeof step.name === 'string')) {
    throw bad('"steps" is not a list of steps');
  }
  const exchangeOk = (exchange: unknown) =>
    isObject(exchange) &&
    typeof exchange.index === 'number' &&
    typeof exchange.step === 'number' &&
    isObject(exchange.request) &&
    typeof exchange.request.method === 'string' &&
    typeof exchange.request.url === 'string' &&
    (exchange.response === undefined || (isObject(exchange.response) && typeof exchange.response.status === 'number'));
  if (!Array.isArray(value.exchanges) || !value.exchanges.every(exchangeOk)) throw bad('"exchanges" is not a list of exchanges');
  return value as unknown as RunRecord;
}

/** Reads and checks a baseline file. */
export async function loadBaseline(path: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(`cannot read the baseline ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new BaselineError(`${path} is not a usable baseline: it is not JSON (${(error as Error).message})`);
  }
  return baselineFrom(value, path);
}
