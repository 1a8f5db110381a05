import { useEffect, useState } from 'react';

/**
 * A SCIM filter input. Applied on Enter rather than per keystroke: half-typed filters are always
 * invalid, and a dev tool should show the server's verdict on what you meant, not on "userNa".
 */
export function FilterBar(props: { value: string; placeholder: string; onApply: (filter: string) => void }) {
  const { value, placeholder, onApply } = props;
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const dirty = draft.trim() !== value;
  return (
    <form
      className="filter-bar"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft.trim());
      }}
    >
      <div className="filter-field">
        <span className="filter-label">filter=</span>
        <input
        className="filter-input"
        aria-label="SCIM filter"
        data-shortcut="filter"
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            setDraft('');
            onApply('');
          }
        }}
        />
        {dirty ? <span className="filter-hint">↵ to apply</span> : null}
      </div>
      <button type="submit" className="button">
        Apply
      </button>
      {value !== '' && (
        <button
          type="button"
          className="button subtle"
          onClick={() => {
            setDraft('');
            onApply('');
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}
