/**
 * The directory store: Users and Groups in memory with the indexes the SCIM provider queries,
 * made durable by a lowdb snapshot plus an append-only journal.
 *
 * Files, for `file: 'scimulator.json'`:
 *   scimulator.json          lowdb JSON snapshot (see snapshot-file.ts), `journalSeq` = last record it includes
 *   scimulator.json.journal  one JSON line per commit since (see journal.ts)
 *
 * A commit changes memory synchronously, appends one journal line and resolves after the line
 * is fdatasync'ed (group-committed with concurrent commits). When the journal outgrows the
 * snapshot, a new snapshot is written in the background and the journal restarted, so a write
 * costs O(size of the change) amortized, independent of the directory size.
 *
 * The live model is a Map per resource type (creation order, O(1) replace and delete) rather
 * than lowdb's `data.users` array, whose deletes are O(n); lowdb's `Low` holds the snapshot
 * document, which is filled from the maps each time a snapshot is written.
 *
 * Resources handed to `commit` become the store's: they are never mutated afterwards, which is
 * what lets a snapshot be taken as a list of references at one instant while writes go on.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { cloneJson, isObject, type StoredMember, type StoredResource } from '../scim/resource.js';
import type { ResourceTypeName } from '../scim/schema/resource-types.js';
import type { Change, CommitCause, DirectoryDocument, DirectoryPort } from '../scim/directory-port.js';
import { acquireFileLock } from './file-lock.js';
import { Journal, scanJournal } from './journal.js';
import {
  CLEAR_OP,
  deleteOp,
  membersOp,
  putOp,
  recordLine,
  settingOp,
  type JournalOp,
  type JournalRecord,
} from './journal-record.js';
import { KeyIndex } from './key-index.js';
import { applyMembersDelta, diffMembers } from './member-delta.js';
import { caseInsensitiveKey, collectionProblem, isMember, isResourceTypeName, membersOf, resourceProblem } from './resource-shape.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotFile, emptySnapshot, type DirectorySnapshot } from './snapshot-file.js';
import { checkUsable } from './store-files.js';
import { asOpenError, pathOf, StoreClosedError, StoreCompactionError, StoreError } from './store-errors.js';
import { ChangeSet } from './change-set.js';

export {
  StoreClosedError,
  StoreCompactionError,
  StoreError,
  StoreFailedError,
  StoreOpenError,
} from './store-errors.js';
export type { Change, CommitCause, DirectoryDocument };

/** One resource a commit wrote or removed: what listeners need to know to refresh, not its body. */
export interface ResourceChange {
  readonly op: 'put' | 'delete';
  readonly type: ResourceTypeName;
  readonly id: string;
}

/**
 * What one commit changed, announced once it is durable. One event per commit, however many
 * resources it touched, so that an import of thousands of users is one message to the console.
 */
export interface CommitEvent {
  /** The store's commit sequence (the journal record's seq); increases by one per commit. */
  readonly seq: number;
  /** Request-log sequence of the exchange that caused the commit, when one did. */
  readonly exchange?: number;
  /** The directory was emptied first (reset, import): every resource not in `changes` is gone. */
  readonly cleared?: true;
  /** Each resource once, with its last operation in the commit. */
  readonly changes: readonly ResourceChange[];
}

/** Points in a compaction, reported to `StoreOptions.onCompaction`. */
export type CompactionPhase = 'started' | 'snapshot-written' | 'finished';

export interface StoreOptions {
  /** Snapshot path (the journal is `<file>.journal`); undefined keeps the directory purely in memory. */
  file?: string;
  /** The journal is compacted once it exceeds max(this, snapshot size). Default 4 MiB. */
  compactionMinBytes?: number;
  /** Clock for the meta.lastModified of groups changed by a delete cascade. */
  now?: () => Date;
  /**
   * Failures nobody may be awaiting: the journal becoming unwritable (disk full, I/O error), a
   * background compaction, a throwing listener. Store failures are StoreErrors whose message is
   * one line naming the file and what to do. Default: written to stderr.
   */
  onError?: (error: Error) => void;
  /**
   * Instrumentation: awaited at each compaction phase while writes keep flowing. The crash test
   * uses it to hold a compaction open between its two steps and kill the process there.
   */
  onCompaction?: (phase: CompactionPhase) => void | Promise<void>;
  /** Size of each of the two buffers the files are read with at open (default 8 MiB); tests shrink it. */
  readBufferBytes?: number;
}

