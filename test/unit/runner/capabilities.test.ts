/** Which `requires` a target's discovery documents satisfy, and the reasons given for the others. */
import { describe, expect, it } from 'vitest';
import { capabilitiesFrom, documentsNeeded, fitBodyToSchemas, listFrom, whyNotApplicable, type TargetDocuments } from '../../../src-main/runner/capabilities.js';
import { CAPABILITIES } from '../../../src-main/scenarios/scenario.js';

const answer = (body: unknown, status = 200) => ({ status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });
const list = (resources: unknown[]) => answer({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, Resources: resources });

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const documents: TargetDocuments = {
  serviceProviderConfig: capabilitiesFrom(answer({ patch: { supported: true }, etag: { supported: false } }), CAPABILITIES),
  resourceTypes: listFrom(
    list([
      { id: 'User', endpoint: '/Users', schema: USER, schemaExtensions: [{ schema: ENTERPRISE, required: false }] },
      { id: 'Group', endpoint: '/Groups', schema: GROUP },
    ]),
    '/ResourceTypes',
  ),
  schemas: listFrom(
    list([
      {
        id: USER,
        attributes: [
          { name: 'userName', type: 'string' },
          { name: 'Title', type: 'string' },
          { name: 'name', type: 'complex', subAttributes: [{ name: 'givenName', type: 'string' }] },
        ],
      },
      { id: ENTERPRISE, attributes: [{ name: 'manager', type: 'complex', subAttributes: [{ name: 'value', type: 'string' }] }] },
    ]),
    '/Schemas',
  ),
};

describe('requirements a target declares', () => {
  it('hold when the documents declare them', () => {
    expect(whyNotApplicable(['patch', 'groups', 'enterpriseUser'], documents)).toBeUndefined();
    // Attribute names are case-insensitive (RFC 7643 §2.1); dots reach sub-attributes; a URN picks the schema.
    expect(whyNotApplicable(['attribute:title', 'attribute:name.givenName', `attribute:${ENTERPRISE}:manager`, `attribute:${ENTERPRISE}:manager.value`], documents)).toBeUndefined();
  });

  it('do not hold when a document leaves them out, and the reason names what is missing', () => {
    expect(whyNotApplicable(['attribute:nickName'], documents)).toBe("Not applicable: the target's /Schemas does not define nickName");
    expect(whyNotApplicable(['attribute:name.middleName', 'attribute:title'], documents)).toBe("Not applicable: the target's /Schemas does not define name.middleName");
    // The manager belongs to the enterprise schema, not the core one.
    expect(whyNotApplicable([`attribute:${USER}:manager`], documents)).toBe(`Not applicable: the target's /Schemas does not define ${USER}:manager`);
    expect(whyNotApplicable(['etag', 'attribute:nickName'], documents)).toBe(
      "Not applicable: the target declares etag unsupported in /ServiceProviderConfig; the target's /Schemas does not define nickName",
    );
    const usersOnly: TargetDocuments = { resourceTypes: listFrom(list([{ id: 'User', schema: USER }]), '/ResourceTypes') };
    expect(whyNotApplicable(['groups', 'enterpriseUser'], usersOnly)).toBe(
      `Not applicable: the target's /ResourceTypes does not declare groups, enterpriseUser (no resource type has the schema ${GROUP}; the User resource type lists no schema extension ${ENTERPRISE})`,
    );
  });

  it('do not hold when a document is not published, and the reason says how it was answered', () => {
    const absent: TargetDocuments = { resourceTypes: listFrom(answer('Not Found', 404), '/ResourceTypes'), schemas: listFrom(answer('', 500), '/Schemas') };
    expect(whyNotApplicable(['groups'], absent)).toBe('Not applicable: the target does not declare groups (GET /ResourceTypes answered 404)');
    expect(whyNotApplicable(['attribute:title'], absent)).toBe('Not applicable: the target does not declare the attribute title (GET /Schemas answered 500)');
    // A bare array is not a ListResponse (RFC 7644 §4), so it declares nothing.
    const bare: TargetDocuments = { schemas: listFrom(answer([{ id: USER, attributes: [{ name: 'title' }] }]), '/Schemas') };
    expect(whyNotApplicable(['attribute:title'], bare)).toBe(
      'Not applicable: the target does not declare the attribute title (GET /Schemas answered a bare JSON array, not a ListResponse)',
    );
    expect(listFrom(answer('<html>'), '/Schemas').unavailable).toBe('GET /Schemas did not answer a JSON object');
    expect(listFrom(answer({ Resources: {} }), '/Schemas').unavailable).toBe('GET /Schemas answered a ListResponse whose Resources is not a list');
  });

  it('name the documents to read, each only when a requirement needs it', () => {
    expect(documentsNeeded(['etag'])).toEqual(['serviceProviderConfig']);
    expect(documentsNeeded(['attribute:title', 'groups'])).toEqual(['resourceTypes', 'schemas']);
    expect(documentsNeeded(['enterpriseUser', `attribute:${ENTERPRISE}:manager`, 'sort'])).toEqual(['serviceProviderConfig', 'resourceTypes', 'schemas']);
  });
});

