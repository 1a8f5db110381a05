/**
 * The IdP view's forms: a person or a group of the IdP's own directory, and the attributes of an
 * update or a rename to send. Each takes focus when it opens, gives it back when it closes, and
 * closes on Esc.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { GroupInput, IdpGroup, Person, PersonInput } from '../../../../src-main/api/contract';
import { changedAttributes, draftOf, PERSON_ATTRIBUTES, type PersonChanges, type PersonDraft } from './idp-model';

export function FormPanel(props: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The first field, where one starts typing; the header's Close button only when there is none.
    const focusable = 'input:not([disabled]), select, textarea, button';
    const body = panel.current?.querySelector('.idp-form-body');
    (body?.querySelector<HTMLElement>(focusable) ?? panel.current?.querySelector<HTMLElement>(focusable))?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div
      className="idp-form-panel"
      ref={panel}
      role="dialog"
      aria-label={props.title}
      data-testid={props.testId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header className="panel-header">
        <h2 className="panel-title">{props.title}</h2>
        <button type="button" className="button subtle sc-small" onClick={props.onClose} aria-label="Close">
          Esc
        </button>
      </header>
      <div className="idp-form-body">{props.children}</div>
    </div>
  );
}

function Field(props: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={props.wide ? 'idp-field wide' : 'idp-field'}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

function ManagerSelect(props: { value: string; people: readonly Person[]; self?: string; onChange: (value: string) => void }) {
  return (
    <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
      <option value="">No manager</option>
      {props.people
        .filter((person) => person.key !== props.self)
        .map((person) => (
          <option key={person.key} value={person.key}>
            {person.displayName ?? `${person.givenName} ${person.familyName}`} ({person.key})
          </option>
        ))}
    </select>
  );
}

function Problems({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="idp-form-problems" role="alert">
      {problems.map((problem) => (
        <li key={problem}>{problem}</li>
      ))}
    </ul>
  );
}

/** Adds a person to the IdP's directory, or edits one (no traffic: the IdP's own record). */
export function PersonForm(props: {
  person?: Person;
  people: readonly Person[];
  onSave: (person: PersonInput) => Promise<void>;
  onDelete?: () => Promise<void>;
  onClose: () => void;
}) {
  const editing = props.person;
  const [key, setKey] = useState(editing?.key ?? '');
  const [draft, setDraft] = useState<PersonDraft>(() => (editing ? draftOf(editing) : emptyDraft()));
  const [active, setActive] = useState(editing?.active ?? true);
  const [problems, setProblems] = useState<string[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = [
      ...(key.trim() ? [] : ['Key is required (a short name like "alice").']),
      ...PERSON_ATTRIBUTES.filter((attribute) => attribute.required && !draft[attribute.name].trim()).map((attribute) => `${attribute.label} is required.`),
    ];
    if (props.people.some((person) => person.key === key.trim()) && !editing) missing.push(`There is already a person "${key.trim()}".`);
    setProblems(missing);
    if (missing.length > 0) return;
    const person: PersonInput = {
      key: key.trim(),
      ...(editing ? { objectId: editing.objectId } : {}),
      userName: draft.userName.trim(),
      givenName: draft.givenName.trim(),
      familyName: draft.familyName.trim(),
      email: draft.email.trim(),
      active,
      ...optional(draft),
    };
    try {
      await props.onSave(person);
    } catch (error) {
      setProblems([error instanceof Error ? error.message : String(error)]);
    }
  };

  return (
    <FormPanel title={editing ? `Edit ${editing.key}` : 'Add a person'} onClose={props.onClose} testId="person-form">
      <form className="idp-form" onSubmit={(event) => void submit(event)}>
        <p className="idp-form-note">The IdP's own record. Nothing is sent until you run an action (assign, update…).</p>
        <Field label="Key">
          <input className="mono" value={key} disabled={editing !== undefined} onChange={(event) => setKey(event.target.value)} />
        </Field>
        {PERSON_ATTRIBUTES.map(({ name, label }) => (
          <Field key={name} label={label}>
            {name === 'manager' ? (
              <ManagerSelect value={draft.manager} people={props.people} self={editing?.key} onChange={(value) => setDraft({ ...draft, manager: value })} />
            ) : (
              <input value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
            )}
          </Field>
        ))}
        <label className="idp-check">
          <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} /> Active in the IdP
        </label>
        <Problems problems={problems} />
        <SaveOrRemove submit={editing ? 'Save' : 'Add person'} onRemove={props.onDelete} />
      </form>
    </FormPanel>
  );
}

