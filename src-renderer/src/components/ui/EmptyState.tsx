import type { ReactNode } from 'react';

/**
 * What a place shows when it has nothing yet: what it is for and the next step, as a link or a
 * button (e.g. `<ConnectLink />` from views/connect, or `{ label, href: '#/scenarios' }`).
 */
export function EmptyState({ title, children, action }: {
  title: string;
  children?: ReactNode;
  /** The next step: a link (href) or a button (onClick), or any element. */
  action?: { label: string; href: string } | { label: string; onClick: () => void } | ReactNode;
}) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body">{children}</div>}
      {action && <div className="empty-state-action">{renderAction(action)}</div>}
    </div>
  );
}

function renderAction(action: NonNullable<Parameters<typeof EmptyState>[0]['action']>): ReactNode {
  if (typeof action === 'object' && action !== null && 'label' in action) {
    if ('href' in action) return <a className="link-action" href={action.href}>{action.label}</a>;
    return (
      <button type="button" className="btn btn-secondary btn-md" onClick={action.onClick}>
        {action.label}
      </button>
    );
  }
  return action;
}
