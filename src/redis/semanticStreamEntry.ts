import type { SemanticIndexEntry } from '../cache/SharedSemanticIndex.js';

/** An entry of the semantic stream as read back: who published it, and what. */
export interface PublishedEntry {
  /** The follower that published it: it skips its own. */
  readonly origin: string;
  readonly entry: SemanticIndexEntry;
}

/**
 * The field-value pairs of a stream entry (XADD's arguments after the id): the vector as float32
 * little-endian bytes, 6 KB at 1,536 dimensions (about a third of its JSON).
 */
export function encodeEntry(origin: string, entry: SemanticIndexEntry): (string | Buffer)[] {
  const { vector } = entry;
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index]!, index * 4);
  return ['origin', origin, 'partition', entry.partition, 'key', entry.key, 'vector', bytes];
}

/**
 * Reads the fields of a stream entry as XREAD gives them (alternating names and values); undefined
 * for anything else (a foreign or later format under the same key): skipped, not a crash.
 */
export function decodeEntry(fields: readonly Buffer[]): PublishedEntry | undefined {
  let origin: string | undefined;
  let partition: string | undefined;
  let key: string | undefined;
  let bytes: Buffer | undefined;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const value = fields[index + 1]!;
    switch (fields[index]!.toString()) {
      case 'origin':
        origin = value.toString();
        break;
      case 'partition':
        partition = value.toString();
        break;
      case 'key':
        key = value.toString();
        break;
      case 'vector':
        bytes = value;
        break;
    }
  }
  if (origin === undefined || !partition || !key || bytes === undefined || bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
  const vector = new Float32Array(bytes.length / 4);
  for (let index = 0; index < vector.length; index++) vector[index] = bytes.readFloatLE(index * 4);
  return { origin, entry: { partition, key, vector } };
}
