import { describe, expect, it } from 'vitest';
import { DirectoryDocumentError, readDirectoryDocument } from '../../../src-main/scim/directory-document.js';
import { buildSeedDirectory } from '../../../src-main/seed.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const meta = { created: '2024-01-01T00:00:00Z', lastModified: '2024-02-01T00:00:00Z', revision: 3 };
const user = (id: string, userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER], id, userName, meta, ...extra });
const group = (id: string, displayName: string, members: string[]) => ({ id, displayName, members: members.map((value) => ({ value })), meta });

const refusal = (document: unknown) => {
  try {
    readDirectoryDocument(document);
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryDocumentError);
    return (error as Error).message;
  }
  throw new Error('the document was accepted');
};

describe('directory documents', () => {
  it('accepts a seeded directory unchanged', () => {
    const seed = buildSeedDirectory(60);
    expect(readDirectoryDocument(JSON.parse(JSON.stringify(seed)))).toEqual(seed);
  });

  it('canonicalizes resources and keeps ids and meta', () => {
    const { users, groups } = readDirectoryDocument({
      users: [user('u1', 'ada@example.com', { Active: 'True', password: 'x' })],
      groups: [group('g1', 'Admins', ['u1'])],
    });
    expect(users[0]).toEqual({ schemas: [USER], id: 'u1', userName: 'ada@example.com', active: true, meta: { resourceType: 'User', ...meta } });
    expect(groups[0]!.members).toEqual([{ value: 'u1', type: 'User', display: 'ada@example.com' }]);
  });

  it('refuses what the server would refuse, naming where', () => {
    expect(refusal({ users: [user('a', 'x@example.com'), user('b', 'X@Example.com')] })).toMatch(/users\[1\].*userName "X@Example.com".*users\[0\]/);
    expect(refusal({ users: [user('a', 'x'), user('a', 'y')] })).toMatch(/users\[1\] repeats the id "a"/);
    expect(refusal({ users: [{ id: 'z', schemas: [USER] }] })).toMatch(/users\[0\].*userName.*required/);
    expect(refusal({ users: [user('a', 'x', { active: 'maybe' })] })).toMatch(/users\[0\].*active/);
    expect(refusal({ users: [user('a', 'x')], groups: [group('g', 'G', ['nope'])] })).toMatch(/groups\[0\].*"nope"/);
    expect(refusal({ users: [], groups: [group('g', 'G', []), group('h', 'g', [])] })).toMatch(/groups\[1\].*displayName/);
    expect(refusal({ users: {} })).toMatch(/"users" must be an array/);
    expect(refusal([])).toMatch(/not a JSON object/);
  });
});
