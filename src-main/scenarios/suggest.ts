/**
 * "Did you mean …?" for names in scenario files: a typo in an event, a field or a person key is
 * the commonest mistake, and the closest valid name is usually what was meant.
 */
import { closest } from '../text/suggest.js';

/** Up to a third of the longer name may be off (at least one edit). */
const typoBound = (name: string, candidate: string) => Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3));

/** ` (did you mean \`x\`?)`, or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>, format: (candidate: string) => string = (c) => `\`${c}\``): string {
  const suggestion = closest(name, candidates, typoBound);
  return suggestion === undefined ? '' : ` (did you mean ${format(suggestion)}?)`;
}
