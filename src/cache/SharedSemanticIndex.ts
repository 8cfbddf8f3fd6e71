/** One entry of the semantic index, as the processes sharing it exchange it. */
export interface SemanticIndexEntry {
  /** The partition the entry belongs to: a hash of the namespace, model field, parameters and embedding model. */
  readonly partition: string;
  /** The cache key of the answer, in the store. */
  readonly key: string;
  /** The embedding of the request that was answered (any length; the index normalises it). */
  readonly vector: Float32Array;
}

/** What a client asks of {@link SharedSemanticIndex.follow}. */
export interface SemanticIndexFollowOptions {
  /** The client's `cache.semantic.maxEntries`: a log need keep no more entries than an index holds. */
  readonly maxEntries: number;
  /** The client's `cache.ttlMs`: an entry older than that points to an answer gone from the store. */
  readonly ttlMs: number;
  /**
   * Called with each entry another follower published, those published before `follow()` first
   * (the catch-up), then as they come. Never with one this follower published itself.
   */
  readonly onEntry: (entry: SemanticIndexEntry) => void;
  /**
   * Called when following or publishing fails (the store is down): once per outage, not once per
   * retry; again only after following has worked in between. The client emits it as `cache:error`
   * (`action: 'share'`); its local index goes on serving meanwhile.
   */
  readonly onError: (error: Error) => void;
}

/** A client's membership of a {@link SharedSemanticIndex}, from `follow()` until `stop()`. */
export interface SemanticIndexFeed {
  /**
   * Settles once the entries published before `follow()` have been handed to `onEntry`, or
   * following has failed: the client's first lookups wait for it (within `cache.timeoutMs`), so a
   * process started after an answer finds it by meaning. Never rejects.
   */
  readonly ready: Promise<void>;
  /** Shares an entry the client indexed, once its answer is in the store. Never throws: failures go to `onError`. */
  publish(entry: SemanticIndexEntry): void;
  /** Stops following and publishing, releasing what following holds (a connection); `client.close()` calls it. */
  stop(): Promise<void> | void;
}

/**
 * An optional capability of a `CacheStore` (its `semanticIndex` property): sharing the
 * semantic cache's index between the clients on the store, so that a request answered in one
 * process is a semantic hit in another. Without it each client's index is its own. `RedisCacheStore`
 * has one (a Redis stream); implement it to share the index of a store of your own.
 *
 * A follower only learns where answers are: the answers themselves stay in the store. Deletions are
 * not shared: an entry whose answer has expired is dropped by each process at its first miss on it.
 */
export interface SharedSemanticIndex {
  /** Starts following the entries the other clients publish; `client.close()` stops it. */
  follow(options: SemanticIndexFollowOptions): SemanticIndexFeed;
}
