import { describe, expect, it } from 'vitest';
import { formatCombo, formatKeys, isMacPlatform, matchShortcut, viewShortcuts, type KeyInput } from '../../../src-renderer/src/shell/shortcuts';
import { rovingIndex } from '../../../src-renderer/src/components/ui/roving';

const key = (value: string, modifiers: Partial<KeyInput> = {}): KeyInput => ({
  key: value,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});
const pc = { mac: false, host: 'electron', typing: false } as const;
const mac = { mac: true, host: 'electron', typing: false } as const;
const browserPc = { mac: false, host: 'browser', typing: false } as const;
const browserMac = { mac: true, host: 'browser', typing: false } as const;

describe('keyboard shortcuts', () => {
  it('runs with Ctrl+Enter, or ⌘+Enter on a Mac, even while typing (e.g. in the scenario editor)', () => {
    expect(matchShortcut(key('Enter', { ctrlKey: true }), pc)).toEqual({ action: 'run' });
    expect(matchShortcut(key('Enter', { metaKey: true }), mac)).toEqual({ action: 'run' });
    expect(matchShortcut(key('Enter', { ctrlKey: true }), { mac: false, host: 'electron', typing: true })).toEqual({ action: 'run' });
    // The other platform's modifier is not the shortcut (Ctrl+Enter on a Mac is the editor's).
    expect(matchShortcut(key('Enter', { ctrlKey: true }), mac)).toBeUndefined();
    expect(matchShortcut(key('Enter'), pc)).toBeUndefined();
  });

  it('cancels with Mod+.', () => {
    expect(matchShortcut(key('.', { ctrlKey: true }), pc)).toEqual({ action: 'cancel' });
    expect(matchShortcut(key('.', { metaKey: true }), mac)).toEqual({ action: 'cancel' });
  });

  it('switches views with Mod+digit in the desktop app, not with Mod+Shift+digit or Ctrl+Alt+digit', () => {
    expect(matchShortcut(key('3', { ctrlKey: true }), pc)).toEqual({ action: 'view', digit: '3' });
    expect(matchShortcut(key('8', { metaKey: true }), mac)).toEqual({ action: 'view', digit: '8' });
    expect(matchShortcut(key('3', { ctrlKey: true, shiftKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key('3', { ctrlKey: true, altKey: true }), pc)).toBeUndefined();
    expect(matchShortcut(key('0', { ctrlKey: true }), pc)).toBeUndefined();
  });

  it('leaves Ctrl/⌘+digit to the browser, whose tabs they switch, and switches views with Alt+digit there', () => {
    expect(matchShortcut(key('3', { ctrlKey: true }), browserPc)).toBeUndefined();
    expect(matchShortcut(key('3', { metaKey: true }), browserMac)).toBeUndefined();
    expect(matchShortcut(key('3', { altKey: true }), browserPc)).toEqual({ action: 'view', digit: '3' });
    // ⌥+3 types "£" on a Mac: the physical key says which digit it was.
    expect(matchShortcut(key('£', { altKey: true, code: 'Digit3' }), browserMac)).toEqual({ action: 'view', digit: '3' });
    expect(matchShortcut(key('3', { altKey: true, shiftKey: true }), browserPc)).toBeUndefined();
    expect(matchShortcut(key('0', { altKey: true, code: 'Digit0' }), browserPc)).toBeUndefined();
    // Alt+digit works in the desktop app too, so one habit serves both.
    expect(matchShortcut(key('2', { altKey: true }), pc)).toEqual({ action: 'view', digit: '2' });
  });

  it('leaves ⌥+digit to a Mac text field being typed in (it types a character there)', () => {
    expect(matchShortcut(key('¡', { altKey: true, code: 'Digit1' }), { mac: true, host: 'browser', typing: true })).toBeUndefined();
    expect(matchShortcut(key('1', { altKey: true }), { mac: false, host: 'browser', typing: true })).toEqual({ action: 'view', digit: '1' });
  });

  it('switches views with the digit alone when no text field has focus, in both hosts (Linux browsers keep Alt+digit too)', () => {
    expect(matchShortcut(key('3'), browserPc)).toEqual({ action: 'view', digit: '3' });
    expect(matchShortcut(key('8'), pc)).toEqual({ action: 'view', digit: '8' });
    // AZERTY types digits with Shift; unshifted, the physical key says which digit it is.
    expect(matchShortcut(key('3', { shiftKey: true, code: 'Digit3' }), browserPc)).toEqual({ action: 'view', digit: '3' });
    expect(matchShortcut(key('"', { code: 'Digit3' }), browserPc)).toEqual({ action: 'view', digit: '3' });
    // Shift+3 on a US layout types "#": not a view.
    expect(matchShortcut(key('#', { shiftKey: true, code: 'Digit3' }), browserPc)).toBeUndefined();
    expect(matchShortcut(key('3'), { ...browserPc, typing: true })).toBeUndefined();
    expect(matchShortcut(key('0'), browserPc)).toBeUndefined();
  });

  it('names the view keys that work in each host', () => {
    expect(viewShortcuts('4', 'browser')).toEqual([['4'], ['Alt', '4']]);
    expect(viewShortcuts('4', 'electron')).toEqual([['Mod', '4'], ['4']]);
    expect(formatCombo(['Alt', '4'], false)).toBe('Alt+4');
    expect(formatCombo(['Alt', '4'], true)).toBe('⌥4');
  });

  it('reads / and ? as text while typing, as shortcuts otherwise', () => {
    expect(matchShortcut(key('/'), pc)).toEqual({ action: 'focusFilter' });
    expect(matchShortcut(key('?', { shiftKey: true }), pc)).toEqual({ action: 'help' });
    expect(matchShortcut(key('/'), { mac: false, host: 'electron', typing: true })).toBeUndefined();
    expect(matchShortcut(key('?', { shiftKey: true }), { mac: false, host: 'electron', typing: true })).toBeUndefined();
    expect(matchShortcut(key('/', { ctrlKey: true }), pc)).toBeUndefined();
  });

  it('closes with Esc, also from a text field', () => {
    expect(matchShortcut(key('Escape'), pc)).toEqual({ action: 'close' });
    expect(matchShortcut(key('Escape'), { mac: true, host: 'electron', typing: true })).toEqual({ action: 'close' });
    expect(matchShortcut(key('Escape', { ctrlKey: true }), pc)).toBeUndefined();
  });

  it('ignores ordinary keys', () => {
    for (const plain of ['a', 'Enter', 'ArrowDown', ' ', 'Tab']) expect(matchShortcut(key(plain), pc)).toBeUndefined();
  });

  it('writes Mod as ⌘ on a Mac and Ctrl elsewhere', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(formatKeys(['Mod', 'Enter'], true)).toEqual(['⌘', 'Enter']);
    expect(formatKeys(['Mod', '1'], false)).toEqual(['Ctrl', '1']);
  });
});

describe('arrow keys in tab bars, toolbars and lists', () => {
  it('moves and wraps at both ends', () => {
    expect(rovingIndex('ArrowRight', 0, 3)).toBe(1);
    expect(rovingIndex('ArrowRight', 2, 3)).toBe(0);
    expect(rovingIndex('ArrowLeft', 0, 3)).toBe(2);
    expect(rovingIndex('Home', 2, 3)).toBe(0);
    expect(rovingIndex('End', 0, 3)).toBe(2);
  });

  it('uses Up and Down in vertical lists only', () => {
    expect(rovingIndex('ArrowDown', 0, 3, 'vertical')).toBe(1);
    expect(rovingIndex('ArrowUp', 0, 3, 'vertical')).toBe(2);
    expect(rovingIndex('ArrowDown', 0, 3)).toBeUndefined();
    expect(rovingIndex('ArrowRight', 0, 3, 'vertical')).toBeUndefined();
    expect(rovingIndex('ArrowRight', 0, 0)).toBeUndefined();
  });
});