describe('requires in a scenario file', () => {
  it('accepts the named capabilities and attribute:<name>, and rejects anything else', async () => {
    const { parseScenario } = await import('../../../src-main/scenarios/load.js');
    const text = (requires: string) => `name: x\nsteps:\n  - request: { method: GET, path: /Users }\n    requires: [${requires}]\n`;
    const parsed = parseScenario(text(`groups, enterpriseUser, attribute:name.givenName, "attribute:${ENTERPRISE}:manager"`), { source: 'x.yaml' });
    expect(parsed.steps[0]!.requires).toEqual(['groups', 'enterpriseUser', 'attribute:name.givenName', `attribute:${ENTERPRISE}:manager`]);
    expect(() => parseScenario(text('"attribute:"'), { source: 'x.yaml' })).toThrow(/x\.yaml:4:/);
    expect(() => parseScenario(text('group'), { source: 'x.yaml' })).toThrow(/x\.yaml:4:/);
  });
});

describe('fitBodyToSchemas', () => {
  const schemas = {
    resources: [
      { id: 'urn:ietf:params:scim:schemas:core:2.0:User', attributes: [{ name: 'userName' }, { name: 'name', subAttributes: [{ name: 'givenName' }] }, { name: 'emails' }] },
      { id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [{ name: 'department' }] },
    ],
  };
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

  it('leaves out what the target does not define, keeping the common attributes', () => {
    const { body, leftOut } = fitBodyToSchemas(
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        externalId: 'e1',
        userName: 'ada',
        title: 'Engineer',
        phoneNumbers: [{ value: '1' }],
        [ENTERPRISE]: { department: 'R&D', employeeNumber: '7' },
      },
      schemas,
    );
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      externalId: 'e1',
      userName: 'ada',
      [ENTERPRISE]: { department: 'R&D' },
    });
    expect(leftOut).toEqual(['title', 'phoneNumbers', `${ENTERPRISE}:employeeNumber`]);
  });

  it('drops an extension the target does not publish, and its URN from schemas', () => {
    const coreOnly = { resources: [schemas.resources[0]!] };
    const { body, leftOut } = fitBodyToSchemas({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], userName: 'ada', [ENTERPRISE]: { department: 'R&D' } }, coreOnly);
    expect(body).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' });
    expect(leftOut).toEqual([ENTERPRISE]);
  });

  it('sends the body as written to a target that publishes no /Schemas', () => {
    const written = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada', title: 'x' };
    expect(fitBodyToSchemas(written, { resources: [], unavailable: 'GET /Schemas answered 404' })).toEqual({ body: written, leftOut: [] });
  });
});
