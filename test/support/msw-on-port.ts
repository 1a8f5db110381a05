/**
 * msw request handlers served by a real node:http server on 127.0.0.1. The remote target talks to
 * sockets through undici's dispatcher (see src-main/runner/targets/remote-target.ts), which msw's
 * in-process interception does not see; serving the handlers on a port keeps msw's declarative
 * handlers and tests the real transport. Every request received is kept, raw, for assertions.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface ReceivedRequest {
  readonly method: string;
  /** The request-target exactly as it arrived. */
  readonly url: string;
  /** Header names and values as they arrived, in order, repeats kept. */
  readonly rawHeaders: readonly (readonly [string, string])[];
  readonly body: string;
  header(name: string): string | undefined;
}

export interface MswOnPort {
  readonly origin: string;
  readonly received: ReceivedRequest[];
  /** Replaces the handlers (first match wins, as in msw). */
  use(...handlers: RequestHandler[]): void;
  close(): Promise<void>;
}

export async function mswOnPort(...initial: RequestHandler[]): Promise<MswOnPort> {
  let handlers = initial;
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const rawHeaders: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        rawHeaders,
        body,
        header: (name) => req.headers[name.toLowerCase()] as string | undefined,
      });
      const request = new Request(`${origin}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: rawHeaders.map(([name, value]) => [name, value] as [string, string]),
        ...(body === '' || req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      });
      const response = await getResponse(handlers, request);
      if (!response) {
        res.writeHead(501, { 'content-type': 'text/plain' }).end(`no msw handler for ${req.method} ${req.url}`);
        return;
      }
      const headers: [string, string][] = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      res.writeHead(response.status, headers.flat());
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    use(...next) {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
