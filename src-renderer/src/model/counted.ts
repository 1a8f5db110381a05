/**
 * A count with its noun, singular for one: "1 request", "3 requests". The console's counts are
 * read at a glance, and "1 requests" reads as a mistake.
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
