/**
 * A secondary index from a string key to the ids that carry it.
 *
 * Most keys map to exactly one id (userName is unique, externalIds nearly so), so a key holds a
 * bare string until a second id arrives; allocating a Set per key would cost ~100 bytes and a
 * noticeable slice of start-up time for 100k users.
 */
export class KeyIndex {
  private readonly entries = new Map<string, string | Set<string>>();

  add(key: string, id: string): void {
    const current = this.entries.get(key);
    if (current === undefined) this.entries.set(key, id);
    else if (typeof current === 'string') {
      if (current !== id) this.entries.set(key, new Set([current, id]));
    } else current.add(id);
  }

  remove(key: string, id: string): void {
    const current = this.entries.get(key);
    if (current === undefined) return;
    if (typeof current === 'string') {
      if (current === id) this.entries.delete(key);
      return;
    }
    current.delete(id);
    if (current.size === 0) this.entries.delete(key);
    else if (current.size === 1) {
      for (const only of current) this.entries.set(key, only);
    }
  }

  /** Moves `id` from `before` to `after` (either may be absent). */
  move(before: string | undefined, after: string | undefined, id: string): void {
    if (before === after) return;
    if (before !== undefined) this.remove(before, id);
    if (after !== undefined) this.add(after, id);
  }

  all(key: string): string[] {
    const current = this.entries.get(key);
    if (current === undefined) return [];
    return typeof current === 'string' ? [current] : [...current];
  }
}
