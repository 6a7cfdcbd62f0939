/**
 * A LIKE/ILIKE pattern for "contains `text`" (use with `ESCAPE '\'`): the person's `%` and `_`
 * are letters, not wildcards.
 */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
