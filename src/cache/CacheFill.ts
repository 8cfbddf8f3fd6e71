import type { Call } from '../call/Call.js';
import { serialize, type CachedAnswer } from './CachedAnswer.js';
import type { GuardedStore } from './GuardedStore.js';
import type { SemanticCache, SemanticProbe } from './SemanticCache.js';
import { InFlight, type SingleFlight } from './SingleFlight.js';

/**
 * The duty of the call that fetches an answer the cache did not have: store it when it is complete,
 * and hand it (or the error) to the identical calls that waited for it (the single flight).
 */
export class CacheFill {
  /** Set by a semantic lookup: the answer fetched next is indexed by meaning too. */
  probe: SemanticProbe | undefined;
  #entry: InFlight | undefined;

  constructor(
    private readonly flights: SingleFlight,
    private readonly store: GuardedStore,
    private readonly semantic: SemanticCache | undefined,
    private readonly call: Call,
    private readonly key: string,
    leads: boolean,
  ) {
    if (!leads) return;
    this.#entry = new InFlight();
    flights.register(key, this.#entry);
  }

  /**
   * The call answered: store the answer if it is complete (and `storable`), and share it. Returns
   * the store's write while it is in flight, for a caller that should not resolve before it lands.
   */
  settle(answer: CachedAnswer, storable = true): Promise<void> | undefined {
    // A poor answer (empty, or not the JSON asked for) is served, but never kept to be served again.
    const store = storable && this.call.kind.storable(answer.completion, this.call.params);
    if (!store && (this.#entry === undefined || this.#entry.followers === 0)) {
      this.#done();
      return undefined;
    }
    const value = serialize(answer);
    this.#entry?.resolve(value);
    if (!store) {
      this.#done();
      return undefined;
    }
    const probe = this.probe;
    if (probe !== undefined && !this.store.closing) this.semantic?.add(probe, this.key);
    // Out of flight at once: a call arriving while a slow store is still writing fetches anew (rare,
    // harmless), rather than be told 'cached' by an answer the store may never hold.
    const written = this.store.write(
      this.call,
      this.key,
      value,
      probe === undefined ? undefined : this.semantic?.publisher(probe, this.key),
    );
    this.#done();
    return written;
  }

  /** Hands a stored answer to the followers, without storing it again. */
  share(value: string): void {
    this.#entry?.resolve(value);
    this.#done();
  }

  /** The call failed: its followers get the same error (unless it concerns this call alone). */
  fail(error: unknown): void {
    this.#entry?.reject(error);
    this.#done();
  }

  #done(): void {
    if (this.#entry !== undefined) this.flights.unregister(this.key, this.#entry);
    this.#entry = undefined;
  }
}
