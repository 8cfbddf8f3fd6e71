/** A deployment's limits over the sliding minute: requests and tokens (prompt estimate plus output limit). */
export interface RateLimitWindow {
  /** Requests per sliding 60 s. */
  readonly rpm?: number;
  /** Tokens per sliding 60 s. */
  readonly tpm?: number;
}

/** The outcome of {@link RateLimitStore.acquire}. */
export type RateLimitGrant =
  /** Counted: `second` is the store's second (epoch s, its own clock) the request was counted in, for `settle`. */
  | {
      /** Granted. */
      readonly ok: true;
      /** The second the request was counted in (epoch seconds, the store's clock): give it back to `settle`. */
      readonly second: number;
    }
  /** Refused, nothing counted: the soonest there may be room again, in milliseconds. */
  | {
      /** Refused. */
      readonly ok: false;
      /** The soonest there may be room again, in ms; `Infinity` when the request could never fit (more tokens than `tpm`). */
      readonly retryInMs: number;
    };

/**
 * Where the requests and tokens of each deployment over the last 60 s are counted, in one-second
 * buckets (so the window slides by the second). `MemoryRateLimitStore` counts in one process;
 * `tiered-llm/redis` has `RedisRateLimitStore`, which shares the counts between processes.
 * A key is a deployment's `provider/model`.
 */
export interface RateLimitStore {
  /**
   * Atomically: when one more request and `tokens` more tokens keep `key`'s counts over the last 60 s
   * within `limits`, count them and grant; else count nothing and refuse.
   */
  acquire(key: string, tokens: number, limits: RateLimitWindow): Promise<RateLimitGrant> | RateLimitGrant;
  /**
   * Corrects the tokens counted by a grant once the usage is known (`deltaTokens` = used - estimated,
   * negative when fewer were used). A grant whose second has left the window is left alone.
   */
  settle(key: string, second: number, deltaTokens: number): Promise<void> | void;
  /** Releases what the store holds; `client.close()` calls it for a store the client made. */
  close?(): Promise<void> | void;
}