/** Changes a person's attributes and pushes the change to the target (an updateUser action). */
export function UpdateForm(props: {
  person: Person;
  people: readonly Person[];
  onSend: (changes: PersonChanges) => Promise<void>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<PersonDraft>(() => draftOf(props.person));
  const [problems, setProblems] = useState<string[]>([]);
  const { changes } = changedAttributes(props.person, draft);
  const changed = Object.keys(changes);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = changedAttributes(props.person, draft);
    if (result.problems.length > 0 || Object.keys(result.changes).length === 0) {
      setProblems(result.problems.length > 0 ? result.problems : ['Change at least one attribute.']);
      return;
    }
    try {
      await props.onSend(result.changes);
    } catch (error) {
      setProblems([error instanceof Error ? error.message : String(error)]);
    }
  };

  return (
    <FormPanel title={`Update ${props.person.key}`} onClose={props.onClose} testId="update-form">
      <form className="idp-form" onSubmit={(event) => void submit(event)}>
        <p className="idp-form-note">Only what you change is sent, as this IdP sends an update. Empty an optional field to clear it.</p>
        {PERSON_ATTRIBUTES.map(({ name, label }) => (
          <Field key={name} label={changed.includes(name) ? `${label} •` : label}>
            {name === 'manager' ? (
              <ManagerSelect value={draft.manager} people={props.people} self={props.person.key} onChange={(value) => setDraft({ ...draft, manager: value })} />
            ) : (
              <input
                className={changed.includes(name) ? 'changed' : undefined}
                value={draft[name]}
                onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
              />
            )}
          </Field>
        ))}
        <Problems problems={problems} />
        <div className="idp-form-buttons">
          <button type="submit" className="button" disabled={changed.length === 0}>
            Send update{changed.length > 0 ? ` (${changed.length})` : ''}
          </button>
        </div>
      </form>
    </FormPanel>
  );
}

/** Adds a group to the IdP's directory, or edits one. */
export function GroupForm(props: {
  group?: IdpGroup;
  groups: readonly IdpGroup[];
  people: readonly Person[];
  onSave: (group: GroupInput) => Promise<void>;
  onDelete?: () => Promise<void>;
  onClose: () => void;
}) {
  const editing = props.group;
  const [key, setKey] = useState(editing?.key ?? '');
  const [displayName, setDisplayName] = useState(editing?.displayName ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set(editing?.members ?? []));
  const [problems, setProblems] = useState<string[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = [...(key.trim() ? [] : ['Key is required (a short name like "engineering").']), ...(displayName.trim() ? [] : ['Display name is required.'])];
    if (!editing && props.groups.some((group) => group.key === key.trim())) missing.push(`There is already a group "${key.trim()}".`);
    setProblems(missing);
    if (missing.length > 0) return;
    try {
      await props.onSave({
        key: key.trim(),
        ...(editing ? { objectId: editing.objectId } : {}),
        displayName: displayName.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        members: [...members],
      });
    } catch (error) {
      setProblems([error instanceof Error ? error.message : String(error)]);
    }
  };

  return (
    <FormPanel title={editing ? `Edit group ${editing.key}` : 'Add a group'} onClose={props.onClose} testId="group-form">
      <form className="idp-form" onSubmit={(event) => void submit(event)}>
        <p className="idp-form-note">The IdP's own record. Push the group to send it.</p>
        <Field label="Key">
          <input className="mono" value={key} disabled={editing !== undefined} onChange={(event) => setKey(event.target.value)} />
        </Field>
        <Field label="Display name">
          <input value={displayName} onChange={(event) => setDisplayName(event.target.value)} />
        </Field>
        <Field label="Description">
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </Field>
        <PeoplePicker label="Members" people={props.people} chosen={members} onChange={setMembers} />
        <Problems problems={problems} />
        <SaveOrRemove submit={editing ? 'Save' : 'Add group'} onRemove={props.onDelete} />
      </form>
    </FormPanel>
  );
}

