/**
 * Dialog (modal, centred) and Drawer (side panel, the page stays usable). Both take focus when
 * opened and give it back when closed, close on Esc (through the shortcut registry, so the one on
 * top closes first) and are labelled by their title.
 *
 *   <Dialog open={open} title="Reset the directory?" onClose={close} footer={<Button …/>}>…</Dialog>
 *   <Drawer open={!!selected} title="alice@example.com" onClose={close}>…</Drawer>
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useShortcut } from '../../shell/use-shortcuts';
import { focusableIn, useFocusInAndBack } from './focus';

interface PanelProps {
  readonly open: boolean;
  readonly title: ReactNode;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Buttons along the bottom (Cancel / Confirm). */
  readonly footer?: ReactNode;
  readonly className?: string;
  readonly testId?: string;
}

/** A modal dialog: everything behind it is inert (native `<dialog>`), Tab cycles inside it. */
export function Dialog({ open, title, onClose, children, footer, className, testId }: PanelProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  useFocusInAndBack(open, ref);
  useShortcut('close', () => onClose(), open);

  return (
    <dialog
      ref={ref}
      className={['dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      data-testid={testId}
      // The native Esc handling would close it behind React's back; the shortcut registry closes it.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => trapTab(event, ref.current)}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (event.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="dialog-frame">
          <header className="panel-head">
            <h2 id={titleId} className="panel-head-title">{title}</h2>
            <button type="button" className="btn btn-ghost btn-sm close-button" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          </header>
          <div className="dialog-body">{children}</div>
          {footer && <footer className="dialog-footer">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}

/** A side panel over the right of the view; the page behind stays usable. */
export function Drawer({ open, title, onClose, children, footer, className, testId }: PanelProps) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  useFocusInAndBack(open, ref);
  useShortcut('close', () => onClose(), open);
  if (!open) return null;
  return (
    <aside
      ref={ref}
      className={['drawer', className].filter(Boolean).join(' ')}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-testid={testId}
    >
      <header className="panel-head">
        <h2 id={titleId} className="panel-head-title">{title}</h2>
        <button type="button" className="btn btn-ghost btn-sm close-button" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="drawer-body">{children}</div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </aside>
  );
}

/** Keeps Tab inside the dialog (the page behind is inert, but Tab could still reach the browser's UI). */
function trapTab(event: React.KeyboardEvent, container: HTMLElement | null): void {
  if (event.key !== 'Tab' || !container) return;
  const items = focusableIn(container);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
