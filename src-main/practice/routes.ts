/**
 * A product's routing table as msw request handlers. msw matches paths case-insensitively and on
 * the normalised URL; the products' routers (Starlette, Compojure) match the raw path exactly and
 * case-sensitively, so each handler re-checks the raw path and declines (returns undefined, msw
 * moves on) when the product's router would not have matched. The last handler answers what no
 * route took, the way the product's framework does (404, or 405 when only the method is wrong).
 */
import { http, type RequestHandler } from 'msw';
import { percentDecode, rawTargetOf } from './raw-target.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  readonly method: Method;
  /** Below the base path, with `:name` parameters: `/Users/:id`. */
  readonly path: string;
  readonly handle: (request: Request, params: Readonly<Record<string, string>>) => Promise<Response> | Response;
}

/** What answers a request no route took; `allowed` lists the methods the path does have. */
export type Unrouted = (request: Request, allowed: readonly Method[]) => Promise<Response> | Response;

interface Compiled {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(basePath: string, route: Route): Compiled {
  const names: string[] = [];
  const source = `${basePath}${route.path}`
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function paramsOf(compiled: Compiled, path: string): Record<string, string> | undefined {
  const match = compiled.pattern.exec(path);
  if (!match) return undefined;
  // Starlette and Ring both hand the handler the percent-decoded path parameter.
  return Object.fromEntries(compiled.names.map((name, index) => [name, percentDecode(match[index + 1] ?? '')]));
}

const MSW_METHOD = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete } as const;

export function routeHandlers(basePath: string, routes: readonly Route[], unrouted: Unrouted): RequestHandler[] {
  const compiled = routes.map((route) => compile(basePath, route));
  const handlers: RequestHandler[] = compiled.map((entry) =>
    MSW_METHOD[entry.route.method](`*${basePath}${entry.route.path}`, async ({ request }) => {
      const params = paramsOf(entry, rawTargetOf(request).path);
      return params === undefined ? undefined : entry.route.handle(request, params);
    }),
  );
  handlers.push(
    http.all('*', async ({ request }) => {
      const path = rawTargetOf(request).path;
      const allowed = compiled.filter((entry) => paramsOf(entry, path) !== undefined).map((entry) => entry.route.method);
      return unrouted(request, allowed);
    }),
  );
  return handlers;
}