/** Renames a group in the IdP and pushes the new name. */
export function RenameForm(props: { group: IdpGroup; onSend: (displayName: string) => Promise<void>; onClose: () => void }) {
  const [name, setName] = useState(props.group.displayName);
  const [problems, setProblems] = useState<string[]>([]);
  return (
    <FormPanel title={`Rename ${props.group.key}`} onClose={props.onClose} testId="rename-form">
      <form
        className="idp-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!name.trim() || name.trim() === props.group.displayName) {
            setProblems(['Type a new name.']);
            return;
          }
          props.onSend(name.trim()).catch((error: unknown) => setProblems([error instanceof Error ? error.message : String(error)]));
        }}
      >
        <Field label="New display name" wide>
          <input value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <Problems problems={problems} />
        <div className="idp-form-buttons">
          <button type="submit" className="button">
            Rename and push
          </button>
        </div>
      </form>
    </FormPanel>
  );
}

/** Adds people to a group, or removes them, and sends the membership change. */
export function MembersForm(props: {
  group: IdpGroup;
  mode: 'add' | 'remove';
  people: readonly Person[];
  onSend: (keys: string[]) => Promise<void>;
  onClose: () => void;
}) {
  const candidates = props.people.filter((person) => props.group.members.includes(person.key) === (props.mode === 'remove'));
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [problems, setProblems] = useState<string[]>([]);
  const verb = props.mode === 'add' ? 'Add' : 'Remove';
  return (
    <FormPanel title={`${verb} members ${props.mode === 'add' ? 'to' : 'from'} ${props.group.key}`} onClose={props.onClose} testId="members-form">
      <form
        className="idp-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen.size === 0) {
            setProblems(['Choose at least one person.']);
            return;
          }
          props.onSend([...chosen]).catch((error: unknown) => setProblems([error instanceof Error ? error.message : String(error)]));
        }}
      >
        {candidates.length === 0 ? (
          <p className="idp-form-note">{props.mode === 'add' ? 'Everyone is already a member.' : 'The group has no members.'}</p>
        ) : (
          <PeoplePicker label="People" people={candidates} chosen={chosen} onChange={setChosen} />
        )}
        <Problems problems={problems} />
        <div className="idp-form-buttons">
          <button type="submit" className="button" disabled={chosen.size === 0}>
            {verb} {chosen.size || ''} and send
          </button>
        </div>
      </form>
    </FormPanel>
  );
}

function PeoplePicker(props: { label: string; people: readonly Person[]; chosen: ReadonlySet<string>; onChange: (chosen: ReadonlySet<string>) => void }) {
  return (
    <fieldset className="idp-picker">
      <legend>{props.label}</legend>
      <ul>
        {props.people.map((person) => (
          <li key={person.key}>
            <label className="idp-check">
              <input
                type="checkbox"
                checked={props.chosen.has(person.key)}
                onChange={(event) => {
                  const next = new Set(props.chosen);
                  if (event.target.checked) next.add(person.key);
                  else next.delete(person.key);
                  props.onChange(next);
                }}
              />
              <span>{person.displayName ?? `${person.givenName} ${person.familyName}`}</span>
              <span className="muted mono">{person.key}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function emptyDraft(): PersonDraft {
  const draft = {} as PersonDraft;
  for (const { name } of PERSON_ATTRIBUTES) draft[name] = '';
  return draft;
}

/** The optional attributes that have a value (the rest are left out, not sent as empty strings). */
function optional(draft: PersonDraft): Partial<Person> {
  const result: Record<string, string> = {};
  for (const { name, required } of PERSON_ATTRIBUTES) {
    const value = draft[name].trim();
    if (!required && value) result[name] = value;
  }
  return result as Partial<Person>;
}

/** A directory form's buttons: save (or add), and remove when the entry already exists. */
function SaveOrRemove({ submit, onRemove }: { submit: string; onRemove: (() => unknown) | undefined }) {
  return (
    <div className="idp-form-buttons">
      <button type="submit" className="button">
        {submit}
      </button>
      {onRemove && (
        <button type="button" className="button subtle danger" onClick={() => void onRemove()}>
          Remove from the IdP directory
        </button>
      )}
    </div>
  );
}
