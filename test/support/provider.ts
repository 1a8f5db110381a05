/** A real provider on a free loopback port, and a small SCIM client for tests. */
import type { ProviderOptions } from '../../src-main/provider.js';
import { serveProvider, type HostOptions, type RunningProvider } from '../../src-main/hosts/provider-host.js';

export const TEST_TOKEN = 'test-token-7f3a';

export interface ScimReply {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined for empty bodies. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index into arbitrary SCIM JSON
  text: string;
}

export interface TestServer {
  provider: RunningProvider;
  base: string;
  /** `path` is relative to the SCIM base URL, e.g. `/Users?filter=...`. */
  scim(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimReply>;
  close(): Promise<void>;
}

export async function startTestServer(options: ProviderOptions & HostOptions = {}): Promise<TestServer> {
  const provider = await serveProvider({ port: 0, token: TEST_TOKEN, ...options });
  const scim = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(provider.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
  };
  return { provider, base: provider.baseUrl, scim, close: () => provider.close() };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function user(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}

export function patchOp(...operations: unknown[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}
