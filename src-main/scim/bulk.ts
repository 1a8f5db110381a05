/**
 * Bulk operations (RFC 7644 §3.7): each operation runs through the same routes as a single
 * request, `bulkId:` references are resolved to the ids created earlier in the same request, and
 * operations that reference a later POST wait for it (§3.7.1 asks the provider to resolve order).
 */
import { ScimError, invalidSyntax } from './errors.js';
import type { ScimResponse } from './http-types.js';
import { type ScimObject, type ScimValue, isObject } from './resource.js';
import type { ServerLimits } from './discovery.js';
import { checkJsonBounds } from './json-bounds.js';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export interface BulkSubRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Operation {
  index: number;
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BULK_ID = /^bulkId:(.+)$/;

function readOperations(body: unknown, limits: ServerLimits): { operations: Operation[]; failOnErrors: number } {
  if (!isObject(body)) throw invalidSyntax('A bulk request must be a JSON object (RFC 7644 §3.7)');
  // Before anything below walks `data` recursively (referencedBulkIds, substitute).
  checkJsonBounds(body);
  const list = body.Operations;
  if (!Array.isArray(list)) throw invalidSyntax('A bulk request needs an "Operations" array');
  if (list.length > limits.maxOperations) {
    throw new ScimError(413, undefined, `The bulk request has ${list.length} operations; maxOperations is ${limits.maxOperations}`);
  }
  const failOnErrors = body.failOnErrors;
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw invalidSyntax('"failOnErrors" must be a positive integer');
  }
  const operations = list.map((raw, index): Operation => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${index}] must be an object`);
    const { method, path, bulkId, version, data } = raw;
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
      throw invalidSyntax(`Operations[${index}].method must be one of POST, PUT, PATCH, DELETE`);
    }
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw invalidSyntax(`Operations[${index}].path must be a path such as "/Users" or "/Groups/{id}"`);
    }
    if (bulkId !== undefined && typeof bulkId !== 'string') throw invalidSyntax(`Operations[${index}].bulkId must be a string`);
    if (method.toUpperCase() === 'POST' && bulkId === undefined) {
      throw invalidSyntax(`Operations[${index}] is a POST and needs a "bulkId" (RFC 7644 §3.7)`);
    }
    if (version !== undefined && typeof version !== 'string') throw invalidSyntax(`Operations[${index}].version must be a string`);
    return {
      index,
      method: method.toUpperCase(),
      path,
      ...(bulkId !== undefined ? { bulkId } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(data !== undefined ? { data } : {}),
    };
  });
  const ids = new Set<string>();
  for (const operation of operations) {
    if (operation.bulkId === undefined) continue;
    if (ids.has(operation.bulkId)) throw invalidSyntax(`bulkId "${operation.bulkId}" is used by more than one operation`);
    ids.add(operation.bulkId);
  }
  return { operations, failOnErrors: (failOnErrors as number | undefined) ?? Number.POSITIVE_INFINITY };
}

function referencedBulkIds(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    const match = BULK_ID.exec(value);
    if (match) found.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) referencedBulkIds(item, found);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) referencedBulkIds(value[key], found);
  }
  return found;
}

function substitute(value: unknown, resolved: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const match = BULK_ID.exec(value);
    return match && resolved.has(match[1]!) ? resolved.get(match[1]!) : value;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, resolved));
  if (isObject(value)) {
    const result: ScimObject = {};
    for (const key of Object.keys(value)) result[key] = substitute(value[key], resolved) as ScimValue;
    return result;
  }
  return value;
}

export async function runBulk(
  body: unknown,
  limits: ServerLimits,
  execute: (request: BulkSubRequest) => Promise<ScimResponse>,
): Promise<ScimObject> {
  const { operations, failOnErrors } = readOperations(body, limits);
  const created = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  const results = new Map<number, ScimObject>();
  let errors = 0;
  let pending = operations;

  const outcome = (operation: Operation, status: number, extra: ScimObject = {}): ScimObject => ({
    method: operation.method,
    ...(operation.bulkId !== undefined ? { bulkId: operation.bulkId } : {}),
    ...extra,
    status: String(status),
  });

  const fail = (operation: Operation, error: ScimError) => {
    errors++;
    if (operation.bulkId !== undefined) failedBulkIds.add(operation.bulkId);
    results.set(operation.index, outcome(operation, error.status, { response: error.toBody() as unknown as ScimObject }));
  };

  while (pending.length > 0 && errors < failOnErrors) {
    const deferred: Operation[] = [];
    let progressed = false;
    for (const operation of pending) {
      if (errors >= failOnErrors) break;
      // A path may name a resource created earlier in the request: "/Groups/bulkId:g1".
      const references = referencedBulkIds([...operation.path.split('/'), operation.data]);
      const broken = [...references].find((id) => failedBulkIds.has(id) || !operations.some((op) => op.bulkId === id));
      if (broken !== undefined) {
        fail(operation, new ScimError(409, 'invalidValue', `bulkId "${broken}" does not refer to a successful POST in this request`));
        progressed = true;
        continue;
      }
      if ([...references].some((id) => !created.has(id))) {
        deferred.push(operation);
        continue;
      }
      progressed = true;
      const response = await execute({
        method: operation.method,
        path: operation.path
          .split('/')
          .map((segment) => substitute(segment, created) as string)
          .join('/'),
        ...(operation.data !== undefined ? { body: substitute(operation.data, created) } : {}),
        ...(operation.version !== undefined ? { headers: { 'if-match': operation.version } } : {}),
      });
      const parsed = response.body ? (JSON.parse(response.body) as ScimObject) : undefined;
      if (response.status >= 400) {
        errors++;
        if (operation.bulkId !== undefined) failedBulkIds.add(operation.bulkId);
        results.set(operation.index, outcome(operation, response.status, parsed ? { response: parsed } : {}));
        continue;
      }
      const meta = isObject(parsed?.meta) ? parsed.meta : undefined;
      const location = response.headers.location ?? (meta?.location as string | undefined);
      if (operation.method === 'POST' && operation.bulkId !== undefined && typeof parsed?.id === 'string') {
        created.set(operation.bulkId, parsed.id);
      }
      results.set(
        operation.index,
        outcome(operation, response.status, {
          ...(location ? { location } : {}),
          ...(response.headers.etag ? { version: response.headers.etag } : {}),
        }),
      );
    }
    if (!progressed) {
      // What is left waits on each other: a circular reference (RFC 7644 §3.7.1).
      for (const operation of deferred) {
        if (errors >= failOnErrors) break;
        fail(operation, new ScimError(409, 'invalidValue', 'Circular bulkId references could not be resolved'));
      }
      break;
    }
    pending = deferred;
  }

  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: operations.filter((op) => results.has(op.index)).map((op) => results.get(op.index)!),
  };
}
