/**
 * Where the console is, kept in the URL's hash (`#/provider?tab=users&filter=…`) so that a reload,
 * the back button and a shared link land on the same view, tab, filter and page. The hash works
 * the same on the browser host's http:// page and on Electron's file:// page.
 */
export const VIEW_IDS = ['connect', 'targets', 'idp', 'scenarios', 'run', 'history', 'provider', 'demo'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface Route {
  readonly view: ViewId;
  /** View-specific state (tab, filter, page, run id…), as strings. */
  readonly params: Readonly<Record<string, string>>;
}

export const DEFAULT_VIEW: ViewId = 'provider';

export function isViewId(value: string): value is ViewId {
  return (VIEW_IDS as readonly string[]).includes(value);
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const view = isViewId(path) ? path : DEFAULT_VIEW;
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function formatRoute(route: Route): string {
  const query = new URLSearchParams(
    Object.entries(route.params).filter(([, value]) => value !== undefined && value !== ''),
  ).toString();
  return `#/${route.view}${query ? `?${query}` : ''}`;
}
