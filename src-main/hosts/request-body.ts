/**
 * Reading a request body with a size limit, for the node:http hosts (SCIM API and console
 * commands): an oversized body is refused as soon as it is declared or seen, never buffered,
 * and a body that is not valid UTF-8 is refused rather than stored with U+FFFD in place of the
 * bad bytes (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8).
 */
import type { IncomingMessage } from 'node:http';

export class PayloadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes`);
  }
}

/** The body's bytes are not valid UTF-8. */
export class InvalidUtf8 extends Error {
  constructor() {
    super('The request body is not valid UTF-8');
  }
}

// fatal: throw on malformed input instead of substituting U+FFFD. ignoreBOM keeps a leading
// byte order mark in the text, as Buffer#toString does, so what JSON.parse sees is unchanged.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as UTF-8 text ('' when empty); rejects with PayloadTooLarge past `limit` bytes and
 * with InvalidUtf8 when the bytes are not UTF-8.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      let text: string;
      try {
        text = decoder.decode(Buffer.concat(chunks, size));
      } catch {
        reject(new InvalidUtf8());
        return;
      }
      resolve(text);
    });
    req.on('error', reject);
  });
}