export interface StoreStats {
  /** Seq of the last committed journal record. */
  seq: number;
  /** Journal fdatasync calls; with group commit, far fewer than commits under concurrency. */
  fsyncs: number;
  /** Journal records acknowledged (durable). */
  records: number;
  journalBytes: number;
  snapshotBytes: number;
  compactions: number;
  compacting: boolean;
  failed: boolean;
  /** Bytes of a torn final journal line cut away at open (a write the crash interrupted, never acknowledged). */
  tornBytesDropped: number;
}

export const DEFAULT_COMPACTION_MIN_BYTES = 4 * 1024 * 1024;

interface Collection {
  /** The resources, in creation order (Map keeps insertion order; `set` on a key keeps its place). */
  readonly byId: Map<string, StoredResource>;
  /** externalId, case-exact; not unique. */
  readonly externalIds: KeyIndex;
  /** userName (User) or displayName (Group), case-insensitive. */
  readonly names: KeyIndex;
}

interface MemberChange {
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

type PreparedChange =
  | { op: 'put'; resource: StoredResource; json: string }
  | { op: 'delete'; type: ResourceTypeName; id: string };

const EMPTY_SET: ReadonlySet<string> = new Set<string>();

function newCollection(): Collection {
  return { byId: new Map(), externalIds: new KeyIndex(), names: new KeyIndex() };
}

function nameKey(type: ResourceTypeName, resource: StoredResource | undefined): string | undefined {
  const value = type === 'User' ? resource?.userName : resource?.displayName;
  return typeof value === 'string' ? caseInsensitiveKey(value) : undefined;
}

function externalIdOf(resource: StoredResource | undefined): string | undefined {
  return typeof resource?.externalId === 'string' ? resource.externalId : undefined;
}

function byCreation(a: StoredResource, b: StoredResource): number {
  if (a.meta.created !== b.meta.created) return a.meta.created < b.meta.created ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class DirectoryStore implements DirectoryPort {
  private users = newCollection();
  private groups = newCollection();
  /** memberId → ids of the groups whose `members` list it directly. */
  private membership = new Map<string, Set<string>>();
  /**
   * The entries of `membership` whose member is a Group, sharing their Sets. Rendering a User
   * walks up from each of its groups; this small map keeps that walk out of the large one,
   * whose random lookups cost cache misses at 100k users.
   */
  private groupMembership = new Map<string, Set<string>>();
  private settingsValue: Readonly<Record<string, string>> = Object.freeze({});
  private seq = 0;
  private readonly listeners = new Set<(event: CommitEvent) => void>();
  private readonly compactionMinBytes: number;

  private journal: Journal | undefined;
  private db: Low<DirectorySnapshot> | undefined;
  private snapshotFile: SnapshotFile | undefined;
  private compaction: Promise<void> | undefined;
  private compactions = 0;
  /** After a failed background compaction: do not retry before the journal reaches this size. */
  private compactionRetryAt = 0;
  private closing: Promise<void> | undefined;
  private tornBytesDropped = 0;
  private releaseLock: () => Promise<void> = async () => undefined;

  private constructor(private readonly options: StoreOptions) {
    this.compactionMinBytes = options.compactionMinBytes ?? DEFAULT_COMPACTION_MIN_BYTES;
  }

  /**
   * Opens (or creates) the store. A damaged, read-only or unusable snapshot or journal rejects
   * with a StoreOpenError and no file is modified; a torn final journal line (a write without
   * its newline, never acknowledged) is dropped.
   */
  static async open(options: StoreOptions): Promise<DirectoryStore> {
    const store = new DirectoryStore(options);
    if (options.file !== undefined) {
      const file = resolve(options.file);
      store.releaseLock = await acquireFileLock(file);
      try {
        await store.load(file);
      } catch (error) {
        await store.journal?.close().catch(() => undefined);
        await store.releaseLock().catch(() => undefined);
        throw asOpenError(error, file);
      }
    }
    return store;
  }

  // ---- reads -------------------------------------------------------------------------------

  get(type: ResourceTypeName, id: string): StoredResource | undefined {
    return this.collection(type).byId.get(id);
  }

  findUserByUserName(userName: string): StoredResource | undefined {
    return this.oldest(this.users, this.users.names.all(caseInsensitiveKey(userName)));
  }

  /**
   * Every resource of the type with this externalId. Several holders come back oldest first
   * (meta.created, then id): an order that does not depend on the history of renames, so it is
   * the same before and after a restart.
   */
  findByExternalId(type: ResourceTypeName, externalId: string): StoredResource[] {
    const collection = this.collection(type);
    const found: StoredResource[] = [];
    for (const id of collection.externalIds.all(externalId)) {
      const resource = collection.byId.get(id);
      if (resource) found.push(resource);
    }
    if (found.length > 1) found.sort(byCreation);
    return found;
  }

  /** The group with this displayName (the oldest, should several share it). */
  findGroupByDisplayName(displayName: string): StoredResource | undefined {
    return this.oldest(this.groups, this.groups.names.all(caseInsensitiveKey(displayName)));
  }

  /**
   * Ids of the groups that directly contain `memberId`, in no guaranteed order (sort them if
   * the order is shown). A live view: copy it to keep it across commits.
   */
  groupIdsOf(memberId: string): ReadonlySet<string> {
    return this.membership.get(memberId) ?? EMPTY_SET;
  }

  /** groupIdsOf for a member known to be a Group: the same answer from a much smaller index. */
  parentGroupIdsOf(groupId: string): ReadonlySet<string> {
    return this.groupMembership.get(groupId) ?? EMPTY_SET;
  }

  /** All resources of a type in creation order (a replaced resource keeps its place). */
  all(type: ResourceTypeName): IterableIterator<StoredResource> {
    return this.collection(type).byId.values();
  }

  count(type: ResourceTypeName): number {
    return this.collection(type).byId.size;
  }

  get settings(): Readonly<Record<string, string>> {
    return this.settingsValue;
  }

  get stats(): StoreStats {
    return {
      seq: this.seq,
      fsyncs: this.journal?.counters.fsyncs ?? 0,
      records: this.journal?.counters.records ?? 0,
      journalBytes: this.journal?.bytes ?? 0,
      snapshotBytes: this.snapshotFile?.bytes ?? 0,
      compactions: this.compactions,
      compacting: this.compaction !== undefined,
      failed: this.journal?.failed !== undefined,
      tornBytesDropped: this.tornBytesDropped,
    };
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Applies changes in memory synchronously (visible to reads as soon as commit() returns its
   * promise), then resolves once durable. All changes of one call form one journal line, so
   * after a crash either all of them are there or none.
   *
   * If the journal write or fsync fails the promise rejects with StoreFailedError and so does
   * every later commit: memory already holds the change, but the disk may not, and the host
   * cannot know which of its recent writes survived — it should answer 500 and be restarted.
   * A bad change (not a well-formed resource) rejects with a TypeError and changes nothing.
   */
  commit(changes: readonly Change[], cause: CommitCause = {}): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let prepared: PreparedChange[];
    try {
      // Everything that can throw happens here, before memory changes: the commit is atomic.
      prepared = changes.map((change) => this.prepare(change));
    } catch (error) {
      return Promise.reject(error);
    }
    const ops: string[] = [];
    const changed = new ChangeSet();
    for (const change of prepared) {
      if (change.op === 'put') this.applyPut(change.resource, change.json, ops, changed);
      else this.applyDelete(change.type, change.id, ops, changed);
    }
    return this.persist(ops, changed, cause);
  }

  setSetting(key: string, value: string): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (typeof key !== 'string' || typeof value !== 'string') {
      return Promise.reject(new TypeError('setSetting: key and value must be strings'));
    }
    this.settingsValue = Object.freeze({ ...this.settingsValue, [key]: value });
    return this.persist([settingOp(key, value)]);
  }

  /** Called once per commit, after it is durable (in memory: in a microtask after the commit). */
  subscribe(listener: (event: CommitEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The whole directory. The arrays are new; the resources are the store's (do not mutate). */
  exportDocument(): DirectoryDocument {
    return { users: [...this.users.byId.values()], groups: [...this.groups.byId.values()] };
  }

  /**
   * Replaces every resource with the document's (settings stay). The document is validated
   * first; a bad one rejects with an Error naming the problem and changes nothing. Listeners
   * get one event, marked `cleared`, with a put for every imported resource.
   */
  importDocument(doc: DirectoryDocument): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const value: unknown = doc;
    const problem = !isObject(value)
      ? 'the document is not a JSON object'
      : (collectionProblem(value.users, 'User') ?? collectionProblem(value.groups, 'Group'));
    if (problem !== undefined) return Promise.reject(new Error(`Cannot import the directory document: ${problem}`));
    let users: StoredResource[];
    let groups: StoredResource[];
    let ops: string;
    try {
      // Copies: the caller keeps its document, and the copies are plain JSON the store can own.
      users = doc.users.map((resource) => cloneJson(resource));
      groups = doc.groups.map((resource) => cloneJson(resource));
      const parts = [CLEAR_OP];
      for (const user of users) parts.push(putOp('User', JSON.stringify(user)));
      for (const group of groups) parts.push(putOp('Group', JSON.stringify(group)));
      // Joined before anything changes: a document too large for one string (V8's limit is
      // ~512 MB) is refused here, not half-applied.
      ops = parts.join(',');
    } catch (error) {
      return Promise.reject(new Error(`Cannot import the directory document: ${String(error)}`, { cause: error }));
    }
    this.clearAll();
    const changed = new ChangeSet(true);
    for (const resource of [...users, ...groups]) {
      this.storePut(resource, undefined);
      changed.add('put', resource.meta.resourceType, resource.id);
    }
    // One line: an import interrupted by a crash must not leave half a directory.
    return this.persist(ops, changed);
  }

  /** Empties the directory; settings are kept. */
  reset(): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    this.clearAll();
    return this.persist([CLEAR_OP], new ChangeSet(true));
  }

  /** Writes a snapshot now (waiting for a running compaction first) and restarts the journal. */
  async compact(): Promise<void> {
    if (!this.journal) return;
    const refused = this.refusal();
    if (refused) throw refused;
    while (this.compaction) await this.compaction.catch(() => undefined);
    await this.runCompaction();
  }

  /** Flushes pending commits, compacts, and releases the files. Later writes are refused. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  // ---- internals: applying changes ---------------------------------------------------------

  /** The oldest of `ids` (usually there is exactly one): the same answer before and after a restart. */
  private oldest(collection: Collection, ids: readonly string[]): StoredResource | undefined {
    let found: StoredResource | undefined;
    for (const id of ids) {
      const resource = collection.byId.get(id);
      if (resource && (found === undefined || byCreation(resource, found) < 0)) found = resource;
    }
    return found;
  }

  private collection(type: ResourceTypeName): Collection {
    return type === 'User' ? this.users : this.groups;
  }

  private refusal(): Error | undefined {
    if (this.closing) return new StoreClosedError();
    return this.journal?.failed;
  }

  private prepare(change: Change): PreparedChange {
    const value: unknown = change;
    if (!isObject(value)) throw new TypeError('commit: a change is not an object');
    if (change.op === 'put') {
      const problem = resourceProblem(change.resource);
      if (problem !== undefined) throw new TypeError(`commit: the resource to put ${problem}`);
      // Serializing up front also rejects values JSON cannot hold (BigInt, cycles) before
      // anything changes. For a group journaled as a delta this string goes unused: O(group)
      // CPU, but not O(group) bytes on disk.
      return { op: 'put', resource: change.resource, json: JSON.stringify(change.resource) };
    }
    if (change.op === 'delete') {
      if (!isResourceTypeName(change.type) || typeof change.id !== 'string') {
        throw new TypeError('commit: a delete needs a type ("User" or "Group") and a string id');
      }
      return change;
    }
    throw new TypeError(`commit: unknown op ${JSON.stringify(value.op)}`);
  }

  private applyPut(resource: StoredResource, json: string, ops: string[], changed: ChangeSet): void {
    const type = resource.meta.resourceType;
    const previous = this.collection(type).byId.get(resource.id);
    let op = putOp(type, json);
    let memberChange: MemberChange | undefined;
    if (type === 'Group' && previous && Array.isArray(previous.members) && Array.isArray(resource.members)) {
      const diff = diffMembers(previous.members, resource.members);
      if (diff) {
        const deltaOp = membersOp(resource, diff.delta);
        if (deltaOp.length < op.length) {
          op = deltaOp;
          memberChange = { removed: diff.delta.remove, added: diff.added };
        }
      }
    }
    ops.push(op);
    this.storePut(resource, previous, memberChange);
    changed.add('put', type, resource.id);
  }

  private applyDelete(type: ResourceTypeName, id: string, ops: string[], changed: ChangeSet): void {
    if (!this.storeDelete(type, id)) return;
    ops.push(deleteOp(type, id));
    changed.add('delete', type, id);
    // Cascade: the groups that listed the deleted resource lose it, as new revisions. Journaled
    // explicitly (not re-derived at replay) so revision and lastModified replay exactly.
    const containing = this.membership.get(id);
    if (!containing) return;
    const lastModified = (this.options.now?.() ?? new Date()).toISOString();
    for (const groupId of [...containing]) {
      const group = this.groups.byId.get(groupId);
      if (!group) continue;
      const members = membersOf(group).filter((member) => !(isMember(member) && member.value === id));
      const next: StoredResource = {
        ...group,
        meta: { ...group.meta, revision: group.meta.revision + 1, lastModified },
      };
      if (members.length > 0) {
        next.members = members;
        ops.push(membersOp(next, { remove: [id], upsert: [], count: members.length }));
        this.storePut(next, group, { removed: [id], added: [] });
      } else {
        // An empty multi-valued attribute is unassigned (RFC 7643 §2.5): drop it, as PUT does.
        delete next.members;
        ops.push(putOp('Group', JSON.stringify(next)));
        this.storePut(next, group);
      }
      changed.add('put', 'Group', groupId);
    }
  }

  /** Puts `resource` in its collection and moves every index entry that changed. */
  private storePut(resource: StoredResource, previous: StoredResource | undefined, memberChange?: MemberChange): void {
    const type = resource.meta.resourceType;
    const collection = this.collection(type);
    const id = resource.id;
    collection.byId.set(id, resource);
    collection.externalIds.move(externalIdOf(previous), externalIdOf(resource), id);
    collection.names.move(nameKey(type, previous), nameKey(type, resource), id);
    if (type !== 'Group') return;
    if (!previous) {
      // While a file loads, a group can be listed as a member before its own record is read.
      const parents = this.membership.get(id);
      if (parents) this.groupMembership.set(id, parents);
    }
    if (memberChange) {
      for (const value of memberChange.removed) this.unlink(value, id);
      for (const value of memberChange.added) this.link(value, id);
    } else if (!previous) {
      for (const member of membersOf(resource)) if (isMember(member)) this.link(member.value, id);
    } else {
      const before = new Set<string>();
      for (const member of membersOf(previous)) if (isMember(member)) before.add(member.value);
      const after = new Set<string>();
      for (const member of membersOf(resource)) if (isMember(member)) after.add(member.value);
      for (const value of before) if (!after.has(value)) this.unlink(value, id);
      for (const value of after) if (!before.has(value)) this.link(value, id);
    }
  }

  /** Removes a resource and its index entries (not its appearances in groups: see the cascade). */
  private storeDelete(type: ResourceTypeName, id: string): StoredResource | undefined {
    const collection = this.collection(type);
    const previous = collection.byId.get(id);
    if (!previous) return undefined;
    collection.byId.delete(id);
    collection.externalIds.move(externalIdOf(previous), undefined, id);
    collection.names.move(nameKey(type, previous), undefined, id);
    if (type === 'Group') {
      this.groupMembership.delete(id);
      for (const member of membersOf(previous)) if (isMember(member)) this.unlink(member.value, id);
    }
    return previous;
  }

  private link(memberId: string, groupId: string): void {
    let groups = this.membership.get(memberId);
    if (!groups) {
      groups = new Set();
      this.membership.set(memberId, groups);
      if (this.groups.byId.has(memberId)) this.groupMembership.set(memberId, groups);
    }
    groups.add(groupId);
  }

  private unlink(memberId: string, groupId: string): void {
    const groups = this.membership.get(memberId);
    if (!groups) return;
    groups.delete(groupId);
    if (groups.size === 0) {
      this.membership.delete(memberId);
      this.groupMembership.delete(memberId);
    }
  }

  private clearAll(): void {
    this.users = newCollection();
    this.groups = newCollection();
    this.membership = new Map();
    this.groupMembership = new Map();
  }

  /**
   * Journals one transaction (its ops serialized, or already comma-joined); resolves when
   * durable, at once in memory mode.
   */
  private persist(ops: readonly string[] | string, changed?: ChangeSet, cause: CommitCause = {}): Promise<void> {
    if (ops.length === 0) {
      // Nothing to write, but keep the promise's meaning: everything committed before is durable.
      return this.journal ? this.journal.sync() : Promise.resolve();
    }
    const seq = ++this.seq;
    const durable = this.journal
      ? this.journal.append(seq, recordLine(seq, typeof ops === 'string' ? ops : ops.join(',')))
      : Promise.resolve();
    if (changed === undefined || this.listeners.size === 0) return durable;
    // Announced only once durable: a listener that reloads must never see a write that a crash
    // could still take back. A failed write is not announced (the commit rejects instead).
    const event: CommitEvent = {
      seq,
      ...(cause.exchange === undefined ? {} : { exchange: cause.exchange }),
      ...(changed.cleared ? { cleared: true as const } : {}),
      changes: changed.list(),
    };
    return durable.then(() => this.emit(event));
  }

  private emit(event: CommitEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not undo or fail a commit that already happened.
        this.reportError(error);
      }
    }
  }

  private reportError(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (this.options.onError) this.options.onError(failure);
    // A StoreError's message is the whole story; anything else is a bug and wants its stack.
    else if (failure instanceof StoreError) console.error(`[scimulator store] ${failure.message}`);
    else console.error('[scimulator store]', failure);
  }

  // ---- internals: files --------------------------------------------------------------------

  private async load(file: string): Promise<void> {
    const journalPath = `${file}.journal`;
    await mkdir(dirname(file), { recursive: true });
    // Before reading: a file the store could not write later must stop it now, not at the first
    // commit (and a read-only snapshot must not be replaced by a compaction).
    await checkUsable(file);
    await checkUsable(journalPath);
    const snapshotFile = new SnapshotFile(file, this.options.readBufferBytes);
    // Constructed directly: lowdb's node preset swaps in a memory adapter under NODE_ENV=test.
    const db = new Low<DirectorySnapshot>(snapshotFile, emptySnapshot());
    await db.read();
    const existed = snapshotFile.bytes > 0;
    const snapshot = db.data;
    for (const user of snapshot.users) this.storePut(user, undefined);
    for (const group of snapshot.groups) this.storePut(group, undefined);
    this.settingsValue = Object.freeze({ ...snapshot.settings });

    const base = snapshot.journalSeq;
    let last = 0;
    const scan = await scanJournal(
      journalPath,
      (record) => {
        this.replay(record, base, last);
        last = record.seq;
      },
      this.options.readBufferBytes,
    );
    this.seq = Math.max(base, last);

    // Everything parsed: only now may files be touched.
    if (!existed) await db.write();
    this.journal = await Journal.open(journalPath, scan, {
      durable: () => this.maybeCompact(),
      failed: (error) => this.reportError(error),
    });
    this.tornBytesDropped = scan.fileBytes - scan.validBytes;
    this.db = db;
    this.snapshotFile = snapshotFile;
    // The maps are the live model; keeping the parsed arrays would pin replaced resources.
    db.data = { ...snapshot, users: [], groups: [] };
    // Leftovers of a compaction interrupted by a crash; never read, and rewritten from scratch
    // by the next compaction, so failing to remove them is harmless.
    await rm(`${file}.tmp`, { force: true }).catch(() => undefined);
    await rm(`${journalPath}.tmp`, { force: true }).catch(() => undefined);
  }

  /** Applies one journal record at open. Throws (with a reason) when the files disagree. */
  private replay(record: JournalRecord, base: number, last: number): void {
    if (record.seq <= last) throw new Error(`seq ${record.seq} does not follow seq ${last}`);
    if (record.seq <= base) return; // already in the snapshot
    const previous = Math.max(last, base);
    if (record.seq !== previous + 1) {
      throw new Error(
        `seq ${record.seq} follows seq ${previous}: records are missing (was the snapshot replaced or the journal edited?)`,
      );
    }
    for (const op of record.ops) this.replayOp(op);
  }

  /** One op of a record journal-record.ts has checked for shape; judges only its fit. */
  private replayOp(op: JournalOp): void {
    switch (op.op) {
      case 'put':
        this.storePut(op.resource, this.collection(op.resource.meta.resourceType).byId.get(op.resource.id));
        return;
      case 'delete':
        this.storeDelete(op.type, op.id);
        return;
      case 'members':
        this.replayMembers(op);
        return;
      case 'setting':
        this.settingsValue = Object.freeze({ ...this.settingsValue, [op.key]: op.value });
        return;
      case 'clear':
        this.clearAll();
        return;
    }
  }

  private replayMembers(op: Extract<JournalOp, { op: 'members' }>): void {
    const { id, group } = op;
    const previous = this.groups.byId.get(id);
    if (!previous || !Array.isArray(previous.members)) throw new Error(`members: group ${id} does not exist or has no members list`);
    const removed = new Set(op.remove);
    const contains = (value: string): boolean => this.membership.get(value)?.has(id) ?? false;
    const added = op.upsert
      .filter((member: StoredMember) => !contains(member.value) || removed.has(member.value))
      .map((member: StoredMember) => member.value);
    const members = applyMembersDelta(previous.members, op, contains);
    if (typeof members === 'string') throw new Error(`members: ${members}`);
    group.members = members;
    this.storePut(group, previous, { removed: op.remove, added });
  }

  private maybeCompact(): void {
    const journal = this.journal;
    const snapshotFile = this.snapshotFile;
    if (!journal || !snapshotFile || this.compaction || this.closing || journal.failed) return;
    const threshold = Math.max(this.compactionMinBytes, snapshotFile.bytes, this.compactionRetryAt);
    if (journal.bytes <= threshold) return;
    this.runCompaction().catch((error: unknown) => {
      // Nothing is lost (the journal still holds every record); retry after it grows further.
      this.compactionRetryAt = journal.bytes + Math.max(this.compactionMinBytes, snapshotFile.bytes);
      // A journal that failed during the swap has reported that already.
      if (error !== journal.failed) this.reportError(error);
    });
  }

  private runCompaction(): Promise<void> {
    const run: Promise<void> = this.compactOnce().finally(() => {
      if (this.compaction === run) this.compaction = undefined;
    });
    this.compaction = run;
    return run;
  }

  /**
   * Snapshot, then restart the journal. The consistent point is taken synchronously: the arrays
   * of current resource objects (never mutated later) plus the seq of the last record applied.
   * Records committed afterwards go to the journal as usual and are also captured, so the
   * fresh journal starts with them.
   */
  private async compactOnce(): Promise<void> {
    const journal = this.journal;
    const db = this.db;
    if (!journal || !db) return;
    const seq = this.seq;
    db.data = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      journalSeq: seq,
      settings: { ...this.settingsValue },
      users: [...this.users.byId.values()],
      groups: [...this.groups.byId.values()],
    };
    journal.startCapture(seq);
    try {
      await this.options.onCompaction?.('started');
      await db.write().catch((error: unknown) => {
        throw error instanceof StoreError ? error : new StoreCompactionError(pathOf(error) ?? this.snapshotFile?.path ?? 'the snapshot', error);
      });
      await this.options.onCompaction?.('snapshot-written');
    } catch (error) {
      journal.stopCapture();
      throw error;
    } finally {
      db.data = { ...db.data, users: [], groups: [] };
    }
    await journal.swap();
    this.compactions++;
    this.compactionRetryAt = 0;
    await this.options.onCompaction?.('finished');
  }

  private async closeOnce(): Promise<void> {
    const journal = this.journal;
    if (!journal) return;
    await journal.sync().catch(() => undefined);
    await this.compaction?.catch(() => undefined);
    if (!journal.failed && journal.bytes > 0) {
      try {
        await this.runCompaction();
      } catch (error) {
        // The journal still holds everything; the next open replays it.
        this.reportError(error);
      }
    }
    await journal.close();
    await this.releaseLock();
  }
}

