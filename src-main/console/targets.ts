/**
 * The console's targets: the running local provider, the practice products, and the remote SCIM
 * endpoints the user saved (targets.json in the data directory). Implements the Targets slice of
 * the contract for the renderer and the TargetCatalog the runs service opens targets through.
 *
 * Secrets (bearer token, password, header value, OAuth client secret) are sealed with the host's
 * SecretVault before they are written, and never leave this module towards the renderer: a
 * summary says only whether a secret is saved. A vault that keeps secrets in memory (the browser
 * host) leaves them out of the file entirely.
 */
import { randomBytes } from 'node:crypto';
import type { SaveTargetArgs, TargetAuthInput, TargetAuthView, TargetSummary } from '../api/contract.js';
import type { Provider } from '../provider.js';
import { PRACTICE_NAMES, isPracticeName, type PracticeName } from '../practice/index.js';
import type { Target, TargetAuth } from '../runner/target.js';
import { localTargetFor } from '../runner/targets/local-target.js';
import { createPracticeTarget, type PracticeTarget } from '../runner/targets/practice-target.js';
import { createRemoteTarget, parseBaseUrl } from '../runner/targets/remote-target.js';
import { createWriteQueue, openConsoleFile } from './console-file.js';
import { InvalidCommandArguments } from './invalid-arguments.js';
import type { ConsoleEventSink, SecretVault, TargetCatalog, TargetCommands } from './ports.js';

export const TARGETS_FORMAT = 'scimulator-targets';
export const TARGETS_VERSION = 1;

/** The local provider as the targets service needs it: the in-process provider and where it is served. */
export type LocalProvider = Provider & { readonly baseUrl: string };

export interface TargetServiceOptions {
  /** targets.json; in memory when absent. */
  readonly file?: string;
  readonly vault: SecretVault;
  readonly local: LocalProvider;
  readonly events: ConsoleEventSink;
}

export type TargetService = TargetCommands & TargetCatalog & { close(): Promise<void> };

/** A target id that names nothing. A 400 when the renderer sent it; the runs service reports it as is. */
export class UnknownTarget extends InvalidCommandArguments {
  constructor(readonly id: string) {
    super(`No target "${id}": pick one from Targets`);
    this.name = 'UnknownTarget';
  }
}

/** A saved target whose secret is not at hand (never entered, or kept in memory by an earlier run). */
export class TargetSecretMissing extends Error {
  constructor(name: string) {
    super(`The target "${name}" has no saved secret: enter it again in Targets`);
    this.name = 'TargetSecretMissing';
  }
}

/** A target's auth without its secret: what the page sees, less whether a secret is saved. */
type WithoutSecretSaved<View> = View extends unknown ? Omit<View, 'secretSaved'> : never;
type SecretlessAuth = WithoutSecretSaved<TargetAuthView>;

/** A remote target as targets.json holds it: the secret, if any, only sealed. */
interface StoredTarget {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: SecretlessAuth & { readonly sealedSecret?: string };
  readonly insecure: boolean;
  readonly timeoutMs?: number;
}

interface TargetsFile {
  format: typeof TARGETS_FORMAT;
  version: typeof TARGETS_VERSION;
  targets: StoredTarget[];
}

