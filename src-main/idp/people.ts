/**
 * People and groups for the mock IdP's directory, from scenario fixtures or generated. Every run
 * gets fresh user names (a short run tag in the email's local part), so a run against a shared
 * remote target never collides with what an earlier run left behind.
 */
import type { IdpGroup, Person } from './directory.js';
import type { Random } from './profile.js';

export const GIVEN = ['Ada', 'Alan', 'Amara', 'Arjun', 'Beatriz', 'Chen', 'Dana', 'Elena', 'Emeka', 'Fatima', 'Grace', 'Hana', 'Isaac', 'Jia', 'Kenji', 'Leila', 'Malik', 'Nadia', 'Omar', 'Priya', 'Rafael', 'Sakura', 'Tariq', 'Uma', 'Wei', 'Yara', 'Zanele'];
export const FAMILY = ['Abe', 'Adeyemi', 'Alvarez', 'Bauer', 'Costa', 'Dubois', 'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Rossi', 'Santos', 'Silva', 'Tanaka', 'Varga', 'Wagner', 'Xu', 'Yilmaz', 'Zhang'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'People', 'IT'];
const TITLES = ['Software Engineer', 'Account Executive', 'Marketing Manager', 'Financial Analyst', 'People Partner', 'IT Administrator'];

export const EMAIL_DOMAIN = 'example.com';

/** A person as a fixture (a scenario's or a test's) describes it; what it leaves out, personFrom generates. */
export interface PersonInput {
  readonly key: string;
  readonly userName?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly title?: string;
  readonly department?: string;
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly mobile?: string;
  readonly locale?: string;
  readonly manager?: string;
  readonly active?: boolean;
}

/** A group as a fixture describes it; members are person keys. */
export interface GroupInput {
  readonly key: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly members?: readonly string[];
}

const slug = (text: string) => text.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');

/** A person with every attribute an IdP would have, from what the fixture says and generated values. */
export function personFrom(input: PersonInput, random: Random, runTag: string, index: number): Person {
  const givenName = input.givenName ?? GIVEN[index % GIVEN.length]!;
  const familyName = input.familyName ?? FAMILY[(index * 7) % FAMILY.length]!;
  const userName = input.userName ?? `${slug(givenName)}.${slug(familyName)}.${runTag}@${EMAIL_DOMAIN}`;
  const person: Person = {
    key: input.key,
    objectId: random.uuid(),
    userName,
    givenName,
    familyName,
    displayName: input.displayName ?? `${givenName} ${familyName}`,
    email: input.email ?? userName,
    title: input.title ?? TITLES[index % TITLES.length]!,
    department: input.department ?? DEPARTMENTS[index % DEPARTMENTS.length]!,
    employeeNumber: input.employeeNumber ?? String(100000 + index + 1),
    active: input.active ?? true,
  };
  if (input.costCenter !== undefined) person.costCenter = input.costCenter;
  if (input.mobile !== undefined) person.mobile = input.mobile;
  if (input.locale !== undefined) person.locale = input.locale;
  if (input.manager !== undefined) person.manager = input.manager;
  return person;
}

export function groupFrom(input: GroupInput, random: Random, runTag: string): IdpGroup {
  return {
    key: input.key,
    objectId: random.uuid(),
    displayName: input.displayName ?? `${input.key} ${runTag}`,
    ...(input.description === undefined ? {} : { description: input.description }),
    members: [...(input.members ?? [])],
  };
}

/** `count` generated people keyed `user1`, `user2`, …; the first is everyone's manager. */
export function generatedPeople(count: number, random: Random, runTag: string): Person[] {
  return Array.from({ length: count }, (_, i) =>
    personFrom({ key: `user${i + 1}`, ...(i > 0 ? { manager: 'user1' } : {}) }, random, runTag, i),
  );
}

/** A short tag that makes this run's names unique: 6 lowercase letters and digits. */
export function newRunTag(random: Random): string {
  return random.string(6);
}
