/**
 * Serves the console to a normal browser from the provider's own node:http server: the built
 * renderer as static files at `/`, the contract's commands at `POST /api/<command>` and its events
 * at `GET /api/events` (Server-Sent Events). Mounted as the provider's `fallback`, so it only sees
 * requests outside `/scim/v2`.
 *
 * The server listens on loopback, but a loopback port is reachable from any web page the user
 * opens, and `getServerInfo` returns the bearer token. So beyond path-traversal checks the host
 * refuses foreign Host headers (DNS rebinding), cross-site requests (Origin / Sec-Fetch-Site), and
 * POSTs that are not JSON (which a cross-origin page could only send after a CORS preflight that
 * this host never approves).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isConsoleCommand, type ConsoleEventName } from '../api/contract.js';
import { CONSOLE_CSP } from './console-csp.js';
import { readBody } from './request-body.js';
import { InvalidCommandArguments, runConsoleCommand, type ConsoleApi } from '../api/console-api.js';

export interface ConsoleHostOptions {
  /** Directory holding the built renderer (index.html + assets/). */
  readonly rendererDir: string;
  /** Host names (without port) the console answers to; loopback names by default. */
  readonly allowedHostnames?: readonly string[];
  /** Interval of SSE keep-alive comments; keeps idle streams from being cut by intermediaries. */
  readonly heartbeatMs?: number;
}

export type ConsoleRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface ConsoleHost extends ConsoleRequestListener {
  /** Ends open event streams; call before closing the server, whose close() waits for them. */
  close(): void;
}

const DEFAULT_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];
const MAX_COMMAND_BODY = 1024 * 1024;

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
  const allowedHostnames = new Set((options.allowedHostnames ?? DEFAULT_HOSTNAMES).map((h) => h.toLowerCase()));
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<ServerResponse>();

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
    if (path === '/api' || path.startsWith('/api/')) {
      if (isCrossSite(req)) return sendJson(res, 403, { error: 'Cross-site requests are refused' });
      if (path === '/api/events') {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET' }, { allow: 'GET' });
        return openEventStream(req, res);
      }
      return runCommand(req, res, path.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
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
    } catch {
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
    // Tell EventSource to reconnect quickly after a restart of the app.
    res.write('retry: 2000\n\n');
    const send = (event: ConsoleEventName, payload: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    };
    const unsubscribe = [
      api.subscribe('request', (entry) => send('request', entry)),
      api.subscribe('change', (change) => send('change', change)),
    ];
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
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

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
