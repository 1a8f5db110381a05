/**
 * The journal's record format, in one place: how a record is written (encode), read back
 * (decode) and checked (validate). The store writes through it and the journal reader reads
 * through it, so the two cannot drift apart.
 *
 * A record is one line, `{"seq":N,"ops":[op,...]}\n`, one per committed transaction, seq
 * increasing by one per line. JSON text never contains a raw newline, so a newline ends a record
 * and nothing else does: a line without its newline is a write the crash cut short, and a run of
 * complete lines can be parsed as one JSON array.
 */
import { isObject, type ScimValue, type StoredMember, type StoredResource } from '../scim/resource.js';
import type { ResourceTypeName } from '../scim/schema/resource-types.js';
import { decode } from './line-reader.js';
import type { MembersDelta } from './member-delta.js';
import { isMember, isResourceTypeName, resourceProblem } from './resource-shape.js';

export type JournalOp =
  | { op: 'put'; type: ResourceTypeName; resource: StoredResource }
  | { op: 'delete'; type: ResourceTypeName; id: string }
  /**
   * A Group update journaled as a members delta. `group` is the new group with `members` holding
   * a placeholder (0) so the attribute keeps its position in the object when replay fills it in.
   */
  | { op: 'members'; id: string; group: StoredResource; remove: string[]; upsert: StoredMember[]; count: number }
  | { op: 'setting'; key: string; value: string }
  /** Removes every resource (reset, and the first op of an import); settings stay. */
  | { op: 'clear' };

export interface JournalRecord {
  seq: number;
  ops: JournalOp[];
}

// ---- encode ------------------------------------------------------------------------------------
// Ops are built as strings from JSON the store has serialized anyway, instead of stringifying
// the resources a second time.

/** The record line for ops already serialized and comma-joined. */
export function recordLine(seq: number, joinedOps: string): string {
  return `{"seq":${seq},"ops":[${joinedOps}]}\n`;
}

/** `json` is JSON.stringify of the resource. */
export function putOp(type: ResourceTypeName, json: string): string {
  return `{"op":"put","type":"${type}","resource":${json}}`;
}

export function deleteOp(type: ResourceTypeName, id: string): string {
  return `{"op":"delete","type":"${type}","id":${JSON.stringify(id)}}`;
}

export function membersOp(group: StoredResource, delta: MembersDelta): string {
  // `members: 0` keeps the attribute's position in the object; replay puts the list there.
  const rest = JSON.stringify({ ...group, members: 0 });
  return (
    `{"op":"members","id":${JSON.stringify(group.id)},"group":${rest},` +
    `"remove":${JSON.stringify(delta.remove)},"upsert":${JSON.stringify(delta.upsert)},"count":${delta.count}}`
  );
}

export function settingOp(key: string, value: string): string {
  return `{"op":"setting","key":${JSON.stringify(key)},"value":${JSON.stringify(value)}}`;
}

export const CLEAR_OP = '{"op":"clear"}';

// ---- decode ------------------------------------------------------------------------------------

/** One record line (without its newline) as JSON; throws the parser's SyntaxError. */
export function decodeLine(bytes: Buffer): unknown {
  return JSON.parse(decode(bytes));
}

/**
 * The complete lines `buffer[start, end)` (`newlines` holds the position of each line's newline)
 * as one JSON array, parsed in place: the newlines become commas and `buffer[start - 1]` and
 * `buffer[end - 1]` the brackets, so the run's bytes are spent afterwards. Returns undefined when
 * the run is not one record per line, with every newline but the last put back, so the caller
 * can decode line by line to find the bad one.
 */
export function decodeRun(buffer: Buffer, start: number, end: number, newlines: readonly number[]): unknown[] | undefined {
  for (const at of newlines) buffer[at] = 0x2c; // ,
  buffer[start - 1] = 0x5b; // [
  buffer[end - 1] = 0x5d; // ]
  let records: unknown;
  try {
    records = JSON.parse(decode(buffer.subarray(start - 1, end)));
  } catch {
    records = undefined;
  }
  if (Array.isArray(records) && records.length === newlines.length) return records;
  for (const at of newlines) buffer[at] = 0x0a;
  return undefined;
}

// ---- validate ----------------------------------------------------------------------------------

/**
 * What makes `value` not a well-formed record, or undefined. Checks every op's shape, so replay
 * only has to judge whether the record fits the directory (seq order, the group a delta edits).
 */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'a journal record is not a JSON object';
  if (typeof value.seq !== 'number' || !Number.isSafeInteger(value.seq) || value.seq < 1) return 'a journal record has no positive integer "seq"';
  if (!Array.isArray(value.ops)) return `journal record ${value.seq} has no "ops" array`;
  for (const op of value.ops) {
    const problem = opProblem(op);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function opProblem(op: unknown): string | undefined {
  if (!isObject(op) || typeof op.op !== 'string') return 'an op is not an object with a string "op"';
  switch (op.op) {
    case 'put': {
      if (!isResourceTypeName(op.type)) return 'put: needs a type ("User" or "Group")';
      const problem = resourceProblem(op.resource, op.type);
      return problem === undefined ? undefined : `put: the resource ${problem}`;
    }
    case 'delete':
      return isResourceTypeName(op.type) && typeof op.id === 'string' ? undefined : 'delete: needs a type and an id';
    case 'members': {
      const group = op.group;
      if (typeof op.id !== 'string' || !isObject(group) || group.id !== op.id) return 'members: needs an id and the group';
      if (!Array.isArray(op.remove) || !op.remove.every((value) => typeof value === 'string')) return 'members: "remove" is not a string array';
      if (!Array.isArray(op.upsert) || !op.upsert.every((member: ScimValue) => isMember(member))) return 'members: "upsert" is not a member array';
      if (typeof op.count !== 'number') return 'members: "count" is missing';
      // Checked without the member list: the old members were checked when they were stored and
      // the new ones just above, so replay stays O(change), not O(group size).
      const problem = resourceProblem({ ...group, members: undefined }, 'Group');
      return problem === undefined ? undefined : `members: the group ${problem}`;
    }
    case 'setting':
      return typeof op.key === 'string' && typeof op.value === 'string' ? undefined : 'setting: needs a string key and value';
    case 'clear':
      return undefined;
    default:
      return `unknown op ${JSON.stringify(op.op)}`;
  }
}
