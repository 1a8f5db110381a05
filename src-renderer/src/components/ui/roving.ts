/**
 * Arrow-key movement inside a composite widget (tablist, toolbar, list): which item a key moves
 * to, wrapping at the ends. Pure; Tabs, Toolbar and the view navigation share it.
 */
export type Orientation = 'horizontal' | 'vertical';

/** The index the key moves to, or undefined when the key is not a movement key for this orientation. */
export function rovingIndex(key: string, current: number, count: number, orientation: Orientation = 'horizontal'): number | undefined {
  if (count <= 0) return undefined;
  const previous = orientation === 'horizontal' ? 'ArrowLeft' : 'ArrowUp';
  const next = orientation === 'horizontal' ? 'ArrowRight' : 'ArrowDown';
  switch (key) {
    case previous:
      return (current - 1 + count) % count;
    case next:
      return (current + 1) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
