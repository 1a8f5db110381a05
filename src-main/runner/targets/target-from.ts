/**
 * A target from the command line's words (`--target local|URL`, one auth mode, `--insecure`,
 * a timeout), with a usage error that names the flags when they do not fit together.
 */
import type { ProviderOptions } from '../../provider.js';
import type { RemoteTargetOptions, Target, TargetAuth } from '../target.js';
import { createLocalTarget } from './local-target.js';
import { createRemoteTarget, parseBaseUrl } from './remote-target.js';
import { PRACTICE_NAMES, type PracticeName, isPracticeName } from '../../practice/index.js';
import { createPracticeTarget } from './practice-target.js';

export interface TargetFlags {
  /** `local`, `practice:NAME`, or a SCIM base URL. */
  readonly target: string;
  readonly token?: string;
  /** `user:password`. */
  readonly basic?: string;
  /** `Name: value`. */
  readonly header?: string;
  readonly oauthTokenUrl?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly oauthScope?: string;
  /** `basic` (default, RFC 6749 §2.3.1) or `body` (client_id and client_secret as form fields). */
  readonly oauthClientAuth?: string;
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
}

/** The flags do not describe a target; the CLI prints the message and exits 2. */
export class TargetUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUsageError';
  }
}

export type TargetChoice =
  | { readonly kind: 'local' }
  | { readonly kind: 'practice'; readonly name: PracticeName }
  | { readonly kind: 'remote'; readonly options: RemoteTargetOptions };

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks the flags without creating anything, so the CLI can refuse them before it starts. */
export function targetChoiceFrom(flags: TargetFlags): TargetChoice {
  const given = authFlagsGiven(flags);
  if (flags.timeoutMs !== undefined && !(Number.isFinite(flags.timeoutMs) && flags.timeoutMs > 0)) {
    throw new TargetUsageError(`the timeout must be a positive number, got ${flags.timeoutMs}`);
  }
  if (flags.target === 'local') {
    if (given.length > 0) {
      throw new TargetUsageError(`${given.join(', ')}: the local target uses the local provider's own token; drop the flag or pass a URL`);
    }
    return { kind: 'local' };
  }
  if (flags.target.startsWith('practice:')) return practiceChoice(flags.target.slice('practice:'.length), given);
  try {
    parseBaseUrl(flags.target);
  } catch (error) {
    throw new TargetUsageError(`--target takes "local" or an http(s):// SCIM base URL: ${(error as Error).message}`);
  }
  const options: RemoteTargetOptions = {
    baseUrl: flags.target,
    auth: authFrom(flags, given),
    ...(flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs }),
    ...(flags.insecure === undefined ? {} : { insecure: flags.insecure }),
  };
  return { kind: 'remote', options };
}

/** Creates the target the flags describe; `local` options (a db file, an injected clock) apply to `local` only. */
export async function targetFrom(flags: TargetFlags, local: ProviderOptions = {}): Promise<Target> {
  const choice = targetChoiceFrom(flags);
  if (choice.kind === 'practice') return createPracticeTarget(choice.name);
  return choice.kind === 'local' ? createLocalTarget(local) : createRemoteTarget(choice.options);
}

/** `practice:NAME`: one of the built-in products, which brings its own token as `local` does. */
function practiceChoice(name: string, given: readonly string[]): TargetChoice {
  if (!isPracticeName(name)) {
    throw new TargetUsageError(`--target practice:NAME takes one of ${PRACTICE_NAMES.map((known) => `practice:${known}`).join(', ')}; got "practice:${name}"`);
  }
  if (given.length > 0) {
    throw new TargetUsageError(`${given.join(', ')}: a practice target uses its product's own token; drop the flag`);
  }
  return { kind: 'practice', name };
}

/** The auth flags present, in the order the usage text lists them. */
function authFlagsGiven(flags: TargetFlags): string[] {
  const given: string[] = [];
  if (flags.token !== undefined) given.push('--token');
  if (flags.basic !== undefined) given.push('--basic');
  if (flags.header !== undefined) given.push('--header');
  if (flags.oauthTokenUrl !== undefined) given.push('--oauth-token-url');
  if (flags.clientId !== undefined) given.push('--client-id');
  if (flags.clientSecret !== undefined) given.push('--client-secret');
  if (flags.oauthScope !== undefined) given.push('--oauth-scope');
  if (flags.oauthClientAuth !== undefined) given.push('--oauth-client-auth');
  return given;
}

const OAUTH_FLAGS = ['--oauth-token-url', '--client-id', '--client-secret'];

function authFrom(flags: TargetFlags, given: readonly string[]): TargetAuth {
  const modes = [
    ...given.filter((flag) => ['--token', '--basic', '--header'].includes(flag)),
    ...(given.some((flag) => flag.startsWith('--oauth') || flag.startsWith('--client')) ? ['--oauth-token-url'] : []),
  ];
  if (modes.length > 1) throw new TargetUsageError(`${modes.join(' and ')} are alternatives: pass one way to authenticate`);

  if (flags.token !== undefined) {
    if (flags.token === '') throw new TargetUsageError('--token is empty');
    return { kind: 'bearer', token: flags.token };
  }
  if (flags.basic !== undefined) {
    const colon = flags.basic.indexOf(':');
    if (colon <= 0) throw new TargetUsageError('--basic takes user:password');
    return { kind: 'basic', username: flags.basic.slice(0, colon), password: flags.basic.slice(colon + 1) };
  }
  if (flags.header !== undefined) {
    const colon = flags.header.indexOf(':');
    const name = flags.header.slice(0, colon).trim();
    const value = flags.header.slice(colon + 1).trim();
    if (colon < 0 || !HEADER_NAME.test(name) || value === '' || /[\r\n\0]/.test(value)) {
      throw new TargetUsageError(`--header takes 'Name: value', got ${JSON.stringify(flags.header)}`);
    }
    return { kind: 'header', name, value };
  }
  if (modes.length === 1) {
    const missing = OAUTH_FLAGS.filter((flag) => !given.includes(flag));
    if (missing.length > 0) {
      throw new TargetUsageError(`OAuth client credentials need ${OAUTH_FLAGS.join(', ')}: missing ${missing.join(', ')}`);
    }
    const tokenUrl = flags.oauthTokenUrl as string;
    try {
      const url = new URL(tokenUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    } catch {
      throw new TargetUsageError(`--oauth-token-url takes an http(s):// URL, got ${JSON.stringify(tokenUrl)}`);
    }
    const clientAuthentication = flags.oauthClientAuth ?? 'basic';
    if (clientAuthentication !== 'basic' && clientAuthentication !== 'body') {
      throw new TargetUsageError(`--oauth-client-auth takes basic or body, got ${JSON.stringify(clientAuthentication)}`);
    }
    return {
      kind: 'oauth-client-credentials',
      tokenUrl,
      clientId: flags.clientId as string,
      clientSecret: flags.clientSecret as string,
      ...(flags.oauthScope === undefined ? {} : { scope: flags.oauthScope }),
      clientAuthentication,
    };
  }
  return { kind: 'none' };
}
