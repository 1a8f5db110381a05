/**
 * A believable demo directory: people with names, work emails and phones, titles, departments,
 * cost centres and a management chain, and groups per department and per team. Deterministic
 * for a given size, so demos, tests and benchmarks start from the same directory every time.
 */
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './scim/schema/definitions.js';
import type { StoredMember, StoredResource } from './scim/resource.js';
import type { DirectoryDocument } from './store/directory-store.js';
import { mulberry32 } from './mulberry32.js';

const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Anika', 'Arjun', 'Barbara', 'Beatriz', 'Bjorn', 'Carlos', 'Chen', 'Chiara', 'Dana',
  'Daniel', 'Diego', 'Elena', 'Emeka', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Jamal',
  'Jia', 'Jonas', 'Julia', 'Kai', 'Kenji', 'Lara', 'Leila', 'Liam', 'Lucia', 'Malik', 'Maria', 'Mateo',
  'Mei', 'Nadia', 'Niamh', 'Noah', 'Olga', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Sakura', 'Samir', 'Sara',
  'Sofia', 'Tariq', 'Thea', 'Tomas', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zanele', 'Zoe', 'Ravi',
];
const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Alvarez', 'Andersen', 'Bauer', 'Bianchi', 'Brown', 'Chen', 'Costa', 'Dubois', 'Eriksen',
  'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Ivanova', 'Jensen', 'Kim', 'Kowalski', 'Kumar', 'Larsen',
  'Lopez', 'Martin', 'Meyer', 'Moreau', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', "O'Brien", 'Patel', 'Pereira',
  'Petrov', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sato', 'Tanaka', 'Thompson',
  'Usman', 'Varga', 'Wagner', 'Walsh', 'Wang', 'Weber', 'Williams', 'Xu', 'Yamamoto', 'Yilmaz', 'Zhang',
];
const DEPARTMENTS: { name: string; division: string; titles: string[]; teams: string[] }[] = [
  { name: 'Engineering', division: 'Product & Technology', titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Site Reliability Engineer'], teams: ['Platform', 'Identity', 'Payments', 'Mobile', 'Data'] },
  { name: 'Product', division: 'Product & Technology', titles: ['Product Manager', 'Senior Product Manager', 'Product Designer'], teams: ['Core', 'Growth'] },
  { name: 'Sales', division: 'Revenue', titles: ['Account Executive', 'Sales Engineer', 'Sales Development Rep'], teams: ['EMEA', 'Americas', 'APAC'] },
  { name: 'Marketing', division: 'Revenue', titles: ['Marketing Manager', 'Content Strategist', 'Growth Marketer'], teams: ['Brand', 'Demand Gen'] },
  { name: 'Customer Success', division: 'Revenue', titles: ['Customer Success Manager', 'Support Engineer'], teams: ['Support', 'Onboarding'] },
  { name: 'Finance', division: 'Operations', titles: ['Accountant', 'Financial Analyst', 'Controller'], teams: ['Accounting', 'FP&A'] },
  { name: 'People', division: 'Operations', titles: ['People Partner', 'Recruiter', 'People Operations Specialist'], teams: ['Recruiting', 'People Ops'] },
  { name: 'Legal', division: 'Operations', titles: ['Counsel', 'Paralegal'], teams: ['Commercial'] },
  { name: 'IT', division: 'Operations', titles: ['IT Administrator', 'Security Engineer', 'Helpdesk Technician'], teams: ['Workplace', 'Security'] },
];
const CITIES = ['Berlin', 'London', 'New York', 'San Francisco', 'Singapore', 'Toronto', 'Lisbon', 'Sydney'];
const TIMEZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Singapore', 'America/Toronto', 'Europe/Lisbon', 'Australia/Sydney'];
const DOMAIN = 'example.com';
const TEAM_SIZE = 25;

/** Deterministic UUID-shaped ids so a seeded directory is identical across runs. */
function seededId(kind: number, n: number): string {
  const hex = (kind * 0x10000000 + n).toString(16).padStart(12, '0');
  return `5c1e0000-0000-4000-8000-${hex}`;
}

const slug = (text: string) => text.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');

export function buildSeedDirectory(userCount: number, now = new Date()): DirectoryDocument {
  const next = mulberry32(userCount * 2654435761);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const timestamp = now.toISOString();
  const meta = (resourceType: 'User' | 'Group') => ({ resourceType, created: timestamp, lastModified: timestamp, revision: 1 });
  const users: StoredResource[] = [];
  const taken = new Map<string, number>();
  const departmentHeads = new Map<string, StoredResource>();
  const membersByGroup = new Map<string, StoredMember[]>();
  const addMember = (group: string, user: StoredResource) => {
    const list = membersByGroup.get(group) ?? [];
    list.push({ value: user.id, type: 'User', display: user.displayName as string });
    membersByGroup.set(group, list);
  };
  const headcount = new Map<string, number>();
  let ceo: StoredResource | undefined;

  for (let n = 0; n < userCount; n++) {
    const givenName = pick(FIRST_NAMES);
    const familyName = pick(LAST_NAMES);
    const base = `${slug(givenName)}.${slug(familyName)}`;
    const seen = taken.get(base) ?? 0;
    taken.set(base, seen + 1);
    const local = seen === 0 ? base : `${base}${seen + 1}`;
    const department = n === 0 ? DEPARTMENTS[0]! : DEPARTMENTS[Math.floor(next() * DEPARTMENTS.length)]!;
    const head = departmentHeads.get(department.name);
    const city = Math.floor(next() * CITIES.length);
    const title = n === 0 ? 'Chief Executive Officer' : head ? pick(department.titles) : `Head of ${department.name}`;
    const manager = n === 0 ? undefined : (head ?? ceo);
    const id = seededId(1, n + 1);
    const user: StoredResource = {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      id,
      externalId: `emp-${String(n + 1).padStart(6, '0')}`,
      userName: `${local}@${DOMAIN}`,
      name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
      displayName: `${givenName} ${familyName}`,
      title,
      userType: 'Employee',
      preferredLanguage: 'en-US',
      locale: 'en-US',
      timezone: TIMEZONES[city]!,
      active: next() > 0.04,
      emails: [{ value: `${local}@${DOMAIN}`, type: 'work', primary: true }],
      phoneNumbers: [{ value: `+1 555 ${String(1000 + (n % 9000)).padStart(4, '0')}`, type: 'work' }],
      addresses: [{ locality: CITIES[city]!, type: 'work', primary: true }],
      [ENTERPRISE_USER_SCHEMA]: {
        employeeNumber: String(100000 + n + 1),
        costCenter: `CC-${100 + DEPARTMENTS.indexOf(department) * 10}`,
        organization: 'Example Corp',
        division: department.division,
        department: department.name,
        ...(manager ? { manager: { value: manager.id } } : {}),
      },
      meta: meta('User'),
    };
    users.push(user);
    if (n === 0) ceo = user;
    else if (!head) departmentHeads.set(department.name, user);
    addMember(department.name, user);
    // Teams of about 25 people, so the number of groups grows with the directory.
    const position = (headcount.get(department.name) ?? 0) + 1;
    headcount.set(department.name, position);
    const team = Math.floor(position / TEAM_SIZE);
    const round = Math.floor(team / department.teams.length);
    addMember(`${department.name} - ${department.teams[team % department.teams.length]}${round > 0 ? ` ${round + 1}` : ''}`, user);
  }

  const groups: StoredResource[] = [];
  let g = 0;
  for (const [displayName, members] of membersByGroup) {
    g++;
    groups.push({
      schemas: [GROUP_SCHEMA],
      id: seededId(2, g),
      externalId: `grp-${String(g).padStart(4, '0')}`,
      displayName,
      members,
      meta: meta('Group'),
    });
  }
  return { users, groups };
}

/** Seeds an empty store. */
export async function seedDirectory(
  store: { importDocument(document: DirectoryDocument): Promise<void> },
  userCount: number,
): Promise<void> {
  await store.importDocument(buildSeedDirectory(userCount));
}
