/**
 * The console's keyboard shortcuts: which key press means what, and how the help overlay writes
 * them. Pure (no DOM, no React) so the matching is unit-tested; use-shortcuts.ts dispatches them.
 *
 * "Mod" is ⌘ on macOS and Ctrl elsewhere, as in every desktop app.
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
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export interface MatchContext {
  readonly mac: boolean;
  /** Focus is in a text field or editor: plain keys (`/`, `?`) are text, not shortcuts. */
  readonly typing: boolean;
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

export function matchShortcut(event: KeyInput, context: MatchContext): ShortcutMatch | undefined {
  const mod = context.mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (mod && !event.altKey) {
    if (event.key === 'Enter') return { action: 'run' };
    if (event.key === '.') return { action: 'cancel' };
    if (!event.shiftKey && /^[1-9]$/.test(event.key)) return { action: 'view', digit: event.key };
    return undefined;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (event.key === 'Escape' && !event.shiftKey) return { action: 'close' };
  if (context.typing) return undefined;
  if (event.key === '/') return { action: 'focusFilter' };
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

export function formatKeys(keys: readonly string[], mac: boolean): string[] {
  return keys.map((key) => (key === 'Mod' ? (mac ? '⌘' : 'Ctrl') : key));
}
