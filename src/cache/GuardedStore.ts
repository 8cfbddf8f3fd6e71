import type { Call } from '../call/Call.js';
import { StoreGuard } from '../resilience/StoreGuard.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import type { CacheStore } from './CacheStore.js';
import type { Redactor } from '../telemetry/Redactor.js';

/** What the cache's store needs: the store, its entries' lifetime and its time limit. */
export interface GuardedStoreSettings {
  readonly store: CacheStore;
  readonly ttlMs: number;
  readonly timeoutMs: number;
}

/** What failed on the cache, as `cache:error`'s `action` names it (its `operation` is the call's kind). */
export type CacheAction = 'get' | 'set' | 'embed';

const noop = (): void => {};

/** What GuardedStore.lookup() says when the store failed, as opposed to not holding the value. */
export const unavailable: unique symbol = Symbol('unavailable');

/**
 * The cache's store behind its time limit: a store that fails or is slow only makes calls uncached,
 * with a `cache:error` event, and never fails a call. After 3 failures in a row the store is skipped
 * for 5 s ({@link StoreGuard}): calls go uncached at once instead of each waiting out `timeoutMs`.
 */
export class GuardedStore {
  /** Set by close(): no more writes. */
  closing = false;
  /** Writes a slow store is still making. */
  readonly #writing = new Set<Promise<void>>();
  readonly #guard: StoreGuard;

  constructor(
    private readonly settings: GuardedStoreSettings,
    private readonly telemetry: Telemetry,
    private readonly redactor: Redactor,
  ) {
    this.#guard = new StoreGuard({ name: 'cache', timeoutMs: settings.timeoutMs });
  }

  /** The stored value, or undefined when there is none or the store failed (reported). */
  async read(call: Call, key: string): Promise<string | undefined> {
    const value = await this.lookup(call, key);
    return value === unavailable ? undefined : value;
  }

  /** Like read(), telling a store that failed (`unavailable`, reported) from one without the value (undefined). */
  async lookup(call: Call, key: string): Promise<string | undefined | typeof unavailable> {
    try {
      return await this.#bounded(call, 'get', () => this.settings.store.get(key));
    } catch {
      return unavailable;
    }
  }

  /**
   * Stores a value; a failure is reported, never thrown. Returns the write while a store (e.g. Redis)
   * is still at it, undefined once it is done (the in-process store). `landed` runs once the store
   * holds the value (not when the write failed).
   */
  write(call: Call, key: string, value: string, landed: () => void = noop): Promise<void> | undefined {
    // Closing: the application may close its store next, so answers finishing now are not kept.
    if (this.closing) return undefined;
    let written: PromiseLike<void> | void;
    try {
      written = this.#bounded(call, 'set', () => this.settings.store.set(key, value, this.settings.ttlMs));
    } catch {
      return undefined;
    }
    if (!isThenable(written)) {
      landed();
      return undefined;
    }
    const pending: Promise<void> = Promise.resolve(written).then(landed, noop);
    this.#writing.add(pending);
    void pending.then(() => this.#writing.delete(pending));
    return pending;
  }

  /**
   * Takes no more writes, and settles once those in flight have: `client.close()` waits for them
   * before the store is closed (by the client when it made it, else by the application).
   */
  close(): Promise<void> {
    this.closing = true;
    return Promise.all(this.#writing).then(noop);
  }

  /** `cache:error`, built only when someone listens. */
  failed(call: Call, action: CacheAction, error: unknown): void {
    if (!this.telemetry.wants('cache:error')) return;
    const message = this.redactor.message(error instanceof Error ? error.message : String(error));
    this.telemetry.emit('cache:error', {
      requestId: call.requestId,
      operation: call.operation,
      namespace: call.cacheNamespace,
      action,
      error: { message },
    });
  }

  /**
   * Runs a store operation through the guard: under `timeoutMs`, and not at all while the store is
   * skipped for failing in a row. A synchronous store's answer (or throw) comes back as it is. Every
   * failure, a skip included, is reported: each call that goes uncached says why.
   */
  #bounded<T>(call: Call, action: 'get' | 'set', run: () => PromiseLike<T> | T): Promise<T> | T {
    let result: Promise<T> | T;
    try {
      result = this.#guard.run(action, run);
    } catch (error) {
      this.failed(call, action, error);
      throw error;
    }
    if (!isThenable(result)) return result;
    return result.then(undefined, (error: unknown) => {
      this.failed(call, action, error);
      throw error;
    });
  }
}

function isThenable<T>(value: PromiseLike<T> | T): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
