/**
 * The local provider's slice of the console contract. Reads go through the provider's SCIM handler
 * with its bearer token rather than reading the store: the console then shows exactly what a SCIM
 * client would get, including the server's filter errors.
 */
import { CONSOLE_USER_AGENT } from '../api/contract.js';
import type {
  ExportedReport,
  GetResourceResult,
  ListResourcesArgs,
  ListResourcesResult,
  ResourceType,
  ScimErrorBody,
  ScimListResponse,
  ScimResourceJson,
} from '../api/contract.js';
import type { ConsoleProvider, ConsoleServices } from '../api/console-api.js';
import { readDirectoryDocument } from '../scim/directory-document.js';
import type { DirectoryDocument } from '../store/directory-store.js';
import { scenarioFromTraffic } from '../scenarios/from-traffic.js';
import type { RequestLogEntry } from '../traffic/exchange-record.js';
import { InvalidCommandArguments } from './invalid-arguments.js';
import type { ProviderCommands } from './ports.js';
import { trafficHar } from './traffic-har.js';

const RESOURCE_PATHS: Record<ResourceType, string> = { User: 'Users', Group: 'Groups' };

export function createProviderCommands(provider: ConsoleProvider, host: ConsoleServices['host']): ProviderCommands {
  // The path prefix the handler expects (`/scim/v2`), derived once from the advertised base URL.
  const basePath = new URL(provider.baseUrl).pathname.replace(/\/$/, '');
  const get = (url: string) =>
    provider.handle({
      method: 'GET',
      url,
      origin: provider.origin,
      headers: {
        authorization: `Bearer ${provider.token}`,
        accept: 'application/scim+json',
        'user-agent': CONSOLE_USER_AGENT,
      },
    });

  return {
    async getServerInfo() {
      return {
        baseUrl: provider.baseUrl,
        token: provider.token,
        ...(provider.consoleUrl === undefined ? {} : { consoleUrl: provider.consoleUrl }),
        ...(provider.dbFile === undefined ? {} : { dbFile: provider.dbFile }),
        users: provider.store.count('User'),
        groups: provider.store.count('Group'),
        host: host.kind,
        secretsPersisted: host.secretsPersisted,
        ...(host.dataDir === undefined ? {} : { dataDir: host.dataDir }),
      };
    },

    async listResources(args: ListResourcesArgs): Promise<ListResourcesResult> {
      const { type, filter, startIndex, count, sortBy, sortOrder } = checkListArgs(args);
      const query: string[] = [];
      // encodeURIComponent rather than URLSearchParams: `+` for spaces is form encoding, which a
      // strict SCIM server need not accept; `%20` is unambiguous.
      if (filter !== undefined && filter.trim() !== '') query.push(`filter=${encodeURIComponent(filter)}`);
      if (startIndex !== undefined) query.push(`startIndex=${startIndex}`);
      if (count !== undefined) query.push(`count=${count}`);
      if (sortBy !== undefined && sortBy !== '') query.push(`sortBy=${encodeURIComponent(sortBy)}`);
      if (sortOrder !== undefined) query.push(`sortOrder=${sortOrder}`);
      const response = await get(`${basePath}/${RESOURCE_PATHS[type]}${query.length ? `?${query.join('&')}` : ''}`);
      const body = parseJson(response.body);
      if (response.status === 200 && isListResponse(body)) return { ok: true, status: 200, list: body };
      return { ok: false, status: response.status, error: asErrorBody(response.status, body) };
    },

    async recentRequests() {
      return provider.log.entries();
    },

    async getResource(type: ResourceType, id: string): Promise<GetResourceResult> {
      if (type !== 'User' && type !== 'Group') throw new InvalidCommandArguments('type must be "User" or "Group"');
      if (typeof id !== 'string' || id === '') throw new InvalidCommandArguments('id must be a non-empty string');
      const response = await get(`${basePath}/${RESOURCE_PATHS[type]}/${encodeURIComponent(id)}`);
      const body = parseJson(response.body);
      if (response.status === 200 && isResource(body)) return { ok: true, resource: body };
      return { ok: false, status: response.status, error: asErrorBody(response.status, body) };
    },

    async resetDirectory() {
      await provider.store.reset();
    },

    async importDirectory(json: string) {
      if (typeof json !== 'string') throw new InvalidCommandArguments('importDirectory expects the exported JSON as a string');
      let document: DirectoryDocument;
      try {
        document = readDirectoryDocument(JSON.parse(json) as unknown);
      } catch (error) {
        throw new InvalidCommandArguments(`Not a Scimulator directory export: ${(error as Error).message}`);
      }
      await provider.store.importDocument(document);
      return { users: provider.store.count('User'), groups: provider.store.count('Group') };
    },

    async exportDirectory() {
      return `${JSON.stringify(provider.store.exportDocument(), null, 2)}\n`;
    },

    async exportTrafficHar(seqs?: readonly number[]): Promise<ExportedReport> {
      const wanted = seqs === undefined || seqs === null ? undefined : checkSeqs(seqs, 'exportTrafficHar');
      const entries = wanted === undefined ? provider.log.entries() : loggedExchanges(provider.log.entries(), wanted);
      return {
        fileName: `scimulator-traffic-${fileStamp(new Date())}.har`,
        mimeType: 'application/json',
        content: `${JSON.stringify(trafficHar(entries, provider.origin), null, 2)}\n`,
      };
    },

    async scenarioFromTraffic(seqs: readonly number[], name?: string): Promise<string> {
      const wanted = checkSeqs(seqs, 'scenarioFromTraffic');
      if (wanted.size === 0) throw new InvalidCommandArguments('Select at least one exchange to save as a scenario');
      if (name !== undefined && name !== null && (typeof name !== 'string' || name.trim() === '')) {
        throw new InvalidCommandArguments('name must be a non-empty string');
      }
      const entries = loggedExchanges(provider.log.entries(), wanted).sort((a, b) => a.seq - b.seq);
      if (entries.length === 0) {
        throw new InvalidCommandArguments('None of the selected exchanges is still in the request log (it keeps the most recent ones)');
      }
      const replayable = entries.filter((entry) => !isConsoleRequest(entry) && entry.url.startsWith(basePath));
      if (replayable.length === 0) {
        throw new InvalidCommandArguments("The selected exchanges are the console's own requests or not SCIM requests: nothing to replay");
      }
      return scenarioFromTraffic(replayable, {
        name: typeof name === 'string' ? name.trim() : 'recorded-traffic',
        description: `${replayable.length} exchange${replayable.length === 1 ? '' : 's'} recorded by the local provider, replayed as raw requests`,
        basePath,
      });
    },
  };
}

