import type { Call } from '../call/Call.js';
import { abortError } from '../call/abortError.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { CacheFill } from './CacheFill.js';
import { deserialize, type CachedAnswer } from './CachedAnswer.js';
import type { CacheSettings } from './resolveCacheOptions.js';
import { GuardedStore, unavailable } from './GuardedStore.js';
import type { SemanticCache } from './SemanticCache.js';
import { SingleFlight } from './SingleFlight.js';
import type { Redactor } from '../telemetry/Redactor.js';

/** What the cache stage found: an answer (stored, or that of an identical call in flight), or the duty to fetch it. */
export type CacheOutcome = { readonly answer: CachedAnswer } | { readonly fill: CacheFill };

/**
 * The cache stage: an identical call's answer in flight ({@link SingleFlight}), else the store's
 * ({@link GuardedStore}: under a time limit, never failing a call), else, with `cache.semantic`, the
 * answer to a request that meant nearly the same ({@link SemanticCache}). On a miss the call gets
 * the duty to fill the cache ({@link CacheFill}).
 */
export class ResponseCache {
  readonly #flights = new SingleFlight();
  readonly #store: GuardedStore;

  constructor(
    readonly settings: CacheSettings,
    private readonly telemetry: Telemetry,
    /** @internal */ readonly semantic: SemanticCache | undefined,
    /** Scrubs keys from the messages of `cache:error`: a store's error may quote one. */
    private readonly redactor: Redactor,
  ) {
    this.#store = new GuardedStore(settings, telemetry, redactor);
    const shared = settings.store.semanticIndex;
    if (semantic === undefined || shared === undefined) return;
    try {
      semantic.share(shared, settings.ttlMs, this.#shareFailed);
    } catch (error) {
      // E.g. a given Redis instance that cannot open a second connection: the index stays local. Told
      // after construction, when the application has had the chance to listen.
      queueMicrotask(() => this.#shareFailed(error instanceof Error ? error : new Error(String(error))));
    }
  }

  /**
   * The cache stage of a call whose `cacheKey` is set: see {@link CacheOutcome}. `canLead: false`
   * (streams, whose reader sets the pace) never makes identical calls wait on this one.
   */
  async begin(call: Call, key: string, canLead = true): Promise<CacheOutcome> {
    const refresh = call.options.cache === 'refresh';
    const flights = this.#flights;
    for (let leader = refresh ? undefined : flights.leader(key); leader !== undefined; leader = flights.leader(key)) {
      const stored = await flights.follow(call, leader);
      if (stored === undefined) continue;
      const answer = deserialize(stored, call.kind.isAnswer);
      if (answer === undefined) break;
      this.#report(call, 'cache:hit');
      return { answer };
    }
    // Registered in the same turn as the look above, before our own first await: a call arriving
    // meanwhile (or a fellow follower resuming after us) follows this one.
    const fill = new CacheFill(flights, this.#store, this.semantic, call, key, canLead && !refresh && flights.leader(key) === undefined);
    try {
      if (!refresh) {
        const stored = await this.#store.read(call, key);
        const answer = deserializeOrNot(stored, call);
        if (answer !== undefined) {
          fill.share(stored!);
          this.#report(call, 'cache:hit');
          return { answer };
        }
        if (call.kind.operation === 'chat' && this.semantic?.eligible(call) === true) {
          const similar = await this.#similar(call, key, this.semantic, fill);
          if (similar !== undefined) return similar;
        }
      }
    } catch (error) {
      // Aborted while looking (the semantic probe): the identical calls following this one fetch for themselves.
      fill.fail(error);
      throw error;
    }
    this.#report(call, 'cache:miss');
    return { fill };
  }

  /**
   * Takes no more writes, and settles once those in flight have: `client.close()` waits for them
   * before the store is closed.
   */
  async close(): Promise<void> {
    // The writes first: an answer landing now still publishes its entry before following stops.
    await this.#store.close();
    await this.semantic?.close();
  }

  /** After an exact miss: the answer to a request that meant nearly the same, if one is cached. */
  async #similar(call: Call, key: string, semantic: SemanticCache, fill: CacheFill): Promise<CacheOutcome | undefined> {
    let probe;
    try {
      probe = await semantic.probe(call);
      if (probe === undefined) return undefined; // the embedding model is at its rate limit: a miss
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      this.#store.failed(call, 'embed', error);
      return undefined;
    }
    call.embedding = probe.spent; // billed, hit or miss
    fill.probe = probe; // so that the answer fetched next is found by meaning too
    const catchingUp = semantic.caughtUp();
    if (catchingUp !== undefined) await catchingUp; // a process just started: what the others answered before, first
    const match = semantic.nearest(probe);
    if (match === undefined) return undefined;
    const stored = await this.#store.lookup(call, match.key);
    if (stored === unavailable) return undefined; // the store is down: its entries are not gone
    const answer = deserializeOrNot(stored, call);
    if (answer === undefined) {
      semantic.delete(probe, match.key); // expired from the store
      return undefined;
    }
    // Stored under this wording too: its repeats are then exact hits, with no embedding call.
    void this.#store.write(call, key, stored!);
    fill.share(stored!);
    this.#report(call, 'cache:hit', match.similarity);
    return { answer };
  }

  /** Sharing the semantic index failed (once per outage): `cache:error` with no call of its own. */
  readonly #shareFailed = (error: Error): void => {
    if (!this.telemetry.wants('cache:error')) return;
    this.telemetry.emit('cache:error', { action: 'share', error: { message: this.redactor.message(error.message) } });
  };

  #report(call: Call, event: 'cache:hit' | 'cache:miss', similarity?: number): void {
    if (!this.telemetry.wants(event)) return;
    const payload = { requestId: call.requestId, operation: call.operation, namespace: call.cacheNamespace };
    this.telemetry.emit(event, similarity === undefined ? payload : { ...payload, similarity });
  }
}

function deserializeOrNot(stored: string | undefined, call: Call): CachedAnswer | undefined {
  return stored === undefined ? undefined : deserialize(stored, call.kind.isAnswer);
}
