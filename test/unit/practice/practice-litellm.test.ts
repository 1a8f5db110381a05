/**
 * practice:litellm behaves as LiteLLM's SCIM endpoint does (proxy/management_endpoints/scim/scim_v2.py):
 * each documented behaviour, through the practice target, with the exact status and body.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPracticeTarget, type PracticeTarget } from '../../../src-main/runner/targets/practice-target.js';
import { GROUP_SCHEMA, PATCH_SCHEMA, json, send, userBody } from './practice-support.js';

let target: PracticeTarget;
let clock = 0;
beforeEach(() => {
  clock = Date.UTC(2025, 0, 1);
  target = createPracticeTarget('litellm', { now: () => new Date((clock += 1000)) });
});

const create = (userName: string) => send(target, 'POST', '/Users', { body: userBody(userName) });

describe('practice:litellm', () => {
  it('uses the userName as the user id', async () => {
    const created = await create('ada@example.com');
    expect(created.status).toBe(201);
    expect(json(created).id).toBe('ada@example.com');
    expect(json(await send(target, 'GET', '/Users/ada@example.com')).id).toBe('ada@example.com');
  });

  it('filters by userName eq and emails.value eq only, listing everyone for any other filter', async () => {
    await create('ada@example.com');
    await create('alan@example.com');
    const byUserName = json(await send(target, 'GET', '/Users', { query: 'filter=userName+eq+%22ada%40example.com%22' }));
    expect(byUserName.Resources.map((user: { id: string }) => user.id)).toEqual(['ada@example.com']);
    const byEmail = json(await send(target, 'GET', '/Users', { query: 'filter=emails.value%20eq%20%22alan%40example.com%22' }));
    expect(byEmail.totalResults).toBe(1);
    const ignored = json(await send(target, 'GET', '/Users', { query: 'filter=externalId+eq+%22nobody%22' }));
    expect(ignored.totalResults).toBe(2);
  });

  it('pages 10 users by default and lists the newest first', async () => {
    for (let index = 0; index < 12; index++) await create(`user${index}@example.com`);
    const list = json(await send(target, 'GET', '/Users'));
    expect(list).toMatchObject({ totalResults: 12, startIndex: 1, itemsPerPage: 10 });
    expect(list.Resources.slice(0, 2).map((user: { id: string }) => user.id)).toEqual(['user11@example.com', 'user10@example.com']);
  });

  it('refuses a count over 100 with a FastAPI validation body', async () => {
    const response = await send(target, 'GET', '/Users', { query: 'startIndex=1&count=200' });
    expect(response.status).toBe(422);
    expect(json(response)).toEqual({
      detail: [{ type: 'less_than_equal', loc: ['query', 'count'], msg: 'Input should be less than or equal to 100', input: '200', ctx: { le: 100 } }],
    });
  });

  it('answers PUT /Users with a 500 (its `return None` under a response model) and changes nothing', async () => {
    await create('ada@example.com');
    const response = await send(target, 'PUT', '/Users/ada@example.com', { body: userBody('ada@example.com', { name: { givenName: 'Augusta', familyName: 'King' } }) });
    expect(response).toMatchObject({ status: 500, body: 'Internal Server Error' });
    expect(json(await send(target, 'GET', '/Users/ada@example.com')).name.givenName).toBe('Ada');
  });

  it('answers PATCH /Users with a 500 and applies nothing (Okta\'s deactivation is lost)', async () => {
    await create('ada@example.com');
    const response = await send(target, 'PATCH', '/Users/ada@example.com', {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] },
    });
    expect(response).toMatchObject({ status: 500, body: 'Internal Server Error' });
    expect(json(await send(target, 'GET', '/Users/ada@example.com')).active).toBe(true);
  });

  it('refuses Entra\'s capitalised PATCH ops with a 422 (op is a lower-case Literal)', async () => {
    await create('ada@example.com');
    const response = await send(target, 'PATCH', '/Users/ada@example.com', {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    });
    expect(response.status).toBe(422);
    expect(json(response).detail[0]).toMatchObject({ type: 'literal_error', loc: ['body', 'Operations', 0, 'op'], input: 'Replace' });
  });

  it('answers PATCH /Groups with a 500 and leaves the members as they were', async () => {
    await create('ada@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [] } }));
    await send(target, 'PUT', `/Groups/${group.id}`, { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: 'ada@example.com' }] } });
    const response = await send(target, 'PATCH', `/Groups/${group.id}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: 'members[value eq "ada@example.com"]' }] },
    });
    expect(response).toMatchObject({ status: 500, body: 'Internal Server Error' });
    expect(target.practice.directory().groups[0]?.members).toEqual(['ada@example.com']);
  });

  it('drops group members that are not existing users without a word', async () => {
    await create('ada@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } }));
    const response = await send(target, 'PUT', `/Groups/${group.id}`, {
      body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: 'ada@example.com' }, { value: 'ghost@example.com' }] },
    });
    expect(response.status).toBe(200);
    expect(json(response).members).toEqual([{ value: 'ada@example.com', display: 'ada@example.com' }]);
  });

  it('reads a created group\'s members back as "Unknown Member Value"', async () => {
    await create('ada@example.com');
    const created = await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: 'ada@example.com' }] } });
    expect(created.status).toBe(201);
    expect(json(created).members).toEqual([{ value: 'Unknown Member Value', display: null }]);
  });

  it('answers errors with FastAPI bodies, not the SCIM Error schema', async () => {
    const missing = await send(target, 'GET', '/Users/nobody@example.com');
    expect(missing.status).toBe(404);
    expect(json(missing)).toEqual({ detail: { error: 'User not found with ID: nobody@example.com' } });
    await create('ada@example.com');
    const duplicate = await create('ada@example.com');
    expect(duplicate.status).toBe(409);
    expect(json(duplicate)).toEqual({ detail: { error: 'User already exists with username: ada@example.com' } });
  });

  it('has no discovery endpoints', async () => {
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
      const response = await send(target, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(json(response), path).toEqual({ detail: 'Not Found' });
    }
  });

  it('refuses a request without the key, or with another, as the proxy\'s auth does', async () => {
    const none = await send(target, 'GET', '/Users', { authorization: null });
    expect(none.status).toBe(401);
    expect(json(none)).toEqual({ error: { message: 'Authentication Error, No api key passed in.', type: 'auth_error', param: 'None', code: '401' } });
    const wrong = await send(target, 'GET', '/Users', { authorization: 'Bearer sk-wrong' });
    expect(json(wrong).error.message).toBe('Authentication Error, Invalid proxy server token passed');
  });
});
