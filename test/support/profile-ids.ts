/**
 * Profile tests compare requests byte for byte, but the ids the target assigns are random: this
 * replaces each id the IdP learned with a stable `<user:key>` / `<group:key>` placeholder.
 */
import type { TargetLinks } from '../../src-main/idp/directory.js';
import type { IdpEvent } from '../../src-main/idp/events.js';
import { HARNESS_ORIGIN, HARNESS_TOKEN, type CapturedExchange, type ProfileHarness } from './profile-harness.js';

export interface NormalisedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string | undefined;
  readonly headers: readonly (readonly [string, string])[];
  /** Parsed JSON body (ids replaced), or undefined without a body. */
  readonly body: unknown;
}

/** Every id ever linked, so that ids of deleted users still normalise: call after each event. */
export class IdNames {
  private readonly names = new Map<string, string>();

  learn(links: TargetLinks): void {
    for (const [key, link] of Object.entries(links.users)) this.names.set(link.id, `<user:${key}>`);
    for (const [key, link] of Object.entries(links.groups)) this.names.set(link.id, `<group:${key}>`);
  }

  /** Names an id the links no longer hold (a test user the profile created and deleted). */
  name(id: string, name: string): void {
    this.names.set(id, name);
  }

  replace(text: string): string {
    let result = text;
    for (const [id, name] of this.names) result = result.split(id).join(name);
    return result;
  }

  /** Runs one event and returns what the IdP sent, ids named (learned first), with each answer's status. */
  async run(harness: ProfileHarness, event: IdpEvent): Promise<(NormalisedRequest & { readonly status: number })[]> {
    const sent = await harness.run(event);
    this.learn(harness.context.links);
    return sent.map((exchange) => ({ ...this.request(exchange), status: exchange.response.status }));
  }

  request(exchange: CapturedExchange): NormalisedRequest {
    const { request } = exchange;
    return {
      method: request.method,
      path: this.replace(request.path),
      query: request.query === undefined ? undefined : this.replace(request.query),
      headers: request.headers,
      body: request.body === undefined ? undefined : (JSON.parse(this.replace(request.body)) as unknown),
    };
  }
}

/** Reads a resource or list from the harness's provider, as the target's state after the events. */
export async function targetState(harness: ProfileHarness, path: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index into arbitrary SCIM JSON
  const response = await harness.provider.handle({
    method: 'GET',
    url: `${harness.provider.basePath}${path}`,
    headers: { authorization: `Bearer ${HARNESS_TOKEN}` },
    origin: HARNESS_ORIGIN,
  });
  return { status: response.status, body: response.body ? JSON.parse(response.body) : undefined };
}
