/**
 * What the console's event stream costs: one message per durable commit, naming resources
 * rather than carrying them. Before, an import of 2,000 users pushed 2,096 events and 2.6 MB of
 * JSON to every open console.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApi } from '../../src-main/api/console-api.js';
import { consoleCookieName, createConsoleHost, generateConsoleSecret } from '../../src-main/hosts/console-host.js';
import { serveProvider, type RunningProvider } from '../../src-main/hosts/provider-host.js';
import type { StoredResource } from '../../src-main/scim/resource.js';
import { USER_SCHEMA } from '../support/provider.js';

let dir: string;
let provider: RunningProvider;
const secret = generateConsoleSecret();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-events-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  provider = await serveProvider({
    port: 0,
    db: join(dir, 'directory.json'),
    console: (hosted) => createConsoleHost(createConsoleApi(hosted), { rendererDir: dir, secret }),
  });
});

afterAll(async () => {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens the console's event stream and collects what it sends. */
function openStream(): { bytes: () => string; ready: Promise<void>; close: () => void } {
  let text = '';
  let request: ClientRequest | undefined;
  const port = new URL(provider.origin).port;
  // The cookie a browser holds once it has opened the console URL with its secret.
  const headers = { accept: 'text/event-stream', cookie: `${consoleCookieName(port)}=${secret}` };
  const ready = new Promise<void>((resolve, reject) => {
    request = httpRequest(
      { host: '127.0.0.1', port, path: '/api/events', headers },
      (res) => {
        expect(res.statusCode).toBe(200);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // The host subscribes before it writes the retry line.
          if (text.startsWith('retry:')) resolve();
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
  return { bytes: () => text, ready, close: () => request?.destroy() };
}

function user(index: number): StoredResource {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const at = '2026-01-01T00:00:00.000Z';
  return {
    schemas: [USER_SCHEMA],
    id,
    userName: `user${index}@example.com`,
    name: { givenName: `Given${index}`, familyName: `Family${index}` },
    emails: [{ value: `user${index}@example.com`, type: 'work', primary: true }],
    active: true,
    meta: { resourceType: 'User', created: at, lastModified: at, revision: 1 },
  } as StoredResource;
}

describe('the console event stream', () => {
  it('sends an import of 2,000 users as one change message of about 140 KB', async () => {
    const stream = openStream();
    await stream.ready;
    const before = stream.bytes().length;
    const users = Array.from({ length: 2000 }, (_, i) => user(i));
    await provider.store.importDocument({ users, groups: [] });
    await expect.poll(() => stream.bytes().slice(before).includes('event: change') && stream.bytes().endsWith('\n\n')).toBe(true);
    const sent = stream.bytes().slice(before);
    stream.close();

    expect(sent.match(/^event: /gm)).toEqual(['event: ']);
    const expected = {
      seq: provider.store.stats.seq,
      cleared: true,
      changes: users.map((resource) => ({ op: 'put', type: 'User', id: resource.id })),
    };
    expect(sent).toBe(`event: change\ndata: ${JSON.stringify(expected)}\n\n`);
    // Pinned: 71 bytes per user ({"op":"put","type":"User","id":"<uuid>"} and a comma, 2000 × 71 - 1),
    // the object around them ({"seq":2,"cleared":true,"changes":[ … ]}, 37) and the frame (22).
    expect(Buffer.byteLength(sent)).toBe(142_058);
  });

  it('announces a write made through SCIM once, with the exchange that made it, after it is durable', async () => {
    const stream = openStream();
    await stream.ready;
    const before = stream.bytes().length;
    const response = await fetch(`${provider.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${provider.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'new@example.com' }),
    });
    const created = (await response.json()) as { id: string };
    const complete = () => {
      const text = stream.bytes().slice(before);
      return text.includes('event: change') && text.includes('event: request') && text.endsWith('\n\n');
    };
    await expect.poll(complete).toBe(true);
    const sent = stream.bytes().slice(before);
    stream.close();
    const messages = sent
      .split('\n\n')
      .filter(Boolean)
      .map((message) => {
        const [event, data] = message.split('\n');
        return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) as Record<string, unknown> };
      });
    // The commit is announced as soon as it is durable, which is before the exchange that made it
    // is answered and recorded; the change names it so the console can pair them.
    expect(messages.map((message) => message.event)).toEqual(['change', 'request']);
    const [change, request] = messages;
    expect(request!.data).toMatchObject({ method: 'POST', status: 201 });
    expect(change!.data).toEqual({
      seq: provider.store.stats.seq,
      exchange: request!.data.seq,
      changes: [{ op: 'put', type: 'User', id: created.id }],
    });
  });
});
