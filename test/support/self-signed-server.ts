/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate, for the tests that TLS verification
 * stays on unless asked. The certificate is made at test time with the openssl command line (Node
 * cannot issue X.509 certificates); tests skip where openssl is missing (`hasOpenssl`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface SelfSignedServer {
  /** `https://127.0.0.1:PORT`. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `listener` over TLS with a fresh certificate for 127.0.0.1 and localhost. */
export async function startSelfSignedServer(listener: RequestListener): Promise<SelfSignedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-tls-'));
  try {
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
    const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          // Kept-alive connections would hold close() open.
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  } finally {
    // The key and certificate are in the server's memory once it listens.
    rmSync(dir, { recursive: true, force: true });
  }
}
