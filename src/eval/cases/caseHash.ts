import { createHash } from 'node:crypto';

/**
 * A hash of what decides a case's answers and their scores (messages, expected, check; not id or
 * tags): `--resume` reuses an answer only when this is unchanged. Keys are sorted, so rewriting a
 * case with its fields in another order keeps its hash.
 */
export function caseHash(value: { messages: unknown; expected?: unknown; check?: unknown }): string {
  const canonical = stable({ messages: value.messages, expected: value.expected ?? null, check: value.check ?? null });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
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
