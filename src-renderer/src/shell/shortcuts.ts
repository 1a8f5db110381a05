/**
 * The console's keyboard shortcuts: which key press means what, and how the help overlay writes
 * them. Pure (no DOM, no React) so the matching is unit-tested; use-shortcuts.ts dispatches them.
 *
 * "Mod" is ⌘ on macOS and Ctrl elsewhere, as in every desktop app.
 *
 * Views switch with their digit alone (1–8) when no text field has focus, in both hosts: browsers
 * keep Ctrl/⌘+1…8 for their own tabs (and on Linux Alt+1…8 too) and never hand them to the page.
 * Alt+digit (⌥ on a Mac) also works where the browser leaves it alone, and Mod+digit is an extra
 * only the desktop app gets.
 */
export type ShortcutAction = 'run' | 'cancel' | 'view' | 'focusFilter' | 'close' | 'help';

export interface ShortcutMatch {
  readonly action: ShortcutAction;
  /** For `view`: the digit pressed (1–9), matched against ViewDefinition.key. */
  readonly digit?: string;
}

/** The fields of a KeyboardEvent the matching reads. */
export interface KeyInput {
  readonly key: string;
  /** The physical key: ⌥+1 on a Mac types "¡", so `key` alone does not say which digit. */
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export type ShortcutHost = 'electron' | 'browser';

export interface MatchContext {
  readonly mac: boolean;
  /** Which shell the console runs in: only the desktop app owns Mod+digit. */
  readonly host: ShortcutHost;
  /** Focus is in a text field or editor: plain keys (`/`, `?`) are text, not shortcuts. */
  readonly typing: boolean;
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** The digit 1–9 a key press is on, by the character typed or else by the physical key. */
function digitOf(event: KeyInput): string | undefined {
  if (/^[1-9]$/.test(event.key)) return event.key;
  const physical = /^Digit([1-9])$/.exec(event.code ?? '');
  return physical?.[1];
}

export function matchShortcut(event: KeyInput, context: MatchContext): ShortcutMatch | undefined {
  const mod = context.mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (mod && !event.altKey) {
    if (event.key === 'Enter') return { action: 'run' };
    if (event.key === '.') return { action: 'cancel' };
    const digit = event.shiftKey ? undefined : digitOf(event);
    if (digit && context.host === 'electron') return { action: 'view', digit };
    return undefined;
  }
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    // ⌥+digit types a character on a Mac ("¡", "™"…): leave it to a text field being typed in.
    const digit = context.mac && context.typing ? undefined : digitOf(event);
    return digit ? { action: 'view', digit } : undefined;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (event.key === 'Escape' && !event.shiftKey) return { action: 'close' };
  if (context.typing) return undefined;
  if (event.key === '/') return { action: 'focusFilter' };
  // The digit as typed (Shift is how some layouts type digits), else the unshifted physical key.
  const digit = /^[1-9]$/.test(event.key) ? event.key : event.shiftKey ? undefined : digitOf(event);
  if (digit) return { action: 'view', digit };
  // `?` is Shift+/ on most layouts, so Shift is allowed.
  if (event.key === '?') return { action: 'help' };
  return undefined;
}

export interface ShortcutHelp {
  /** Key names; `Mod` is written ⌘ or Ctrl by formatKeys. */
  readonly keys: readonly string[];
  readonly description: string;
}

/** What the help overlay lists (view switching is listed per view, from the view registry). */
export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: ['Mod', 'Enter'], description: 'Run (the scenario, the action or the connection test in view)' },
  { keys: ['Mod', '.'], description: 'Cancel the run in progress' },
  { keys: ['/'], description: 'Focus the filter' },
  { keys: ['Esc'], description: 'Close the open panel or dialog' },
  { keys: ['?'], description: 'Show these shortcuts' },
];

/** The key combinations that open the view with this digit in this host, the one to show first. */
export function viewShortcuts(digit: string, host: ShortcutHost): readonly (readonly string[])[] {
  return host === 'electron' ? [['Mod', digit], [digit]] : [[digit], ['Alt', digit]];
}

export function formatKeys(keys: readonly string[], mac: boolean): string[] {
  return keys.map((key) => {
    if (key === 'Mod') return mac ? '⌘' : 'Ctrl';
    if (key === 'Alt') return mac ? '⌥' : 'Alt';
    return key;
  });
}

/** One combination as a tooltip writes it: "Alt+1", or "⌥1" on a Mac. */
export function formatCombo(keys: readonly string[], mac: boolean): string {
  return formatKeys(keys, mac).join(mac ? '' : '+');
}
