/**
 * The SCIM attribute model (RFC 7643 §7) and the schemas this server implements:
 * core User and Group (RFC 7643 §4, §8.7.1) and the enterprise User extension (§4.3).
 *
 * The definitions are written with small builders so that the `/Schemas` discovery
 * document, input validation, filtering, PATCH and projection all read one source of truth.
 */

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDef[];
}

export interface SchemaDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDef[];
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type AttributeOptions = Partial<Omit<AttributeDef, 'name' | 'type' | 'description' | 'subAttributes'>>;

function attribute(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
  subAttributes?: AttributeDef[],
): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
    ...(subAttributes ? { subAttributes } : {}),
  };
}

const str = (name: string, description: string, options?: AttributeOptions) =>
  attribute(name, 'string', description, options);
const bool = (name: string, description: string, options?: AttributeOptions) =>
  attribute(name, 'boolean', description, options);
const ref = (name: string, description: string, referenceTypes: string[], options?: AttributeOptions) =>
  attribute(name, 'reference', description, { referenceTypes, ...options });
const complex = (name: string, description: string, subAttributes: AttributeDef[], options?: AttributeOptions) =>
  attribute(name, 'complex', description, options, subAttributes);

/** The "value/display/type/primary" shape shared by most multi-valued User attributes (RFC 7643 §2.4). */
function multiValuedValue(
  name: string,
  description: string,
  types: string[],
  valueAttribute: AttributeDef = str('value', `The value of the ${name} entry.`),
): AttributeDef {
  return complex(
    name,
    description,
    [
      valueAttribute,
      str('display', 'A human-readable name, primarily used for display purposes.'),
      str('type', `A label indicating the ${name} entry's function.`, { canonicalValues: types }),
      bool('primary', `Whether this is the primary ${name} entry. At most one entry may be primary.`),
    ],
    { multiValued: true },
  );
}

export const userSchema: SchemaDef = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', 'Unique identifier for the User, typically used by the user to directly authenticate.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      str('formatted', 'The full name, including all middle names, titles, and suffixes, formatted for display.'),
      str('familyName', 'The family name of the User, or last name.'),
      str('givenName', 'The given name of the User, or first name.'),
      str('middleName', 'The middle name(s) of the User.'),
      str('honorificPrefix', "The honorific prefix(es) of the User, or title, e.g. 'Ms.'."),
      str('honorificSuffix', "The honorific suffix(es) of the User, or suffix, e.g. 'III'."),
    ]),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user in real life.'),
    ref('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", ['external']),
    str('title', "The user's title, such as 'Vice President'."),
    str('userType', 'Used to identify the relationship between the organization and the user.'),
    str('preferredLanguage', "Indicates the User's preferred written or spoken language, e.g. 'en-US'."),
    str('locale', "Used to indicate the User's default location for localizing items, e.g. 'en-US'."),
    str('timezone', "The User's time zone in the IANA Time Zone database format, e.g. 'America/Los_Angeles'."),
    bool('active', "A Boolean value indicating the User's administrative status."),
    str('password', "The User's cleartext password. Accepted on write, never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedValue('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValuedValue('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedValue('ims', 'Instant messaging addresses for the User.', [
      'aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo',
    ]),
    multiValuedValue(
      'photos',
      'URLs of photos of the User.',
      ['photo', 'thumbnail'],
      ref('value', 'URL of a photo of the User.', ['external']),
    ),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        str('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
        str('streetAddress', 'The full street address component.'),
        str('locality', 'The city or locality component.'),
        str('region', 'The state or region component.'),
        str('postalCode', 'The zip code or postal code component.'),
        str('country', 'The country name component.'),
        str('type', "A label indicating the address's function.", { canonicalValues: ['work', 'home', 'other'] }),
        bool('primary', 'Whether this is the primary address.'),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      'A list of groups to which the user belongs, derived from group membership; read-only.',
      [
        str('value', 'The identifier of the User\'s group.', { mutability: 'readOnly' }),
        ref('$ref', 'The URI of the corresponding Group resource.', ['User', 'Group'], { mutability: 'readOnly' }),
        str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
        str('type', 'How the group membership was derived.', {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multiValuedValue('entitlements', 'A list of entitlements for the User.', []),
    multiValuedValue('roles', 'A list of roles for the User.', []),
    multiValuedValue(
      'x509Certificates',
      'A list of certificates issued to the User.',
      [],
      attribute('value', 'binary', 'The value of an X.509 certificate.'),
    ),
  ],
};

export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    complex("manager", "The User's manager.", [
      str('value', 'The id of the SCIM resource representing the User\'s manager.'),
      ref('$ref', 'The URI of the SCIM resource representing the User\'s manager.', ['User']),
      str('displayName', 'The displayName of the User\'s manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 declares uniqueness "none"; this server enforces unique display names because
    // Entra, Okta and JumpCloud all match groups by displayName before creating them.
    str('displayName', 'A human-readable name for the Group.', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        str('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        ref('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', ['User', 'Group'], {
          mutability: 'immutable',
        }),
        str('display', 'A human-readable name for the member, primarily used for display purposes.'),
        str('type', 'A label indicating the type of resource.', {
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
      ],
      { multiValued: true },
    ),
  ],
};

/** Attributes every resource carries (RFC 7643 §3.1); not part of any schema's representation. */
export const commonAttributes: readonly AttributeDef[] = [
  str('id', 'A unique identifier for a SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  str('externalId', 'An identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  complex(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      str('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attribute('created', 'dateTime', 'The DateTime that the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attribute('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated.', {
        mutability: 'readOnly',
      }),
      ref('location', 'The URI of the resource being returned.', ['uri'], { caseExact: true, mutability: 'readOnly' }),
      str('version', 'The version of the resource being returned (a weak entity tag).', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
    { mutability: 'readOnly' },
  ),
];

/** `schemas` is itself an attribute of every resource: always returned, never writable by PATCH. */
export const schemasAttribute: AttributeDef = attribute(
  'schemas',
  'reference',
  'The schema URIs that the resource conforms to.',
  { multiValued: true, caseExact: true, mutability: 'readOnly', returned: 'always', referenceTypes: ['uri'] },
);
