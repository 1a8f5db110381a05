/**
 * "Did you mean …?" for names in scenario files: a typo in an event, a field or a person key is
 * the commonest mistake, and the closest valid name is usually what was meant.
 */

/** Edit distance (insertions, deletions, substitutions; an adjacent swap counts as one). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidate closest to `name` (case aside), when it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(wanted, candidate.toLowerCase());
    if (best === undefined || score < best.score) best = { candidate, score };
  }
  if (!best) return undefined;
  return best.score <= Math.max(1, Math.floor(Math.max(name.length, best.candidate.length) / 3)) ? best.candidate : undefined;
}

/** ` (did you mean \`x\`?)`, or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>, format: (candidate: string) => string = (c) => `\`${c}\``): string {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean ${format(suggestion)}?)`;
}
