/**
 * A scenario's place in the URL (`open=builtin:okta-lifecycle`, `open=file:<path>`), and the name
 * a copy gets in a folder. Pure, so the view and its tests agree on both.
 */
import type { ScenarioRef } from '../../../../src-main/api/contract';

export type OpenableRef = Extract<ScenarioRef, { kind: 'builtin' | 'file' }>;

export function refParam(ref: OpenableRef): string {
  return ref.kind === 'builtin' ? `builtin:${ref.name}` : `file:${ref.path}`;
}

export function parseRefParam(param: string | undefined): OpenableRef | undefined {
  if (!param) return undefined;
  const colon = param.indexOf(':');
  const kind = param.slice(0, colon);
  const value = param.slice(colon + 1);
  if (!value) return undefined;
  if (kind === 'builtin') return { kind, name: value };
  if (kind === 'file') return { kind, path: value };
  return undefined;
}

export function sameRef(a: OpenableRef | undefined, b: ScenarioRef): boolean {
  if (!a || a.kind !== b.kind) return false;
  return a.kind === 'builtin' ? a.name === (b as typeof a).name : a.path === (b as typeof a).path;
}

/** The file name of a path, whichever separator the host's OS uses. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Where "Save a copy" writes `<name>.yaml` in the folder without overwriting a file already there:
 * `okta-lifecycle.yaml`, then `okta-lifecycle-2.yaml`, and so on.
 */
export function copyPath(folder: string, name: string, existing: readonly string[]): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const taken = new Set(existing.map((path) => baseName(path).toLowerCase()));
  const stem = name.replace(/\.(ya?ml|json)$/i, '').replace(/[^\w.-]+/g, '-') || 'scenario';
  let candidate = `${stem}.yaml`;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}.yaml`;
  return `${folder.replace(/[\\/]+$/, '')}${separator}${candidate}`;
}
