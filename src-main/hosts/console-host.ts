/**
 * Serves the console to a normal browser from the provider's own node:http server: the built
 * renderer as static files at `/`, the contract's commands at `POST /api/<command>` and its events
 * at `GET /api/events` (Server-Sent Events). Mounted beside the SCIM base path by
 * hosts/provider-host.ts, so it only sees requests outside `/scim/v2`.
 *
 * `getServerInfo` returns the bearer token and the event stream carries every request (with the
 * passwords IdPs send), so `/api/*` is only for whoever holds the console secret: a per-process
 * random string that the URL printed at start-up carries once, as `/?secret=<secret>`
 * (CONSOLE_SECRET_PARAM). Opening that URL stores the secret in an HttpOnly, SameSite=Strict
 * cookie and redirects to the same path without it, so it stays out of history and Referer; every
 * `/api` request without the cookie is 401. The Host and Origin checks stay as a second layer: a
 * loopback port is reachable from any web page the user opens, so the host also refuses foreign
 * Host headers (DNS rebinding), cross-site requests (Origin / Sec-Fetch-Site), and POSTs that are
 * not JSON (which a cross-origin page could only send after a CORS preflight this host never
 * approves). A non-browser client can forge Host and Origin; only the secret stops it.
 *
 * The static files (index.html, assets) hold no secret and are served without the cookie, so a
 * page opened without the secret loads and tells the user which URL to open instead.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONSOLE_EVENTS, isConsoleCommand, type ConsoleEventName } from '../api/contract.js';
import { CONSOLE_CSP } from './console-csp.js';
import { LOOPBACK_HOSTNAMES } from './listen-address.js';
import { InvalidUtf8, readBody } from './request-body.js';
import { InvalidCommandArguments, runConsoleCommand, type ConsoleApi } from '../api/console-api.js';

export interface ConsoleHostOptions {
  /** Directory holding the built renderer (index.html + assets/). */
  readonly rendererDir: string;
  /** Host names (without port) the console answers to; loopback names by default. */
  readonly allowedHostnames?: readonly string[];
  /** Interval of SSE keep-alive comments; keeps idle streams from being cut by intermediaries. */
  readonly heartbeatMs?: number;
  /** The console secret (URL-safe, at least 32 characters); generated when absent. */
  readonly secret?: string;
  /**
   * How many bytes an event stream may have queued for a client that does not read before it is
   * cut (the browser's EventSource reconnects and the console resyncs). Default 1 MiB.
   */
  readonly maxQueuedEventBytes?: number;
}

export type ConsoleRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface ConsoleHost extends ConsoleRequestListener {
  /** The secret that opens the console; print it with consoleUrl(). */
  readonly secret: string;
  /** Ends open event streams; call before closing the server, whose close() waits for them. */
  close(): void;
}

/** The query parameter of the printed console URL that carries the secret. */
export const CONSOLE_SECRET_PARAM = 'secret';