const MAX_NAME_LENGTH = 200;
/** RFC 9110 §5.6.2 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CONTROL_CHARACTERS = /[\r\n\0]/;
/** Headers the transport or the IdP's own request owns; a custom auth header must not replace them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

function fileProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const file = value as Partial<TargetsFile>;
  if (file.format !== TARGETS_FORMAT) return `no "format": "${TARGETS_FORMAT}"`;
  if (file.version !== TARGETS_VERSION) return `version ${String(file.version)}, this Scimulator reads version ${TARGETS_VERSION}`;
  if (!Array.isArray(file.targets)) return 'no "targets" list';
  for (const target of file.targets as unknown[]) {
    const t = target as Partial<StoredTarget> | null;
    if (typeof t !== 'object' || t === null || typeof t.id !== 'string' || typeof t.name !== 'string' || typeof t.baseUrl !== 'string' || typeof t.auth !== 'object' || t.auth === null) {
      return 'a target without id, name, baseUrl or auth';
    }
  }
  return undefined;
}

export async function openTargetService(options: TargetServiceOptions): Promise<TargetService> {
  const { vault, local, events } = options;
  const db = await openConsoleFile<TargetsFile>(options.file, 'a Scimulator targets file', fileProblem);
  const saved = new Map<string, StoredTarget>((db.data?.targets ?? []).map((target) => [target.id, target]));
  /** Secrets of a vault that does not persist them, by target id: gone when the process ends. */
  const memorySecrets = new Map<string, string>();
  const practices = new Map<PracticeName, PracticeTarget>();
  const enqueue = createWriteQueue();
  let closed = false;

  const persist = async (): Promise<void> => {
    db.data = { format: TARGETS_FORMAT, version: TARGETS_VERSION, targets: [...saved.values()] };
    await db.write();
    events.emit('targets', { count: saved.size });
  };

  const secretOf = (target: StoredTarget): string | undefined => {
    if (target.auth.sealedSecret !== undefined) return vault.open(target.auth.sealedSecret);
    return memorySecrets.get(target.id);
  };
  const hasSecret = (target: StoredTarget): boolean => target.auth.sealedSecret !== undefined || memorySecrets.has(target.id);

  const practice = (name: PracticeName): PracticeTarget => {
    let target = practices.get(name);
    if (!target) practices.set(name, (target = createPracticeTarget(name)));
    return target;
  };

  const summaryOf = (target: StoredTarget): TargetSummary => ({
    id: target.id,
    kind: 'remote',
    name: target.name,
    baseUrl: target.baseUrl,
    auth: authView(target.auth, hasSecret(target)),
    insecure: target.insecure,
    ...(target.timeoutMs === undefined ? {} : { timeoutMs: target.timeoutMs }),
    builtIn: false,
  });

  const builtIns = (): TargetSummary[] => [
    {
      id: 'local',
      kind: 'local',
      name: 'Local provider',
      baseUrl: local.baseUrl,
      auth: { kind: 'bearer', secretSaved: true },
      insecure: false,
      builtIn: true,
    },
    ...PRACTICE_NAMES.map((name): TargetSummary => {
      const target = practice(name);
      return {
        id: `practice:${name}`,
        kind: 'practice',
        name: `${target.practice.title} (practice)`,
        baseUrl: target.baseUrl,
        auth: { kind: 'bearer', secretSaved: true },
        insecure: false,
        builtIn: true,
      };
    }),
  ];

  const describe = (id: string): TargetSummary => {
    if (typeof id !== 'string') throw new InvalidCommandArguments('A target id is a string');
    const builtIn = builtIns().find((summary) => summary.id === id);
    if (builtIn) return builtIn;
    const target = saved.get(id);
    if (!target) throw new UnknownTarget(id);
    return summaryOf(target);
  };

  return {
    async listTargets() {
      return [...builtIns(), ...[...saved.values()].map(summaryOf)];
    },

    async saveTarget(args: SaveTargetArgs) {
      const input = validSaveArgs(args);
      return enqueue(async () => {
        const existing = input.id === undefined ? undefined : saved.get(input.id);
        if (input.id !== undefined && !existing) {
          if (input.id === 'local' || input.id.startsWith('practice:')) throw new InvalidCommandArguments('Built-in targets cannot be edited');
          throw new UnknownTarget(input.id);
        }
        const id = existing?.id ?? newTargetId(input.name, saved);
        const secretGiven = secretIn(input.auth);
        const sameKind = existing !== undefined && existing.auth.kind === input.auth.kind;
        if (secretGiven === undefined && needsSecret(input.auth) && !sameKind) {
          throw new InvalidCommandArguments(`${secretLabel(input.auth.kind)} is required`);
        }
        let sealedSecret: string | undefined;
        let memorySecret: string | undefined;
        if (secretGiven !== undefined) {
          sealedSecret = vault.seal(secretGiven);
          if (sealedSecret === undefined) memorySecret = secretGiven;
        } else if (sameKind && existing) {
          // Left out on purpose: the renderer never has the saved secret to send back.
          sealedSecret = existing.auth.sealedSecret;
          memorySecret = memorySecrets.get(id);
        }
        const stored: StoredTarget = {
          id,
          name: input.name,
          baseUrl: input.baseUrl,
          auth: { ...secretless(input.auth), ...(sealedSecret === undefined ? {} : { sealedSecret }) },
          insecure: input.insecure,
          ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
        };
        const previous = saved.get(id);
        saved.set(id, stored);
        try {
          await persist();
        } catch (error) {
          // Not on disk, so not saved: the list must not show what a restart would lose.
          if (previous) saved.set(id, previous);
          else saved.delete(id);
          throw error;
        }
        if (memorySecret === undefined) memorySecrets.delete(id);
        else memorySecrets.set(id, memorySecret);
        return summaryOf(stored);
      });
    },

    async deleteTarget(id: string) {
      if (typeof id !== 'string') throw new InvalidCommandArguments('deleteTarget takes a target id');
      return enqueue(async () => {
        if (id === 'local' || id.startsWith('practice:')) throw new InvalidCommandArguments('Built-in targets cannot be deleted');
        const previous = saved.get(id);
        if (!previous) throw new UnknownTarget(id);
        saved.delete(id);
        try {
          await persist();
        } catch (error) {
          saved.set(id, previous);
          throw error;
        }
        memorySecrets.delete(id);
      });
    },

    describe,

    async open(id: string): Promise<Target> {
      if (closed) throw new Error('The targets service is closed');
      if (id === 'local') return localTargetFor(local);
      if (id.startsWith('practice:')) {
        const name = id.slice('practice:'.length);
        if (!isPracticeName(name)) throw new UnknownTarget(id);
        // Shared for the session, so the next action sees this one's writes: closing it is a no-op.
        return { ...practice(name), close: async () => undefined };
      }
      const target = saved.get(id);
      if (!target) throw new UnknownTarget(id);
      return createRemoteTarget({
        baseUrl: target.baseUrl,
        auth: fullAuth(target, secretOf),
        insecure: target.insecure === true,
        ...(target.timeoutMs === undefined ? {} : { timeoutMs: target.timeoutMs }),
      });
    },

    async close() {
      closed = true;
      await enqueue(async () => undefined);
      for (const target of practices.values()) await target.close();
      practices.clear();
    },
  };
}