const isConsoleRequest = (entry: RequestLogEntry): boolean =>
  (entry.requestHeaders['user-agent'] ?? '').startsWith(CONSOLE_USER_AGENT);

/** The logged exchanges whose seq is wanted, in the log's order. */
function loggedExchanges(entries: readonly RequestLogEntry[], wanted: ReadonlySet<number>): RequestLogEntry[] {
  return entries.filter((entry) => wanted.has(entry.seq));
}

function checkSeqs(seqs: unknown, command: string): Set<number> {
  if (!Array.isArray(seqs) || !seqs.every((seq) => Number.isInteger(seq) && (seq as number) > 0)) {
    throw new InvalidCommandArguments(`${command} expects an array of exchange sequence numbers (positive integers)`);
  }
  return new Set(seqs as number[]);
}

/** 2026-12-07T01-58-00: a timestamp that is a valid file name everywhere. */
function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

function checkListArgs(args: unknown): ListResourcesArgs {
  if (typeof args !== 'object' || args === null) throw new InvalidCommandArguments('listResources expects an object');
  const { type, filter, startIndex, count, sortBy, sortOrder } = args as Record<string, unknown>;
  if (type !== 'User' && type !== 'Group') throw new InvalidCommandArguments('type must be "User" or "Group"');
  if (filter !== undefined && typeof filter !== 'string') throw new InvalidCommandArguments('filter must be a string');
  if (sortBy !== undefined && typeof sortBy !== 'string') throw new InvalidCommandArguments('sortBy must be a string');
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw new InvalidCommandArguments('sortOrder must be "ascending" or "descending"');
  }
  for (const [name, value] of [['startIndex', startIndex], ['count', count]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
      throw new InvalidCommandArguments(`${name} must be a non-negative integer`);
    }
  }
  return {
    type,
    ...(filter === undefined ? {} : { filter }),
    ...(startIndex === undefined ? {} : { startIndex: startIndex as number }),
    ...(count === undefined ? {} : { count: count as number }),
    ...(sortBy === undefined ? {} : { sortBy }),
    ...(sortOrder === undefined ? {} : { sortOrder }),
  };
}

function parseJson(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isResource(body: unknown): body is ScimResourceJson {
  return typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string';
}

function isListResponse(body: unknown): body is ScimListResponse {
  return typeof body === 'object' && body !== null && typeof (body as { totalResults?: unknown }).totalResults === 'number';
}

/** The server's error body when it sent one; otherwise an equivalent built from the status. */
function asErrorBody(status: number, body: unknown): ScimErrorBody {
  if (typeof body === 'object' && body !== null && typeof (body as { detail?: unknown }).detail === 'string') {
    return body as ScimErrorBody;
  }
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    detail: `The server answered ${status} without a SCIM error body`,
  };
}
