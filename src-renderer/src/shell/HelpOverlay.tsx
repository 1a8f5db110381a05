import { Dialog } from '../components/ui/Dialog';
import { formatKeys, SHORTCUT_HELP, viewShortcuts, type ShortcutHost } from './shortcuts';
import { IS_MAC } from './use-shortcuts';
import { VIEWS } from './views';

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="keys">
      {formatKeys(keys, IS_MAC).map((key) => (
        <kbd key={key}>{key}</kbd>
      ))}
    </span>
  );
}

/** The keyboard shortcuts, opened with `?` or the status bar's button. */
export function HelpOverlay({ open, host, onClose }: { open: boolean; host: ShortcutHost; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose} testId="help-overlay" className="help-overlay">
      <div className="help-columns">
        <section>
          <h3 className="help-heading">Everywhere</h3>
          <dl className="shortcut-list">
            {SHORTCUT_HELP.map((shortcut) => (
              <div key={shortcut.description} className="shortcut-row">
                <dt>
                  <Keys keys={shortcut.keys} />
                </dt>
                <dd>{shortcut.description}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section>
          <h3 className="help-heading">Views</h3>
          <dl className="shortcut-list">
            {VIEWS.map((view) => (
              <div key={view.id} className="shortcut-row">
                <dt>
                  {viewShortcuts(view.key, host).map((keys, index) => (
                    <span key={keys.join('+')}>
                      {index > 0 && <span className="keys-or"> or </span>}
                      <Keys keys={keys} />
                    </span>
                  ))}
                </dt>
                <dd>{view.label}</dd>
              </div>
            ))}
            <div className="shortcut-row">
              <dt>
                <Keys keys={['←', '→']} />
              </dt>
              <dd>Next / previous tab, in any tab bar</dd>
            </div>
          </dl>
        </section>
      </div>
    </Dialog>
  );
}
