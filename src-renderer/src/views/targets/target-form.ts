/**
 * The remote-target form as data: what the fields hold, what a saved target fills in (never its
 * secrets: the renderer does not get them), what is wrong before sending, and the SaveTargetArgs
 * it sends. A secret field left empty on a target whose secret is saved keeps that secret.
 * Pure, so it is unit-tested.
 */
import type { SaveTargetArgs, TargetAuthInput, TargetSummary } from '../../../../src-main/api/contract';

export type AuthKind = TargetAuthInput['kind'];

export const AUTH_KINDS: readonly { readonly kind: AuthKind; readonly label: string }[] = [
  { kind: 'none', label: 'None' },
  { kind: 'bearer', label: 'Bearer token' },
  { kind: 'basic', label: 'Basic (username and password)' },
  { kind: 'oauth-client-credentials', label: 'OAuth 2.0 client credentials' },
  { kind: 'header', label: 'Custom header' },
];

export interface TargetForm {
  readonly id?: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly authKind: AuthKind;
  readonly token: string;
  readonly username: string;
  readonly password: string;
  readonly headerName: string;
  readonly headerValue: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  readonly clientAuthentication: 'basic' | 'body';
  readonly insecure: boolean;
  /** In seconds, as typed; empty for the default. */
  readonly timeout: string;
}

export type FormField = Exclude<keyof TargetForm, 'id' | 'authKind' | 'insecure' | 'clientAuthentication'>;
export type FormErrors = Partial<Record<FormField | 'form', string>>;

export function emptyForm(): TargetForm {
  return {
    name: '',
    baseUrl: 'https://',
    authKind: 'bearer',
    token: '',
    username: '',
    password: '',
    headerName: '',
    headerValue: '',
    tokenUrl: '',
    clientId: '',
    clientSecret: '',
    scope: '',
    clientAuthentication: 'basic',
    insecure: false,
    timeout: '',
  };
}

export function formFromTarget(target: TargetSummary): TargetForm {
  const form = { ...emptyForm(), id: target.id, name: target.name, baseUrl: target.baseUrl, insecure: target.insecure };
  const timeout = target.timeoutMs === undefined ? '' : String(target.timeoutMs / 1000);
  const auth = target.auth;
  switch (auth.kind) {
    case 'none':
    case 'bearer':
      return { ...form, timeout, authKind: auth.kind };
    case 'basic':
      return { ...form, timeout, authKind: 'basic', username: auth.username };
    case 'header':
      return { ...form, timeout, authKind: 'header', headerName: auth.name };
    case 'oauth-client-credentials':
      return {
        ...form,
        timeout,
        authKind: auth.kind,
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        scope: auth.scope ?? '',
        clientAuthentication: auth.clientAuthentication,
      };
  }
}

/** The field holding the secret of an auth kind. */
export function secretField(kind: AuthKind): FormField | undefined {
  return { none: undefined, bearer: 'token', basic: 'password', header: 'headerValue', 'oauth-client-credentials': 'clientSecret' }[kind] as
    | FormField
    | undefined;
}

/** The saved target holds a secret for this auth kind (so an empty secret field keeps it). */
export function secretSaved(saved: TargetSummary | undefined, kind: AuthKind): boolean {
  return saved !== undefined && saved.auth.kind === kind && 'secretSaved' in saved.auth && saved.auth.secretSaved;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** What is wrong before sending, by field; empty when the form can be saved. */
export function validateForm(form: TargetForm, saved?: TargetSummary): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = 'Give the target a name.';
  if (!isHttpUrl(form.baseUrl.trim())) errors.baseUrl = 'Enter the SCIM base URL, starting with https:// (or http://), e.g. https://scim.example.com/scim/v2.';
  if (form.timeout.trim() !== '') {
    const seconds = Number(form.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) errors.timeout = 'A timeout is a number of seconds between 0 and 600.';
  }
  if (form.authKind === 'basic' && !form.username.trim()) errors.username = 'Enter the username.';
  if (form.authKind === 'header' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(form.headerName.trim())) {
    errors.headerName = 'Enter a header name, e.g. X-API-Key (letters, digits and - only).';
  }
  if (form.authKind === 'oauth-client-credentials') {
    if (!isHttpUrl(form.tokenUrl.trim())) errors.tokenUrl = 'Enter the token endpoint URL, e.g. https://login.example.com/oauth2/token.';
    if (!form.clientId.trim()) errors.clientId = 'Enter the client ID.';
  }
  const secret = secretField(form.authKind);
  if (secret && form[secret] === '' && !secretSaved(saved, form.authKind)) errors[secret] = 'Required: nothing is saved for this yet.';
  return errors;
}

/** The save command's arguments: empty secret fields left out, so the saved secret stays. */
export function toSaveArgs(form: TargetForm): SaveTargetArgs {
  let auth: TargetAuthInput;
  switch (form.authKind) {
    case 'none':
      auth = { kind: 'none' };
      break;
    case 'bearer':
      auth = { kind: 'bearer', ...(form.token ? { token: form.token } : {}) };
      break;
    case 'basic':
      auth = { kind: 'basic', username: form.username.trim(), ...(form.password ? { password: form.password } : {}) };
      break;
    case 'header':
      auth = { kind: 'header', name: form.headerName.trim(), ...(form.headerValue ? { value: form.headerValue } : {}) };
      break;
    case 'oauth-client-credentials':
      auth = {
        kind: 'oauth-client-credentials',
        tokenUrl: form.tokenUrl.trim(),
        clientId: form.clientId.trim(),
        ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
        ...(form.scope.trim() ? { scope: form.scope.trim() } : {}),
        clientAuthentication: form.clientAuthentication,
      };
      break;
  }
  return {
    ...(form.id ? { id: form.id } : {}),
    name: form.name.trim(),
    baseUrl: form.baseUrl.trim(),
    auth,
    insecure: form.insecure,
    ...(form.timeout.trim() ? { timeoutMs: Math.round(Number(form.timeout) * 1000) } : {}),
  };
}

const SERVER_FIELD_NAMES: readonly (readonly [RegExp, FormField])[] = [
  [/token ?url|tokenUrl/i, 'tokenUrl'],
  [/client ?id/i, 'clientId'],
  [/client ?secret/i, 'clientSecret'],
  [/base ?url|baseUrl/i, 'baseUrl'],
  [/timeout/i, 'timeout'],
  [/username/i, 'username'],
  [/password/i, 'password'],
  [/header/i, 'headerName'],
  [/token/i, 'token'],
  [/\bname\b/i, 'name'],
];

/** Puts the server's validation message beside the field it names, or at the top of the form. */
export function serverErrorAt(message: string): FormErrors {
  const field = SERVER_FIELD_NAMES.find(([pattern]) => pattern.test(message))?.[1];
  return field ? { [field]: message } : { form: message };
}
