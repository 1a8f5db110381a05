/**
 * WCAG 2.2 AA contrast of the console's theme, in both themes: every text colour against the
 * backgrounds it is drawn on, read from the real styles.css (so a palette edit that makes text
 * unreadable fails here, before anyone squints at a screenshot).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync(fileURLToPath(new URL('../../../src-renderer/src/styles.css', import.meta.url)), 'utf8');

function block(selector: string): Record<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`styles.css has no ${selector} block`);
  const body = CSS.slice(start, CSS.indexOf('}', start));
  return Object.fromEntries(Array.from(body.matchAll(/--([\w-]+):\s*([^;]+);/g), (m) => [m[1], m[2]!.trim()]));
}

const light = block(':root');
const dark = { ...light, ...block(":root[data-theme='dark']") };

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const channels = [0, 2, 4].map((i) => parseInt(match[1]!.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** [text, background]: the pairs the console draws. */
const TEXT_PAIRS: readonly (readonly [string, string])[] = [
  ...['bg', 'panel', 'panel-sunken', 'field-bg', 'row-hover'].flatMap((bg) => [['text', bg], ['text-2', bg], ['muted', bg]] as const),
  ['muted', 'accent-soft'],
  ['text', 'accent-soft'],
  ['placeholder', 'field-bg'],
  ['accent', 'panel'],
  ['accent', 'panel-sunken'],
  ['accent', 'accent-soft'],
  ['on-accent', 'accent'],
  ['header-text', 'header-bg'],
  ['header-text', 'header-field'],
  ['header-text', 'header-button'],
  ['header-muted', 'header-bg'],
  ['header-muted', 'header-field'],
  ['live-text', 'header-field'],
  ['down-text', 'header-field'],
  ['copied-text', 'header-button'],
  ['success', 'success-bg'],
  ['success', 'panel'],
  ['redirect', 'redirect-bg'],
  ['redirect', 'panel'],
  ['client-error', 'client-error-bg'],
  ['client-error', 'panel'],
  ['server-error', 'server-error-bg'],
  ['neutral', 'neutral-bg'],
  ['info', 'info-bg'],
  ['info', 'panel'],
  ['notes-text', 'redirect-bg'],
  ['error-text', 'client-error-bg'],
  ...['get', 'post', 'put', 'patch', 'delete'].flatMap((m) => [[`method-${m}`, 'panel'], [`method-${m}`, 'row-hover']] as const),
];

describe.each([
  ['light', light],
  ['dark', dark],
])('the %s theme', (_name, theme) => {
  it('defines a dark value for every light variable that is a colour', () => {
    const lightColours = Object.keys(light).filter((name) => light[name]!.startsWith('#') || light[name]!.startsWith('rgba'));
    const darkNames = Object.keys(block(":root[data-theme='dark']"));
    expect(lightColours.filter((name) => !darkNames.includes(name))).toEqual([]);
  });

  it.each(TEXT_PAIRS)('%s on %s reaches 4.5:1', (text, background) => {
    expect(contrast(theme[text]!, theme[background]!)).toBeGreaterThanOrEqual(4.5);
  });
});
