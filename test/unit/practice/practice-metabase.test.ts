/**
 * practice:metabase behaves as Metabase Enterprise's SCIM API does
 * (metabase-enterprise.scim.v2.api): each documented behaviour, through the practice target, with
 * the exact status and body.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPracticeTarget, type PracticeTarget } from '../../../src-main/runner/targets/practice-target.js';
import { GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA, json, send, userBody } from './practice-support.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
let target: PracticeTarget;
beforeEach(() => {
  target = createPracticeTarget('metabase');
});

async function create(userName: string): Promise<string> {
  const response = await send(target, 'POST', '/Users', { body: userBody(userName) });
  expect(response.status).toBe(201);
  return json(response).id as string;
}

const patch = (id: string, Operations: unknown[]) => send(target, 'PATCH', `/Users/${id}`, { body: { schemas: [PATCH_SCHEMA], Operations } });

describe('practice:metabase', () => {
  it('accepts exactly userName eq "…" as a user filter', async () => {
    await create('ada@example.com');
    const found = await send(target, 'GET', '/Users', { query: 'filter=userName%20eq%20%22ADA%40example.com%22' });
    expect(found.status).toBe(200);
    expect(json(found).Resources.map((user: { userName: string }) => user.userName)).toEqual(['ada@example.com']);
  });

  it('answers any other user filter with 400 "Unsupported filter parameter"', async () => {
    const response = await send(target, 'GET', '/Users', { query: 'filter=userName+eq+%22ada%40example.com%22+and+active+eq+true' });
    expect(response.status).toBe(400);
    expect(json(response)).toEqual({ schemas: [ERROR_SCHEMA], detail: 'Unsupported filter parameter: userName eq "ada@example.com" and active eq true', status: 400 });
  });

  it('accepts only displayName eq "…" as a group filter; any other is a 400 whose body is just the filter', async () => {
    await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } });
    expect(json(await send(target, 'GET', '/Groups', { query: 'filter=displayName+eq+%22Engineering%22' })).totalResults).toBe(1);
    const other = await send(target, 'GET', '/Groups', { query: 'filter=externalId+eq+%22x%22' });
    expect(other.status).toBe(400);
    expect(json(other)).toEqual({ filter: 'externalId eq "x"' });
  });

  it('requires name.givenName, name.familyName and emails on create', async () => {
    const response = await send(target, 'POST', '/Users', { body: { schemas: [USER_SCHEMA], userName: 'ada@example.com', name: { givenName: 'Ada' } } });
    expect(response.status).toBe(400);
    expect(json(response)['specific-errors']).toEqual({
      'scim-user': { name: { familyName: ['missing required key, received: nil'] }, emails: ['missing required key, received: nil'] },
    });
  });

  it('answers a duplicate email with 409', async () => {
    await create('ada@example.com');
    const response = await send(target, 'POST', '/Users', { body: userBody('Ada@Example.com') });
    expect(response.status).toBe(409);
    expect(json(response)).toEqual({ schemas: [ERROR_SCHEMA], detail: 'Email address is already in use', status: 409 });
  });

  it('refuses a PUT that changes the email with 400', async () => {
    const id = await create('ada@example.com');
    const response = await send(target, 'PUT', `/Users/${id}`, { body: userBody('augusta@example.com') });
    expect(response.status).toBe(400);
    expect(json(response)).toEqual({ schemas: [ERROR_SCHEMA], detail: 'You may not update the email of an existing user.', status: 400 });
  });

  it('applies replace on active, userName, name.givenName and name.familyName, and ignores other ops', async () => {
    const id = await create('ada@example.com');
    const response = await patch(id, [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'replace', path: 'name.givenName', value: 'Augusta' },
      { op: 'add', path: 'title', value: 'Countess' },
    ]);
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({ active: false, name: { givenName: 'Augusta', familyName: 'Lovelace' } });
  });

  it('answers a replace of any other path, or of none, with 400 "Unsupported path"', async () => {
    const id = await create('ada@example.com');
    const other = await patch(id, [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'augusta@example.com' }]);
    expect(other.status).toBe(400);
    expect(json(other)).toEqual({ schemas: [ERROR_SCHEMA], detail: 'Unsupported path: emails[type eq "work"].value', status: 400 });
    const pathless = await patch(id, [{ op: 'replace', value: 'x' }]);
    expect(json(pathless).detail).toBe('Unsupported path: null');
  });

  it('fails Okta\'s path-less deactivation (its object value is refused), leaving the user active', async () => {
    const id = await create('ada@example.com');
    const response = await patch(id, [{ op: 'replace', value: { active: false } }]);
    expect(response.status).toBe(400);
    expect(json(response)['specific-errors']['patch-ops']).toEqual({
      Operations: [{ value: ['should be either a non-blank string or a boolean, received: {"active":false}'] }],
    });
    expect(json(await send(target, 'GET', `/Users/${id}`)).active).toBe(true);
  });

  it('has no group PATCH and no user DELETE', async () => {
    const id = await create('ada@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } }));
    for (const [method, path] of [['DELETE', `/Users/${id}`], ['PATCH', `/Groups/${group.id}`]] as const) {
      const response = await send(target, method, path, { body: { schemas: [PATCH_SCHEMA], Operations: [] } });
      expect(response, `${method} ${path}`).toMatchObject({ status: 404, body: 'API endpoint does not exist.' });
    }
    expect(target.practice.directory().users.some((user) => user.id === id)).toBe(true);
  });

  it('keeps the old members when PUT /Groups sends an empty members list', async () => {
    const id = await create('ada@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: id }] } }));
    const response = await send(target, 'PUT', `/Groups/${group.id}`, { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [] } });
    expect(response.status).toBe(200);
    expect(json(response).members.map((member: { value: string }) => member.value)).toEqual([id]);
  });

  it('has no discovery endpoints', async () => {
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
      expect(await send(target, 'GET', path), path).toMatchObject({ status: 404, body: 'API endpoint does not exist.' });
    }
  });

  it('answers a missing or wrong token with a plain 401 "Unauthenticated"', async () => {
    expect(await send(target, 'GET', '/Users', { authorization: null })).toMatchObject({ status: 401, body: 'Unauthenticated' });
    expect(await send(target, 'GET', '/Schemas', { authorization: 'Bearer nope' })).toMatchObject({ status: 401, body: 'Unauthenticated' });
  });
});
