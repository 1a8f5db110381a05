import type { ReactNode } from 'react';

export type BadgeTone = 'success' | 'warning' | 'danger' | 'info' | 'neutral' | 'accent';

/** A small coloured label: an HTTP status, a severity, an outcome. The text says it too, never the colour alone. */
export function Badge({ tone = 'neutral', children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function statusTone(status: number | undefined): BadgeTone {
  if (status === undefined) return 'danger';
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warning';
  if (status >= 300) return 'info';
  if (status >= 200) return 'success';
  return 'neutral';
}

export function severityTone(severity: 'error' | 'warning' | 'info'): BadgeTone {
  return severity === 'error' ? 'danger' : severity === 'warning' ? 'warning' : 'info';
}

export function outcomeTone(outcome: string): BadgeTone {
  if (outcome === 'passed') return 'success';
  if (outcome === 'failed' || outcome === 'error') return 'danger';
  if (outcome === 'cancelled' || outcome === 'skipped') return 'neutral';
  return 'info';
}