interface ValidSaveArgs {
  readonly id?: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: TargetAuthInput;
  readonly insecure: boolean;
  readonly timeoutMs?: number;
}

/** The renderer's arguments checked field by field (they arrive as untrusted JSON). */
export function validSaveArgs(args: unknown): ValidSaveArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new InvalidCommandArguments('saveTarget takes one object');
  const a = args as Record<string, unknown>;
  if (a.id !== undefined && (typeof a.id !== 'string' || a.id === '')) throw new InvalidCommandArguments('A target id is a non-empty string');
  if (typeof a.name !== 'string' || a.name.trim() === '') throw new InvalidCommandArguments('Give the target a name');
  const name = a.name.trim();
  if (name.length > MAX_NAME_LENGTH) throw new InvalidCommandArguments(`A target name has at most ${MAX_NAME_LENGTH} characters`);
  if (typeof a.baseUrl !== 'string' || a.baseUrl.trim() === '') throw new InvalidCommandArguments('Enter the SCIM base URL, e.g. https://example.com/scim/v2');
  const baseUrl = a.baseUrl.trim();
  try {
    parseBaseUrl(baseUrl);
  } catch (error) {
    throw new InvalidCommandArguments(`Base URL: ${(error as Error).message}`);
  }
  if (a.insecure !== undefined && typeof a.insecure !== 'boolean') throw new InvalidCommandArguments('insecure is true or false');
  if (a.timeoutMs !== undefined && (typeof a.timeoutMs !== 'number' || !Number.isFinite(a.timeoutMs) || a.timeoutMs <= 0)) {
    throw new InvalidCommandArguments('The timeout is a positive number of milliseconds');
  }
  return {
    ...(a.id === undefined ? {} : { id: a.id as string }),
    name,
    baseUrl,
    auth: validAuth(a.auth),
    insecure: a.insecure === true,
    ...(a.timeoutMs === undefined ? {} : { timeoutMs: a.timeoutMs as number }),
  };
}

function optionalSecret(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidCommandArguments(`${label} is text`);
  if (CONTROL_CHARACTERS.test(value)) throw new InvalidCommandArguments(`${label} cannot contain line breaks`);
  return value;
}

