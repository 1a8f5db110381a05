/**
 * The closest known name to a misspelt one, for "did you mean …?" in error messages (scenario
 * files, SCIM filters). Each caller says how far off a name may be and still count as a typo,
 * and words the suggestion its own way.
 */

/** Edit distance (insertions, deletions, substitutions; an adjacent swap counts as one: "emial" → "email"). */
export function editDistance(a: string, b: string): number {
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

/**
 * The candidate closest to `name`, case aside (the first of equals), when its distance is within
 * `maxDistance(name, candidate)`; otherwise undefined.
 */
export function closest(name: string, candidates: Iterable<string>, maxDistance: (name: string, candidate: string) => number): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = editDistance(wanted, candidate.toLowerCase());
    if (best === undefined || score < best.score) best = { candidate, score };
  }
  return best !== undefined && best.score <= maxDistance(name, best.candidate) ? best.candidate : undefined;
}
