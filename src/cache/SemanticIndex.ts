/** Bounds and strictness of a `SemanticIndex`. */
export interface SemanticIndexOptions {
  /** Entries kept across all namespaces; past it the least recently used go first. A positive integer. */
  readonly maxEntries: number;
  /** Smallest cosine similarity that counts as a match, in (0, 1]. */
  readonly threshold: number;
}

/** A match found by `SemanticIndex.nearest`. */
export interface SemanticMatch {
  /** The key the entry was added under. */
  readonly key: string;
  /** Cosine similarity between the query and the entry, at most 1. */
  readonly similarity: number;
}

interface Entry {
  readonly namespace: string;
  readonly key: string;
  /** Unit length, so a dot product is the cosine. */
  readonly vector: Float32Array;
}

interface Namespace {
  /** Length of every vector in it: set by its first entry, kept while it holds any. */
  readonly dimensions: number;
  readonly entries: Map<string, Entry>;
}

/** Float32 rounding: an identical vector may score 0.999999999, which must still pass a threshold of 1. */
const ROUNDING_SLACK = 1e-6;

/**
 * Nearest-neighbour lookup of cached answers by embedding, per namespace, bounded.
 *
 * A lookup is a linear scan of its namespace only: at 1,536 dimensions about 1.5 ms per 1,000
 * entries, so fine up to some 10,000 entries, where it stays well below the embedding call that
 * precedes it. Only beyond that would an approximate index (HNSW) pay for its complexity.
 *
 * Vectors are stored normalised as float32. A vector of zero length (or with a non-finite
 * component) matches nothing and is not stored. All vectors of a namespace must have the same
 * length: adding another length throws a `TypeError` (mixing embedding models in one namespace is
 * a bug worth hearing about), while a query of another length simply finds nothing.
 */
export class SemanticIndex {
  readonly #maxEntries: number;
  readonly #threshold: number;
  readonly #namespaces = new Map<string, Namespace>();
  /** Every entry, least recently used first: a Set keeps insertion order, and re-adding moves to the end. */
  readonly #recency = new Set<Entry>();

  constructor(options: SemanticIndexOptions) {
    const { maxEntries, threshold } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
      throw new TypeError(`threshold must be a number in (0, 1], got ${String(threshold)}`);
    }
    this.#maxEntries = maxEntries;
    this.#threshold = threshold;
  }

  /** Entries held, across all namespaces. */
  get size(): number {
    return this.#recency.size;
  }

  /**
   * Adds (or replaces) the entry `key` of `namespace` with its embedding; evicts the oldest
   * entries past maxEntries (across namespaces, least recently used first). A zero vector only
   * removes the previous entry, since it could never match.
   * @throws TypeError when the embedding's length differs from that of the namespace's entries.
   */
  add(namespace: string, key: string, embedding: ArrayLike<number>): void {
    const existing = this.#namespaces.get(namespace);
    if (existing !== undefined && existing.dimensions !== embedding.length) {
      throw new TypeError(
        `embedding has ${embedding.length} dimensions, but namespace '${namespace}' holds vectors of ${existing.dimensions}`,
      );
    }
    this.delete(namespace, key);
    const vector = normalise(embedding);
    if (vector === undefined) return;

    const space = this.#namespaces.get(namespace) ?? { dimensions: vector.length, entries: new Map<string, Entry>() };
    this.#namespaces.set(namespace, space);
    const entry: Entry = { namespace, key, vector };
    space.entries.set(key, entry);
    this.#recency.add(entry);
    for (const oldest of this.#recency) {
      if (this.#recency.size <= this.#maxEntries) break;
      this.delete(oldest.namespace, oldest.key);
    }
  }

  /**
   * The key of the most similar entry of `namespace` whose cosine similarity is >= threshold,
   * with the similarity; undefined when none. Marks it recently used.
   */
  nearest(namespace: string, embedding: ArrayLike<number>): SemanticMatch | undefined {
    const space = this.#namespaces.get(namespace);
    if (space === undefined || space.dimensions !== embedding.length) return undefined;
    const query = normalise(embedding);
    if (query === undefined) return undefined;

    let best: Entry | undefined;
    let bestSimilarity = -Infinity;
    for (const entry of space.entries.values()) {
      const similarity = dot(query, entry.vector);
      if (similarity > bestSimilarity) {
        best = entry;
        bestSimilarity = similarity;
      }
    }
    if (best === undefined || bestSimilarity < this.#threshold - ROUNDING_SLACK) return undefined;
    this.#recency.delete(best);
    this.#recency.add(best);
    return { key: best.key, similarity: Math.min(1, bestSimilarity) };
  }

  /** Forgets an entry (e.g. its answer expired from the store). Unknown entries are ignored. */
  delete(namespace: string, key: string): void {
    const space = this.#namespaces.get(namespace);
    const entry = space?.entries.get(key);
    if (space === undefined || entry === undefined) return;
    space.entries.delete(key);
    this.#recency.delete(entry);
    // An empty namespace forgets its dimensions too, so it can start over with another model.
    if (space.entries.size === 0) this.#namespaces.delete(namespace);
  }
}

/** The unit vector along `values` as float32, or undefined when it has no direction. */
function normalise(values: ArrayLike<number>): Float32Array | undefined {
  let sumOfSquares = 0;
  for (let index = 0; index < values.length; index++) sumOfSquares += values[index]! ** 2;
  const norm = Math.sqrt(sumOfSquares);
  if (!(norm > 0 && Number.isFinite(norm))) return undefined;
  const vector = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) vector[index] = values[index]! / norm;
  return vector;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}
