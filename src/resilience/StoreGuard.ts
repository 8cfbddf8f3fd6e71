import { withinTime } from '../call/timeLimit.js';

/** Settings of a {@link StoreGuard}. */
export interface StoreGuardOptions {
  /** What the store holds, for messages: `'cache'`, `'budget'`. */
  readonly name: string;
  /** Longest wait for one operation of the store. */
  readonly timeoutMs: number;
  /** Failures in a row after which the store is skipped. @default 3 */
  readonly failures?: number;
  /** How long it is skipped; then one call attempts it again. @default 5000 */
  readonly skipMs?: number;
}

/** An operation was not sent: its store failed too often in a row and is being skipped. */
export class StoreSkippedError extends Error {
  override readonly name = 'StoreSkippedError';
}

/**
 * The way to a store that may be slow or down (the cache's, the budget's): every operation within a
 * time limit, and a store that failed `failures` times in a row (errors and time-outs alike) skipped
 * for `skipMs`: its operations then fail at once with a {@link StoreSkippedError}, without reaching
 * it. Past that time the next operation attempts it (one at a time): a success ends the skip, a failure
 * starts another. While Redis hangs, a call thus stops paying a time limit per store operation after
 * the first few.
 *
 * Why not an opossum breaker, as the deployments have: opossum opens on an error percentage over a
 * rolling window (`volumeThreshold` is a least number of calls in it, not a run of failures). A
 * store that answered a hundred calls in the last seconds would keep being asked, each ask paying
 * its time limit, until those successes rolled out of the window: the very cost this avoids. Making
 * opossum count "in a row" means resetting its statistics on every success (a one-bucket window
 * rotated by hand), and it would bring per-breaker timers to shut down (the budget has no close), and
 * a promise per operation where the in-process stores answer synchronously. What is needed is a
 * counter and a time: no timer at all (the skip ends when `Date.now()` passes it), so fake clocks
 * drive it and nothing outlives the client.
 */
export class StoreGuard {
  readonly #name: string;
  readonly #timeoutMs: number;
  readonly #failures: number;
  readonly #skipMs: number;
  /** Failures since the last success. */
  #failed = 0;
  #lastError = '';
  /** `Date.now()` before which the store is skipped; 0 when it is not. */
  #skippedUntil = 0;
  /** An operation is trying the store again after a skip. */
  #probing = false;

  constructor(options: StoreGuardOptions) {
    this.#name = options.name;
    this.#timeoutMs = options.timeoutMs;
    this.#failures = options.failures ?? 3;
    this.#skipMs = options.skipMs ?? 5_000;
  }

  /**
   * Runs one store operation (`operation` names it in messages). A synchronous answer or throw comes
   * back as it is; a promise is bounded by `timeoutMs`.
   * @throws StoreSkippedError, synchronously, while the store is skipped
   */
  run<T>(operation: string, send: () => PromiseLike<T> | T): Promise<T> | T {
    const probe = this.#skippedUntil !== 0;
    if (probe) {
      if (this.#probing || Date.now() < this.#skippedUntil) throw this.#skipped();
      this.#probing = true;
    }
    let result: PromiseLike<T> | T;
    try {
      result = send();
    } catch (error) {
      this.#failure(probe, error);
      throw error;
    }
    if (!isThenable(result)) {
      this.#success();
      return result;
    }
    return this.#bounded(operation, result).then(
      (value) => {
        this.#success();
        return value;
      },
      (error: unknown) => {
        this.#failure(probe, error);
        throw error;
      },
    );
  }

  #bounded<T>(operation: string, pending: PromiseLike<T>): Promise<T> {
    return withinTime(pending, this.#timeoutMs, () => {
      throw new Error(`The ${this.#name} store did not answer '${operation}' within ${this.#timeoutMs} ms.`);
    });
  }

  /** The store answered: whatever came before, it is up. */
  #success(): void {
    this.#failed = 0;
    this.#skippedUntil = 0;
    this.#probing = false;
  }

  #failure(probe: boolean, error: unknown): void {
    this.#failed++;
    this.#lastError = error instanceof Error ? error.message : String(error);
    if (probe) this.#probing = false;
    if (probe || this.#failed >= this.#failures) this.#skippedUntil = Date.now() + this.#skipMs;
  }

  #skipped(): StoreSkippedError {
    const remainingMs = this.#skippedUntil - Date.now();
    const when =
      this.#probing && remainingMs <= 0 ? 'a call is trying it again now' : `it is tried again in ${Math.max(remainingMs, 0)} ms`;
    return new StoreSkippedError(
      `The ${this.#name} store is skipped after ${this.#failed} failures in a row (last: ${this.#lastError}); ${when}.`,
    );
  }
}

function isThenable<T>(value: PromiseLike<T> | T): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
