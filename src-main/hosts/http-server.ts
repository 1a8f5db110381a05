/**
 * node:http adapter for the SCIM handler: reads the body (refusing more than maxPayloadSize
 * without buffering it), hands a ScimRequest to the handler and writes the ScimResponse back.
 * Requests outside the SCIM base path go to the console when there is one, and otherwise to the
 * handler (which answers them 404 with a SCIM error).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScimError } from '../scim/errors.js';
import { SCIM_CONTENT_TYPE } from '../scim/responses.js';
import type { ScimHandler, ScimRequest, ScimResponse } from '../scim/http-types.js';
import { InvalidUtf8, PayloadTooLarge, readBody } from './request-body.js';
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS, applyConnectionLimits, serverOptionsFor } from './connection-limits.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpHostOptions {
  readonly basePath: string;
  readonly maxPayloadSize: number;
  /** The web console: serves every path outside the SCIM base path. */
  readonly console?: RequestListener;
  /** Timeouts and the connection cap; DEFAULT_CONNECTION_LIMITS for what is not given. */
  readonly connectionLimits?: Partial<ConnectionLimits>;
}

export interface HttpHost {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting connections and resolves once every in-flight request has been answered. */
  close(): Promise<void>;
}

/** How long close() lets an open connection finish before cutting it. */
const CLOSE_GRACE_MS = 2000;

/** Whether the request has a body at all (RFC 9112 §6.3): most GETs have no framing, so none. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Node already joins repeated request headers with ", " except `set-cookie`, which it keeps as
 * an array; only then is a copy needed to give the handler plain strings.
 */
function requestHeaders(req: IncomingMessage): ScimRequest['headers'] {
  const incoming = req.headers;
  const cookies = incoming['set-cookie'];
  if (cookies === undefined) return incoming as Record<string, string | undefined>;
  return { ...incoming, 'set-cookie': cookies.join(', ') };
}

function originOf(req: IncomingMessage): string {
  const host = req.headers.host;
  // Without a Host header (HTTP/1.0 clients), the address the client connected to stands in.
  return `http://${host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort}`}`;
}

export function createHttpHost(handle: ScimHandler, options: HttpHostOptions): HttpHost {
  let inFlight = 0;
  let drained: (() => void) | undefined;

  function send(res: ServerResponse, response: ScimResponse): void {
    if (response.body === undefined) {
      res.writeHead(response.status, response.headers);
      res.end();
      return;
    }
    // Encoded once here: its length is the Content-Length (rather than chunked encoding, so
    // clients read the body in one go), and the socket then writes bytes, not a string.
    const bytes = Buffer.from(response.body);
    response.headers['content-length'] = String(bytes.length);
    res.writeHead(response.status, response.headers);
    res.end(bytes);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string | undefined;
    if (hasBody(req)) {
      try {
        const text = await readBody(req, options.maxPayloadSize);
        if (text !== '') body = text;
      } catch (error) {
        if (error instanceof InvalidUtf8) {
          const scimError = new ScimError(400, 'invalidSyntax', 'The request body is not valid UTF-8 (RFC 8259 §8.1 requires UTF-8 JSON)');
          res.writeHead(400, { 'content-type': SCIM_CONTENT_TYPE });
          res.end(JSON.stringify(scimError.toBody()));
          return;
        }
        if (!(error instanceof PayloadTooLarge)) throw error;
        const scimError = new ScimError(413, undefined, `The request body exceeds maxPayloadSize (${options.maxPayloadSize} bytes)`);
        res.writeHead(413, { 'content-type': SCIM_CONTENT_TYPE, connection: 'close' });
        res.end(JSON.stringify(scimError.toBody()));
        return;
      }
    } else {
      req.resume();
    }
    const request: ScimRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: requestHeaders(req),
      origin: originOf(req),
      ...(body !== undefined ? { body } : {}),
    };
    send(res, await handle(request));
  }

  // Connection limits: timeouts and the connection cap, all in connection-limits.ts.
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connectionLimits };
  const server = createServer(serverOptionsFor(limits), (req, res) => {
    const url = req.url ?? '/';
    const inScim = url === options.basePath || url.startsWith(options.basePath + '/') || url.startsWith(options.basePath + '?');
    if (!inScim && options.console) {
      options.console(req, res);
      return;
    }
    // A request counts as in flight until its response has been handed to the OS ('close'),
    // so close() never cuts a connection whose last response is still being written.
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    });
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': SCIM_CONTENT_TYPE });
      res.end(JSON.stringify(new ScimError(500, undefined, `Internal server error: ${String(error)}`).toBody()));
    });
  });

  applyConnectionLimits(server, limits);

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      // Answered keep-alive connections are idle now; closing them gently lets clients read
      // the last response. Only a connection that stays busy past the grace period is cut.
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    },
  };
}
