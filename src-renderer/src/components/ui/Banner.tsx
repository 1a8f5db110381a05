import type { ReactNode } from 'react';

/** A message across the top of a place: an error to act on (role=alert), a warning, or information. */
export function Banner({ tone = 'error', title, children, actions }: {
  tone?: 'error' | 'warning' | 'info';
  title?: string;
  children?: ReactNode;
  /** Buttons that fix it (Retry, Open Connect…). */
  actions?: ReactNode;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={`banner-${tone}`}>
      <div className="banner-text">
        {title && <strong className="banner-title">{title}</strong>}
        {children && <div className="banner-body">{children}</div>}
      </div>
      {actions && <div className="banner-actions">{actions}</div>}
    </div>
  );
}
