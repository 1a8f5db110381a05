/**
 * The mock IdP's directory kept between runs (`scimulator run --idp-state FILE`): its own lowdb
 * file, apart from the provider's directory, so a second run against the same target updates
 * what the first created instead of creating it again. A file that is not an IdP state is an
 * error and is never overwritten.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { IdpDirectory, type IdpDirectoryDocument } from './directory.js';

export const IDP_STATE_FORMAT = 'scimulator-idp-state';
export const IDP_STATE_VERSION = 1;

interface IdpStateFile extends IdpDirectoryDocument {
  format: typeof IDP_STATE_FORMAT;
  version: typeof IDP_STATE_VERSION;
}

export class IdpStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdpStateError';
  }
}

export interface IdpState {
  readonly directory: IdpDirectory;
  /** Writes the directory back (atomically: lowdb writes a temporary file and renames it). */
  save(): Promise<void>;
}

function isStateFile(value: unknown): value is IdpStateFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<IdpStateFile>;
  return (
    file.format === IDP_STATE_FORMAT &&
    Array.isArray(file.people) &&
    Array.isArray(file.groups) &&
    typeof file.targets === 'object' &&
    file.targets !== null
  );
}

/** Opens FILE (creating it, and its folder, on save when missing). */
export async function openIdpState(file: string): Promise<IdpState> {
  const db = new Low<IdpStateFile | null>(new JSONFile<IdpStateFile | null>(file), null);
  try {
    await db.read();
  } catch (error) {
    throw new IdpStateError(`Cannot read the IdP state ${file}: ${(error as Error).message}; fix or delete it`, { cause: error });
  }
  if (db.data !== null && !isStateFile(db.data)) {
    throw new IdpStateError(`${file} is not a Scimulator IdP state (no "format": "${IDP_STATE_FORMAT}"); pass another --idp-state file`);
  }
  if (db.data !== null && db.data.version !== IDP_STATE_VERSION) {
    throw new IdpStateError(`${file} is an IdP state of version ${String(db.data.version)}; this Scimulator reads version ${IDP_STATE_VERSION}`);
  }
  const directory = new IdpDirectory(db.data ?? undefined);
  return {
    directory,
    async save() {
      db.data = { format: IDP_STATE_FORMAT, version: IDP_STATE_VERSION, ...directory.toDocument() };
      // The folder may not exist yet (`--idp-state states/ci.json`); found missing only after the
      // run, the state of what the run created on the target would be lost.
      await mkdir(dirname(file), { recursive: true });
      await db.write();
    },
  };
}
