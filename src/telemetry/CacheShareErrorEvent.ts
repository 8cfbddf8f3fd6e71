/**
 * Following or publishing the semantic index the store shares (`cache.store.semanticIndex`, e.g.
 * `RedisCacheStore`'s) failed: once per outage, not per retry. The client's own index goes on
 * serving; once the store is back it catches up on what the others published meanwhile. No call
 * is concerned, so there is no `requestId`, `operation` or `namespace`.
 */
export interface CacheShareErrorEvent {
  /** No call is concerned. */
  readonly requestId?: undefined;
  /** No call is concerned. */
  readonly operation?: undefined;
  /** No call is concerned. */
  readonly namespace?: undefined;
  /** Sharing the semantic index. */
  readonly action: 'share';
  /** What the store said (a Redis URL's password never in it). */
  readonly error: {
    /** The error's message. */
    readonly message: string;
  };
}
