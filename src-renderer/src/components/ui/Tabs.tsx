/**
 * Tabs as WAI-ARIA tabs: one Tab stop on the selected tab, arrow keys / Home / End move and select,
 * each tab controls its panel.
 *
 *   const tabs = [{ id: 'users', label: 'Users', count: 25 }, { id: 'groups', label: 'Groups' }];
 *   <Tabs label="Resource type" idPrefix="dir" tabs={tabs} selected={tab} onSelect={setTab} />
 *   <TabPanel idPrefix="dir" id={tab}>…</TabPanel>
 */
import { useRef, type ReactNode } from 'react';
import { rovingIndex } from './roving';

export interface TabItem<Id extends string> {
  readonly id: Id;
  readonly label: ReactNode;
  /** A number shown beside the label (rows, failures). */
  readonly count?: number;
}

export function Tabs<Id extends string>({ label, idPrefix, tabs, selected, onSelect, className }: {
  /** What the tabs choose between, for screen readers. */
  label: string;
  /** Unique on the page: ties each tab to its TabPanel. */
  idPrefix: string;
  tabs: readonly TabItem<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
  className?: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <div role="tablist" aria-label={label} className={['tabs', className].filter(Boolean).join(' ')}>
      {tabs.map((tab, index) => {
        const isSelected = tab.id === selected;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${tab.id}`}
            aria-selected={isSelected}
            aria-controls={`${idPrefix}-panel-${tab.id}`}
            tabIndex={isSelected ? 0 : -1}
            className={`tab${isSelected ? ' selected' : ''}`}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => {
              const next = rovingIndex(event.key, index, tabs.length);
              const target = next === undefined ? undefined : tabs[next];
              if (next === undefined || !target) return;
              event.preventDefault();
              onSelect(target.id);
              refs.current[next]?.focus();
            }}
          >
            {tab.label}
            {tab.count !== undefined && <span className="tab-count">{tab.count}</span>}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel({ idPrefix, id, children, className }: { idPrefix: string; id: string; children: ReactNode; className?: string }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${id}`} aria-labelledby={`${idPrefix}-tab-${id}`} className={className}>
      {children}
    </div>
  );
}
