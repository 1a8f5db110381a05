/**
 * The people and groups the console's IdP directory starts with: a small company an admin would
 * recognise (departments, titles, managers, one leaver already deactivated), built with the same
 * generator runs use (idp/people.ts) but with stable names and ids, so screenshots and demos look
 * the same on every machine.
 */
import type { IdpDirectoryDocument, IdpGroup, Person } from '../idp/directory.js';
import { EMAIL_DOMAIN, FAMILY, GIVEN, personFrom } from '../idp/people.js';
import { createRandom } from '../idp/random.js';

const SEED = 0x5c1d;
const PEOPLE = 12;

const slug = (text: string): string => text.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');

export function seedIdpDirectory(): IdpDirectoryDocument {
  const random = createRandom(SEED);
  const people: Person[] = [];
  for (let index = 0; index < PEOPLE; index++) {
    const givenName = GIVEN[index % GIVEN.length]!;
    const familyName = FAMILY[(index * 7) % FAMILY.length]!;
    const key = slug(givenName);
    people.push(
      personFrom(
        {
          key,
          givenName,
          familyName,
          userName: `${slug(givenName)}.${slug(familyName)}@${EMAIL_DOMAIN}`,
          // The first person runs the company; the next two lead halves of it.
          ...(index === 0 ? {} : { manager: index < 3 ? people[0]!.key : index % 2 === 1 ? people[1]!.key : people[2]!.key }),
          // A leaver, so "reactivate" and the deactivated state are there to try.
          ...(index === PEOPLE - 1 ? { active: false } : {}),
        },
        random,
        'seed',
        index,
      ),
    );
  }
  const inDepartment = (department: string) => people.filter((person) => person.department === department).map((person) => person.key);
  const group = (key: string, displayName: string, description: string, members: string[]): IdpGroup => ({
    key,
    objectId: random.uuid(),
    displayName,
    description,
    members,
  });
  const groups = [
    group('all-staff', 'All Staff', 'Everyone in the company', people.filter((person) => person.active).map((person) => person.key)),
    group('engineering', 'Engineering', 'Software engineers and their leads', inDepartment('Engineering')),
    group('sales', 'Sales', 'Account executives', inDepartment('Sales')),
    group('it-admins', 'IT Admins', 'Administrators of the provisioned apps', inDepartment('IT')),
  ];
  return { people, groups, targets: {} };
}