function validAuth(value: unknown): TargetAuthInput {
  if (typeof value !== 'object' || value === null) throw new InvalidCommandArguments('Choose how to authenticate to the target');
  const auth = value as Record<string, unknown>;
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer': {
      const token = optionalSecret(auth.token, 'The bearer token');
      return { kind: 'bearer', ...(token === undefined ? {} : { token: token.trim() }) };
    }
    case 'basic': {
      if (typeof auth.username !== 'string' || auth.username === '') throw new InvalidCommandArguments('Basic auth needs a username');
      // RFC 7617 §2: the user-id cannot contain a colon, the separator of user and password.
      if (auth.username.includes(':') || CONTROL_CHARACTERS.test(auth.username)) {
        throw new InvalidCommandArguments('A Basic auth username cannot contain ":" or line breaks');
      }
      const password = optionalSecret(auth.password, 'The password');
      return { kind: 'basic', username: auth.username, ...(password === undefined ? {} : { password }) };
    }
    case 'header': {
      const name = typeof auth.name === 'string' ? auth.name.trim() : '';
      if (!HEADER_NAME.test(name)) {
        throw new InvalidCommandArguments(`The header name must be a single HTTP token such as X-Api-Key, got ${JSON.stringify(auth.name ?? '')}`);
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw new InvalidCommandArguments(`${name} is set by the HTTP transport; use another header`);
      const headerValue = optionalSecret(auth.value, 'The header value');
      return { kind: 'header', name, ...(headerValue === undefined ? {} : { value: headerValue.trim() }) };
    }
    case 'oauth-client-credentials': {
      const tokenUrl = typeof auth.tokenUrl === 'string' ? auth.tokenUrl.trim() : '';
      try {
        const url = new URL(tokenUrl);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      } catch {
        throw new InvalidCommandArguments(`The OAuth token URL must be an http(s):// URL, got ${JSON.stringify(auth.tokenUrl ?? '')}`);
      }
      if (typeof auth.clientId !== 'string' || auth.clientId.trim() === '') throw new InvalidCommandArguments('OAuth needs a client ID');
      if (auth.scope !== undefined && typeof auth.scope !== 'string') throw new InvalidCommandArguments('The OAuth scope is text');
      const clientAuthentication = auth.clientAuthentication ?? 'basic';
      if (clientAuthentication !== 'basic' && clientAuthentication !== 'body') {
        throw new InvalidCommandArguments('OAuth client authentication is "basic" (HTTP Basic) or "body" (form fields)');
      }
      const clientSecret = optionalSecret(auth.clientSecret, 'The client secret');
      const scope = typeof auth.scope === 'string' && auth.scope.trim() !== '' ? auth.scope.trim() : undefined;
      return {
        kind: 'oauth-client-credentials',
        tokenUrl,
        clientId: auth.clientId.trim(),
        clientAuthentication,
        ...(scope === undefined ? {} : { scope }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
      };
    }
    default:
      throw new InvalidCommandArguments('Auth is one of none, bearer, basic, header or oauth-client-credentials');
  }
}

function secretIn(auth: TargetAuthInput): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'bearer':
      return auth.token;
    case 'basic':
      return auth.password;
    case 'header':
      return auth.value;
    case 'oauth-client-credentials':
      return auth.clientSecret;
  }
}

const needsSecret = (auth: TargetAuthInput): boolean => auth.kind !== 'none';

function secretLabel(kind: TargetAuthInput['kind']): string {
  switch (kind) {
    case 'bearer':
      return 'The bearer token';
    case 'basic':
      return 'The password';
    case 'header':
      return 'The header value';
    case 'oauth-client-credentials':
      return 'The client secret';
    default:
      return 'The secret';
  }
}

function secretless(auth: TargetAuthInput): SecretlessAuth {
  switch (auth.kind) {
    case 'none':
    case 'bearer':
      return { kind: auth.kind };
    case 'basic':
      return { kind: 'basic', username: auth.username };
    case 'header':
      return { kind: 'header', name: auth.name };
    case 'oauth-client-credentials':
      return {
        kind: 'oauth-client-credentials',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientAuthentication: auth.clientAuthentication ?? 'basic',
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
      };
  }
}

function authView(auth: StoredTarget['auth'], secretSaved: boolean): TargetAuthView {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer', secretSaved };
    case 'basic':
      return { kind: 'basic', username: auth.username, secretSaved };
    case 'header':
      return { kind: 'header', name: auth.name, secretSaved };
    case 'oauth-client-credentials':
      return {
        kind: 'oauth-client-credentials',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientAuthentication: auth.clientAuthentication,
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
        secretSaved,
      };
  }
}

function fullAuth(target: StoredTarget, secretOf: (target: StoredTarget) => string | undefined): TargetAuth {
  const { auth } = target;
  if (auth.kind === 'none') return { kind: 'none' };
  const secret = secretOf(target);
  if (secret === undefined) throw new TargetSecretMissing(target.name);
  switch (auth.kind) {
    case 'bearer':
      return { kind: 'bearer', token: secret };
    case 'basic':
      return { kind: 'basic', username: auth.username, password: secret };
    case 'header':
      return { kind: 'header', name: auth.name, value: secret };
    case 'oauth-client-credentials':
      return {
        kind: 'oauth-client-credentials',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: secret,
        clientAuthentication: auth.clientAuthentication,
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
      };
  }
}

/** A readable id from the name (`acme-staging`), never a built-in's, unique among the saved ones. */
function newTargetId(name: string, saved: ReadonlyMap<string, StoredTarget>): string {
  const slug =
    name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || `target-${randomBytes(3).toString('hex')}`;
  let id = slug;
  for (let n = 2; id === 'local' || saved.has(id); n++) id = `${slug}-${n}`;
  return id;
}
