import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidUtf8, PayloadTooLarge, readBody } from '../../../src-main/hosts/request-body.js';

const LIMIT = 1024;
let server: Server;
let port: number;

beforeAll(async () => {
  // Answers what readBody made of the request: the text, or the kind of refusal.
  server = createServer((req, res) => {
    readBody(req, LIMIT).then(
      (text) => res.end(JSON.stringify({ text })),
      (error: unknown) => {
        if (error instanceof InvalidUtf8) {
          res.writeHead(400);
          res.end(JSON.stringify({ invalidUtf8: true }));
          return;
        }
        res.writeHead(413, { connection: 'close' });
        res.end(JSON.stringify({ tooLarge: error instanceof PayloadTooLarge }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `chunks` one write at a time; without a length the body goes chunked. */
function send(chunks: (string | Buffer)[], headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readBody', () => {
  it('returns the body as UTF-8 text, split across chunks or not', async () => {
    expect(await send(['{"name":"Zo', 'ë"}'])).toEqual({ status: 200, body: { text: '{"name":"Zoë"}' } });
  });

  it('returns an empty string for an empty body', async () => {
    expect(await send([], { 'content-length': '0' })).toEqual({ status: 200, body: { text: '' } });
  });

  it('refuses a body whose declared length is over the limit before reading it', async () => {
    const body = 'x'.repeat(LIMIT + 1);
    expect(await send([body], { 'content-length': String(body.length) })).toEqual({ status: 413, body: { tooLarge: true } });
  });

  it('refuses a chunked body once what arrived passes the limit', async () => {
    const reply = await send(['x'.repeat(600), 'y'.repeat(600)]);
    expect(reply).toEqual({ status: 413, body: { tooLarge: true } });
  });

  it('refuses bytes that are not UTF-8 instead of replacing them with U+FFFD', async () => {
    const latin1 = Buffer.from('{"name":"Zoë"}', 'latin1');
    expect(await send([latin1])).toEqual({ status: 400, body: { invalidUtf8: true } });
    // A truncated sequence, an overlong encoding and a lone surrogate are all malformed.
    for (const bytes of [[0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      expect(await send([Buffer.from([0x22, ...bytes, 0x22])])).toEqual({ status: 400, body: { invalidUtf8: true } });
    }
  });

  it('decodes a character split across chunks', async () => {
    const bytes = Buffer.from('"Zoë"');
    expect(await send([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual({ status: 200, body: { text: '"Zoë"' } });
  });
});
