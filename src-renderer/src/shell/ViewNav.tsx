/**
 * The view switcher: WAI-ARIA tabs over the views (one Tab stop, arrow keys / Home / End move and
 * open), each a real link to its hash route so middle-click and "copy link" work too.
 */
import { useRef } from 'react';
import { rovingIndex } from '../components/ui/roving';
import { formatCombo, viewShortcuts, type ShortcutHost } from './shortcuts';
import type { ViewId } from './route';
import { IS_MAC } from './use-shortcuts';
import { VIEWS } from './views';

export const VIEW_PANEL_ID = 'view-panel';
export const viewTabId = (view: ViewId) => `view-tab-${view}`;

export function ViewNav({ active, host, hrefOf, onOpen }: {
  active: ViewId;
  /** The tooltips name the keys that work in this host (a browser keeps Ctrl+digit for itself). */
  host: ShortcutHost;
  /** The link of each view (with the params it had when last left). */
  hrefOf: (view: ViewId) => string;
  onOpen: (view: ViewId) => void;
}) {
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  return (
    <nav className="view-nav" aria-label="Views">
      <div role="tablist" aria-label="Views" className="view-tabs">
        {VIEWS.map((view, index) => {
          const selected = view.id === active;
          const shortcut = viewShortcuts(view.key, host).map((keys) => formatCombo(keys, IS_MAC)).join(' or ');
          return (
            <a
              key={view.id}
              ref={(element) => {
                refs.current[index] = element;
              }}
              role="tab"
              id={viewTabId(view.id)}
              href={hrefOf(view.id)}
              aria-selected={selected}
              aria-controls={VIEW_PANEL_ID}
              tabIndex={selected ? 0 : -1}
              className={`view-tab${selected ? ' active' : ''}`}
              title={`${view.label} (${shortcut})`}
              onClick={(event) => {
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                event.preventDefault();
                onOpen(view.id);
              }}
              onKeyDown={(event) => {
                const next = rovingIndex(event.key, index, VIEWS.length);
                const target = next === undefined ? undefined : VIEWS[next];
                if (next === undefined || !target) return;
                event.preventDefault();
                onOpen(target.id);
                refs.current[next]?.focus();
              }}
            >
              {view.label}
            </a>
          );
        })}
      </div>
    </nav>
  );
}
