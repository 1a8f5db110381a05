import type { RunExchange } from '../../../../src-main/runner/exchange';

export function statusTone(status: number | undefined): string {
  if (status === undefined) return 'server-error';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'success';
}

export function formatMs(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The URL below its origin: what differs between exchanges of one run. */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

export function statusText(exchange: RunExchange): string {
  return exchange.response ? String(exchange.response.status) : 'no response';
}
