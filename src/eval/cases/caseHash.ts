import { createHash } from 'node:crypto';

/**
 * A hash of what decides a case's answers, its messages (not its id, tags, expected answer or
 * check, which only score them): `--resume` reuses an answer while this is unchanged, and scores it
 * again. Keys are sorted, so a message rewritten with its fields in another order keeps its hash.
 */
export function caseHash(value: { messages: unknown }): string {
  return createHash('sha256').update(stable(value.messages)).digest('hex').slice(0, 16);
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
