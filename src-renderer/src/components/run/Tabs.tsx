import type { KeyboardEvent } from 'react';

export interface TabItem<T extends string> {
  readonly id: T;
  readonly label: string;
}

/** Tabs as a tablist: one Tab stop, arrow keys and Home/End between tabs (WAI-ARIA APG). */
export function Tabs<T extends string>({ tabs, selected, onSelect, label, idPrefix }: { tabs: readonly TabItem<T>[]; selected: T; onSelect: (id: T) => void; label: string; idPrefix: string }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((tab) => tab.id === selected);
    let next = at;
    if (event.key === 'ArrowRight') next = (at + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    onSelect(tabs[next].id);
    document.getElementById(`${idPrefix}-tab-${tabs[next].id}`)?.focus();
  };
  return (
    <div className="rv-tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          id={`${idPrefix}-tab-${tab.id}`}
          type="button"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={tab.id === selected ? 0 : -1}
          className={`rv-tab ${tab.id === selected ? 'selected' : ''}`}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
