/**
 * practice:open-webui behaves as Open WebUI's SCIM router does (routers/scim.py): each documented
 * behaviour, through the practice target, with the exact status and body.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPracticeTarget, type PracticeTarget } from '../../../src-main/runner/targets/practice-target.js';
import { GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA, json, send, userBody } from './practice-support.js';

let target: PracticeTarget;
beforeEach(() => {
  target = createPracticeTarget('open-webui');
});

async function create(userName: string): Promise<string> {
  const response = await send(target, 'POST', '/Users', { body: userBody(userName) });
  expect(response.status).toBe(201);
  return json(response).id as string;
}

const patch = (path: string, Operations: unknown[]) => send(target, 'PATCH', path, { body: { schemas: [PATCH_SCHEMA], Operations } });
const activeOf = async (id: string) => json(await send(target, 'GET', `/Users/${id}`)).active as boolean;

describe('practice:open-webui', () => {
  it('answers /ResourceTypes and /Schemas with bare JSON arrays', async () => {
    const resourceTypes = json(await send(target, 'GET', '/ResourceTypes'));
    expect(Array.isArray(resourceTypes)).toBe(true);
    expect(resourceTypes.map((type: { id: string }) => type.id)).toEqual(['User', 'Group']);
    const schemas = json(await send(target, 'GET', '/Schemas'));
    expect(Array.isArray(schemas)).toBe(true);
    expect(schemas.map((schema: { id: string }) => schema.id)).toEqual([USER_SCHEMA, GROUP_SCHEMA]);
  });

  it('filters users by userName eq only, taking the text between the first quotes', async () => {
    await create('ada@example.com');
    const found = json(await send(target, 'GET', '/Users', { query: 'filter=userName+eq+%22ada%40example.com%22' }));
    expect(found).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect(found.Resources[0].userName).toBe('ada@example.com');
  });

  it('returns every user for any other filter', async () => {
    await create('ada@example.com');
    const list = json(await send(target, 'GET', '/Users', { query: 'filter=externalId+eq+%22nobody%22' }));
    // Ada and the instance's admin: the filter is not applied.
    expect(list.totalResults).toBe(2);
  });

  it('ignores the filter on the group list', async () => {
    await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } });
    const list = json(await send(target, 'GET', '/Groups', { query: 'filter=displayName+eq+%22Nobody%22' }));
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].displayName).toBe('Engineering');
  });

  it('requires displayName and emails on create (422 FastAPI body)', async () => {
    const body = { schemas: [USER_SCHEMA], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' } };
    const response = await send(target, 'POST', '/Users', { body });
    expect(response.status).toBe(422);
    expect(json(response)).toEqual({
      detail: [
        { type: 'missing', loc: ['body', 'displayName'], msg: 'Field required', input: body },
        { type: 'missing', loc: ['body', 'emails'], msg: 'Field required', input: body },
      ],
    });
  });

  it('answers a duplicate email with 409 and a {"detail": …} body', async () => {
    await create('ada@example.com');
    const response = await send(target, 'POST', '/Users', { body: userBody('ada@example.com') });
    expect(response.status).toBe(409);
    expect(json(response)).toEqual({ detail: 'User with email ada@example.com already exists' });
  });

  it('treats PUT as a partial update: what is absent is kept', async () => {
    const id = await create('ada@example.com');
    const response = await send(target, 'PUT', `/Users/${id}`, { body: { schemas: [USER_SCHEMA], active: false } });
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({ userName: 'ada@example.com', displayName: 'Ada Lovelace', active: false });
  });

  it('applies replace on active, userName, displayName, the primary email and name.formatted', async () => {
    const id = await create('ada@example.com');
    const response = await patch(`/Users/${id}`, [
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'emails[primary eq true].value', value: 'augusta@example.com' },
      { op: 'replace', path: 'name.formatted', value: 'Augusta King' },
    ]);
    expect(json(response)).toMatchObject({ active: false, userName: 'augusta@example.com', displayName: 'Augusta King' });
  });

  it('silently ignores other ops, other paths and path-less ops, so Okta\'s deactivation does nothing', async () => {
    const id = await create('ada@example.com');
    const okta = await patch(`/Users/${id}`, [{ op: 'replace', value: { active: false } }]);
    expect(okta.status).toBe(200);
    expect(json(okta).active).toBe(true);
    const others = await patch(`/Users/${id}`, [
      { op: 'add', path: 'displayName', value: 'Someone Else' },
      { op: 'replace', path: 'name.givenName', value: 'Augusta' },
    ]);
    expect(json(others)).toMatchObject({ displayName: 'Ada Lovelace', name: { givenName: 'Ada' } });
    expect(await activeOf(id)).toBe(true);
  });

  it('takes Entra\'s "False" as true (a non-empty string), so Entra\'s disable leaves the user active', async () => {
    const id = await create('ada@example.com');
    const response = await patch(`/Users/${id}`, [{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(response.status).toBe(200);
    expect(json(response).active).toBe(true);
    expect(target.practice.directory().users.find((user) => user.id === id)?.active).toBe(true);
  });

  it('handles group replace displayName, replace members, add members and remove members[value eq]', async () => {
    const ada = await create('ada@example.com');
    const alan = await create('alan@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } }));
    const members = async () => json(await send(target, 'GET', `/Groups/${group.id}`)).members.map((member: { value: string }) => member.value).sort();
    await patch(`/Groups/${group.id}`, [{ op: 'replace', path: 'displayName', value: 'Research' }, { op: 'replace', path: 'members', value: [{ value: ada }] }]);
    expect(json(await send(target, 'GET', `/Groups/${group.id}`)).displayName).toBe('Research');
    await patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: alan }] }]);
    expect(await members()).toEqual([ada, alan].sort());
    await patch(`/Groups/${group.id}`, [{ op: 'remove', path: `members[value eq "${ada}"]` }]);
    expect(await members()).toEqual([alan]);
  });

  it('silently ignores Entra\'s Remove with a value array: nobody is removed', async () => {
    const ada = await create('ada@example.com');
    const group = json(await send(target, 'POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: ada }] } }));
    const response = await patch(`/Groups/${group.id}`, [{ op: 'Remove', path: 'members', value: [{ value: ada }] }]);
    expect(response.status).toBe(200);
    expect(json(response).members.map((member: { value: string }) => member.value)).toEqual([ada]);
  });

  it('answers an unknown user with a SCIM Error on GET, but a {"detail": …} body everywhere else', async () => {
    const get = await send(target, 'GET', '/Users/nobody');
    expect(get.status).toBe(404);
    expect(json(get)).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'User nobody not found', scimType: 'invalidValue' });
    const put = await send(target, 'PUT', '/Users/nobody', { body: { schemas: [USER_SCHEMA] } });
    expect(json(put)).toEqual({ detail: 'User nobody not found' });
  });

  it('refuses a missing header and a wrong token as get_scim_auth does', async () => {
    const none = await send(target, 'GET', '/Users', { authorization: null });
    expect(none.status).toBe(401);
    expect(json(none)).toEqual({ detail: 'Authorization header required' });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await send(target, 'GET', '/Users', { authorization: 'Bearer nope' });
    expect(json(wrong)).toEqual({ detail: 'Invalid SCIM token' });
  });
});
