/**
 * `scimulator practice NAME`: one practice target on a real port, for tools other than Scimulator
 * (a real IdP behind a tunnel, curl, another test suite). node:http hands each request, with its
 * request-target exactly as received, to the product's msw handlers through `getResponse`, and
 * writes their Response back.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { getResponse } from 'msw';
import { PRACTICE_NAMES, createPractice, isPracticeName, type PracticeName, type PracticeOptions, type PracticeProvider } from '../practice/index.js';
import { practiceRequest } from '../practice/raw-target.js';
import { printedAddresses } from './listen-address.js';

export interface PracticeHostOptions extends PracticeOptions {
  readonly host?: string;
  /** 0 picks a free port. Default 8080. */
  readonly port?: number;
}

export interface HostedPractice {
  readonly practice: PracticeProvider;
  /** `http://host:port` as this machine addresses it. */
  readonly origin: string;
  /** The product's SCIM base URL on this host. */
  readonly baseUrl: string;
  /** Origins other machines can use, when bound to every interface. */
  readonly networkOrigins: readonly string[];
  /** Stops accepting and waits for in-flight requests (cutting idle keep-alive connections). */
  close(): Promise<void>;
}

/** More than any SCIM request needs; the products' own servers refuse far less. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function answer(practice: PracticeProvider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === 'too large') {
    res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Request Entity Too Large');
    return;
  }
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index] as string, req.rawHeaders[index + 1] as string);
  const origin = `http://${req.headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort}`}`;
  const method = req.method ?? 'GET';
  const carriesBody = body.length > 0 && method !== 'GET' && method !== 'HEAD';
  const request = practiceRequest(origin, req.url ?? '/', { method, headers, ...(carriesBody ? { body: new Uint8Array(body) } : {}) });
  const response = await getResponse([...practice.handlers], request);
  if (!response) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('the practice handlers gave no response');
    return;
  }
  const out = Buffer.from(await response.arrayBuffer());
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  res.writeHead(response.status, { ...responseHeaders, ...(response.status === 204 || response.status === 304 ? {} : { 'content-length': String(out.length) }) });
  res.end(out);
}

export async function hostPractice(name: PracticeName, options: PracticeHostOptions = {}): Promise<HostedPractice> {
  const practice = createPractice(name, options);
  const server = createServer((req, res) => {
    answer(practice, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`practice host error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the practice host has no TCP address');
  const addresses = printedAddresses(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
  let closing: Promise<void> | undefined;
  return {
    practice,
    origin: addresses.local,
    baseUrl: `${addresses.local}${practice.basePath}`,
    networkOrigins: addresses.network,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/**
 * The `practice` command: prints the base URL and token as `serve` does and runs until SIGINT or
 * SIGTERM, then stops cleanly (exit 0). Resolves with the exit code when it cannot start (2).
 */
export async function servePracticeCommand(name: string, options: { readonly host: string; readonly port: number }): Promise<number> {
  if (!isPracticeName(name)) {
    process.stderr.write(`scimulator: practice takes one of ${PRACTICE_NAMES.join(', ')}; got "${name}"\n`);
    return 2;
  }
  let hosted: HostedPractice;
  try {
    hosted = await hostPractice(name, { host: options.host, port: options.port });
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `${options.host}:${options.port} is already in use; pick another --port, or --port 0 for a free one`
        : (error as Error).message;
    process.stderr.write(`scimulator: ${message}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal}: stopping the practice target…\n`);
      hosted.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.stdout.write(
      [
        `Scimulator practice target: ${hosted.practice.title} (its SCIM endpoint as its code behaves, quirks included)`,
        `  SCIM base URL  ${hosted.baseUrl}`,
        ...hosted.networkOrigins.map((origin) => `  Network URL    ${origin}${hosted.practice.basePath}`),
        `  Bearer token   ${hosted.practice.token}`,
        `  Run against it: scimulator run okta-lifecycle --target ${hosted.baseUrl} --token ${hosted.practice.token}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  });
  return 0;
}
