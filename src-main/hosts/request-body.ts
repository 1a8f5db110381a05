/**
 * Reading a request body with a size limit, for the node:http hosts (SCIM API and console
 * commands): an oversized body is refused as soon as it is declared or seen, never buffered.
 */
import type { IncomingMessage } from 'node:http';

export class PayloadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes`);
  }
}

/** The body as UTF-8 text ('' when empty); rejects with PayloadTooLarge past `limit` bytes. */
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
    req.on('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.on('error', reject);
  });
}