/** 32 random bytes, base64url: unguessable, and safe in a URL and a cookie without escaping. */
export function generateConsoleSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The URL that opens the console at `origin` (e.g. http://127.0.0.1:8080): print this one. */
export function consoleUrl(origin: string, secret: string): string {
  const url = new URL('/', origin);
  url.searchParams.set(CONSOLE_SECRET_PARAM, secret);
  return url.href;
}

/**
 * Cookies ignore ports (RFC 6265 §8.5), so two Scimulators on one host (the desktop app and a
 * `serve`, say) would overwrite one another's cookie under a shared name; the port keeps them apart.
 */
export function consoleCookieName(port: string): string {
  return `scimulator_console_${port}`;
}

const MAX_COMMAND_BODY = 1024 * 1024;
const DEFAULT_MAX_QUEUED_EVENT_BYTES = 1024 * 1024;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{32,}$/;
const UNAUTHORIZED_MESSAGE = 'Open the console through the URL printed by `scimulator serve` or `npm start`: it carries the secret';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export { CONSOLE_CSP };

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function createConsoleHost(api: ConsoleApi, options: ConsoleHostOptions): ConsoleHost {
  const rendererDir = resolve(options.rendererDir);
  const allowedHostnames = new Set((options.allowedHostnames ?? LOOPBACK_HOSTNAMES).map((h) => h.toLowerCase()));
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxQueuedEventBytes = options.maxQueuedEventBytes ?? DEFAULT_MAX_QUEUED_EVENT_BYTES;
  const secret = options.secret ?? generateConsoleSecret();
  if (!SECRET_PATTERN.test(secret)) throw new TypeError('The console secret must be at least 32 characters of A-Z, a-z, 0-9, _ and -');
  const secretDigest = digest(secret);
  const streams = new Set<ServerResponse>();

  /** Constant time: the comparison must not tell an attacker how much of a guess was right. */
  const isSecret = (candidate: string): boolean => timingSafeEqual(digest(candidate), secretDigest);

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((error: unknown) => {
      // Last resort: a bug here must not take the SCIM server down with an unhandled rejection.
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy(error instanceof Error ? error : undefined);
    });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = hostnameOf(req.headers.host);
    if (host === undefined || !allowedHostnames.has(host)) return sendText(res, 421, 'Misdirected request: unexpected Host header');

    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
    const cookieName = consoleCookieName(portOf(req));
    if (path === '/api' || path.startsWith('/api/')) {
      if (isCrossSite(req)) return sendJson(res, 403, { error: 'Cross-site requests are refused' });
      if (!cookieValues(req.headers.cookie, cookieName).some(isSecret)) return sendJson(res, 401, { error: UNAUTHORIZED_MESSAGE });
      if (path === '/api/events') {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET' }, { allow: 'GET' });
        return openEventStream(req, res);
      }
      return runCommand(req, res, path.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    const offered = url.searchParams.get(CONSOLE_SECRET_PARAM);
    if (offered !== null) {
      // A wrong secret (a link from an earlier run) sets nothing: the page then says which URL to
      // open, or simply works if this browser already holds the current cookie.
      const headers: Record<string, string> = isSecret(offered)
        ? { 'set-cookie': `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/` }
        : {};
      url.searchParams.delete(CONSOLE_SECRET_PARAM);
      // One leading slash: `//host/…` in Location would send the browser to another site.
      return redirect(res, '/' + url.pathname.replace(/^[/\\]+/, '') + url.search, headers);
    }
    return serveStatic(req, res, path);
  }

  async function runCommand(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!isConsoleCommand(name)) return sendJson(res, 404, { error: `Unknown command: ${name}` });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'Use POST' }, { allow: 'POST' });
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/json') return sendJson(res, 415, { error: 'Send a JSON array of arguments' });

    let text: string;
    try {
      text = await readBody(req, MAX_COMMAND_BODY);
    } catch (error) {
      if (error instanceof InvalidUtf8) return sendJson(res, 400, { error: 'Body is not valid UTF-8' });
      // The rest of the body is not read; closing the connection is cheaper than draining it.
      return sendJson(res, 413, { error: 'Request body too large' }, { connection: 'close' });
    }
    let args: unknown;
    try {
      args = text.trim() === '' ? [] : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: 'Body is not valid JSON' });
    }
    if (!Array.isArray(args)) return sendJson(res, 400, { error: 'Body must be a JSON array of arguments' });

    try {
      const result = await runConsoleCommand(api, name, args);
      return sendJson(res, 200, result);
    } catch (error) {
      if (error instanceof InvalidCommandArguments) return sendJson(res, 400, { error: error.message });
      return sendJson(res, 500, { error: error instanceof Error ? error.message : 'Command failed' });
    }
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    /**
     * A client that stops reading would otherwise make every event pile up in this process. Past
     * the bound the stream is cut, not ended (end() would queue behind the backlog): EventSource
     * reconnects and the console re-reads what it missed.
     */
    const write = (text: string): void => {
      if (res.destroyed) return;
      if (!res.write(text) && res.writableLength > maxQueuedEventBytes) res.destroy();
    };
    // Tell EventSource to reconnect quickly after a restart of the app.
    write('retry: 2000\n\n');
    const send = (event: ConsoleEventName, payload: unknown): void => {
      write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    };
    // Every event of the contract, so runs, history, targets and the IdP directory stream live too.
    const unsubscribe = (Object.keys(CONSOLE_EVENTS) as ConsoleEventName[]).map((event) =>
      api.subscribe(event, (payload: unknown) => send(event, payload)),
    );
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    streams.add(res);
    const cleanup = (): void => {
      clearInterval(heartbeat);
      for (const stop of unsubscribe) stop();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    const file = resolveStaticFile(rendererDir, urlPath);
    if (file === undefined) return sendText(res, 404, 'Not found');
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'Not found');
      size = info.size;
    } catch {
      if (urlPath === '/' || urlPath === '/index.html') {
        return sendText(res, 404, 'The console is not built. Run `npm run build` (electron-vite build) first.');
      }
      return sendText(res, 404, 'Not found');
    }
    const extension = extname(file).toLowerCase();
    const isHtml = extension === '.html';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': String(size),
      // Vite fingerprints everything under assets/, so those never change; the page itself must be
      // revalidated so a rebuilt console is picked up.
      'cache-control': isHtml || !urlPath.startsWith('/assets/') ? 'no-cache' : 'public, max-age=31536000, immutable',
      ...(isHtml ? { 'content-security-policy': CONSOLE_CSP } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  return Object.assign(listener, {
    secret,
    close(): void {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  });
}

/**
 * Maps a URL path to a file inside `root`, or undefined when the path is malformed or would leave
 * it. Exported for its unit test: this is the traversal guard.
 */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  // NUL bytes make fs calls throw; backslashes are separators on Windows and never legitimate here.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(root, relativePath);
  const fromRoot = relative(root, file);
  if (fromRoot === '' || fromRoot.startsWith(`..${sep}`) || fromRoot === '..' || isAbsolute(fromRoot)) return undefined;
  // Dotfiles are build leftovers at best (.vite/ manifests), secrets at worst.
  if (fromRoot.split(sep).some((segment) => segment.startsWith('.'))) return undefined;
  return join(root, fromRoot);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Every value of the cookie `name` in a Cookie header (a browser may send one name twice). */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals !== -1 && pair.slice(0, equals).trim() === name) values.push(pair.slice(equals + 1).trim());
  }
  return values;
}

/** The port the browser addressed, which names the cookie; the Host header's hostname is checked before. */
function portOf(req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).port || '80';
  } catch {
    return '80';
  }
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True when a browser says this request comes from another site (not for same-origin fetches). */
function isCrossSite(req: IncomingMessage): boolean {
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** 303 so the browser GETs the target; no-store so the response carrying a cookie is never cached. */
function redirect(res: ServerResponse, location: string, headers: Record<string, string>): void {
  res.writeHead(303, { ...SECURITY_HEADERS, ...headers, location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
