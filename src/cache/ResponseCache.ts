import { APIUserAbortError } from 'openai';
import type { Call } from '../client/Call.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { StreamInterruptedError } from '../errors/StreamInterruptedError.js';
import { abortError } from '../resilience/tryCandidates.js';
import { StoreGuard } from '../resilience/StoreGuard.js';
import { judgeAnswer } from '../routing/judgeAnswer.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { deserialize, isStorable, serialize, type CachedAnswer } from './CachedAnswer.js';
import type { CacheSettings } from './resolveCacheOptions.js';
import type { SemanticCache, SemanticProbe } from './SemanticCache.js';

/** What the cache stage found: an answer (stored, or that of an identical call in flight), or the duty to fetch it. */
export type CacheOutcome = { readonly answer: CachedAnswer } | { readonly lead: Lead };

/** An answer being fetched by a leading call, and how many calls wait for it. */
interface InFlight {
  readonly answer: Promise<string>;
  followers: number;
}

/**
 * The response cache: a `CacheStore` behind a time limit, plus single flight. Identical cacheable
 * calls in flight at the same time make one upstream call: the first leads, the others follow and
 * get its answer (or its error). A store that fails or is slow only makes calls uncached, with a
 * `cache:error` event: the cache never fails a call. After 3 failures in a row the store is skipped
 * for 5 s ({@link StoreGuard}): calls go uncached at once instead of each waiting out `timeoutMs`.
 */
export class ResponseCache {
  private readonly inflight = new Map<string, InFlight>();
  /** Writes a slow store is still making. */
  private readonly writing = new Set<Promise<void>>();
  /** @internal Set by close(): no more writes. */
  closing = false;
  /** The store behind its time limit, skipped for a while after failing in a row. */
  private readonly guard: StoreGuard;

  constructor(
    readonly settings: CacheSettings,
    private readonly telemetry: Telemetry,
    /** @internal */ readonly semantic: SemanticCache | undefined,
  ) {
    this.guard = new StoreGuard({ name: 'cache', timeoutMs: settings.timeoutMs });
  }

  /**
   * The cache stage of a call whose `cacheKey` is set: see {@link CacheOutcome}. `canLead: false`
   * (streams, whose reader sets the pace) never makes identical calls wait on this one.
   */
  async begin(call: Call, key: string, canLead = true): Promise<CacheOutcome> {
    const refresh = call.options.cache === 'refresh';
    // A leader that fails for reasons of its own hands over: the first follower to resume leads, the others follow it.
    for (let leader = refresh ? undefined : this.inflight.get(key); leader !== undefined; leader = this.inflight.get(key)) {
      leader.followers++;
      try {
        const answer = deserialize(await untilAborted(leader.answer, call));
        if (answer === undefined) break;
        this.report(call, 'cache:hit');
        return { answer };
      } catch (error) {
        if (call.scope.abortReason !== undefined) throw abortError(call, error);
        if (!concernsOnlyTheLeader(error)) throw error;
      }
    }
    // Registered before our own first await: a call arriving meanwhile follows this one.
    const lead = new Lead(this, call, key, canLead && !refresh && !this.inflight.has(key));
    if (!refresh) {
      const stored = await this.read(call, key);
      const answer = stored === undefined ? undefined : deserialize(stored);
      if (answer !== undefined && stored !== undefined) {
        lead.share(stored);
        this.report(call, 'cache:hit');
        return { answer };
      }
      if (this.semantic?.eligible(call) === true) {
        const similar = await this.similar(call, key, this.semantic, lead);
        if (similar !== undefined) return similar;
      }
    }
    this.report(call, 'cache:miss');
    return { lead };
  }

  /** After an exact miss: the answer to a request that meant nearly the same, if one is cached. */
  private async similar(call: Call, key: string, semantic: SemanticCache, lead: Lead): Promise<CacheOutcome | undefined> {
    let probe: SemanticProbe;
    try {
      probe = await semantic.probe(call);
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      this.failed(call, 'embed', error);
      return undefined;
    }
    lead.probe = probe; // so that the answer fetched next is found by meaning too
    const match = semantic.nearest(probe);
    if (match === undefined) return undefined;
    const stored = await this.read(call, match.key);
    const answer = stored === undefined ? undefined : deserialize(stored);
    if (answer === undefined || stored === undefined) {
      semantic.delete(probe, match.key); // expired from the store
      return undefined;
    }
    // Stored under this wording too: its repeats are then exact hits, with no embedding call.
    void this.write(call, key, stored);
    lead.share(stored);
    this.report(call, 'cache:hit', match.similarity);
    return { answer };
  }

  /** @internal */
  register(key: string, entry: InFlight): void {
    this.inflight.set(key, entry);
  }

  /** @internal */
  unregister(key: string, entry: InFlight): void {
    if (this.inflight.get(key) === entry) this.inflight.delete(key);
  }

  /**
   * @internal Stores an answer, bounded in time; a failure is reported, never thrown. Returns the
   * write while a store (e.g. Redis) is still at it, undefined once it is done (the in-process store).
   */
  write(call: Call, key: string, value: string): Promise<void> | undefined {
    // Closing: the application may close its store next, so answers finishing now are not kept.
    if (this.closing) return undefined;
    let written: PromiseLike<void> | void;
    try {
      written = this.bounded(call, 'set', () => this.settings.store.set(key, value, this.settings.ttlMs));
    } catch {
      return undefined;
    }
    if (!isThenable(written)) return undefined;
    const pending: Promise<void> = Promise.resolve(written).then(noop, noop);
    this.writing.add(pending);
    void pending.then(() => this.writing.delete(pending));
    return pending;
  }

  /**
   * Takes no more writes, and settles once those in flight have: `client.close()` waits for them
   * before the store is closed (by the client when it made it, else by the application).
   */
  close(): Promise<void> {
    this.closing = true;
    return Promise.all(this.writing).then(noop);
  }

  private async read(call: Call, key: string): Promise<string | undefined> {
    try {
      return await this.bounded(call, 'get', () => this.settings.store.get(key));
    } catch {
      return undefined;
    }
  }

  /**
   * Runs a store operation through the guard: under `timeoutMs`, and not at all while the store is
   * skipped for failing in a row. A synchronous store's answer (or throw) comes back as it is. Every
   * failure, a skip included, is reported with `cache:error`: each call that goes uncached says why.
   */
  private bounded<T>(call: Call, operation: 'get' | 'set', run: () => PromiseLike<T> | T): Promise<T> | T {
    let result: Promise<T> | T;
    try {
      result = this.guard.run(operation, run);
    } catch (error) {
      this.failed(call, operation, error);
      throw error;
    }
    if (!isThenable(result)) return result;
    return result.then(undefined, (error: unknown) => {
      this.failed(call, operation, error);
      throw error;
    });
  }

  private failed(call: Call, operation: 'get' | 'set' | 'embed', error: unknown): void {
    if (!this.telemetry.wants('cache:error')) return;
    const message = error instanceof Error ? error.message : String(error);
    this.telemetry.emit('cache:error', { requestId: call.requestId, namespace: call.cacheNamespace, operation, error: { message } });
  }

  private report(call: Call, event: 'cache:hit' | 'cache:miss', similarity?: number): void {
    if (!this.telemetry.wants(event)) return;
    const payload = { requestId: call.requestId, namespace: call.cacheNamespace };
    this.telemetry.emit(event, similarity === undefined ? payload : { ...payload, similarity });
  }
}

/**
 * The duty of the call that fetches an answer: store it when it is complete, and hand it (or the
 * error) to the identical calls that waited for it.
 */
export class Lead {
  /** @internal Set by a semantic lookup: the answer fetched next is indexed by meaning too. */
  probe: SemanticProbe | undefined;
  private readonly entry: InFlight | undefined;
  private resolve: ((value: string) => void) | undefined;
  private reject: ((error: unknown) => void) | undefined;

  constructor(
    private readonly cache: ResponseCache,
    private readonly call: Call,
    private readonly key: string,
    registered: boolean,
  ) {
    if (!registered) return;
    const answer = new Promise<string>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    answer.catch(noop); // nobody may be following
    this.entry = { answer, followers: 0 };
    cache.register(key, this.entry);
  }

  /**
   * The call answered: store the answer if it is complete (and `storable`), and share it. Returns
   * the store's write while it is in flight, for a caller that should not resolve before it lands.
   */
  settle(answer: CachedAnswer, storable = true): Promise<void> | undefined {
    // A poor answer (empty, or not the JSON asked for) is served, but never kept to be served again.
    const store =
      storable && isStorable(answer.completion) && judgeAnswer(answer.completion, this.call.params.response_format) === undefined;
    if (!store && (this.entry === undefined || this.entry.followers === 0)) {
      this.done();
      return undefined;
    }
    const value = serialize(answer);
    this.resolve?.(value);
    if (!store) {
      this.done();
      return undefined;
    }
    if (this.probe !== undefined && !this.cache.closing) this.cache.semantic?.add(this.probe, this.key);
    // Out of flight at once: a call arriving while a slow store is still writing fetches anew (rare,
    // harmless), rather than be told 'cached' by an answer the store may never hold.
    const written = this.cache.write(this.call, this.key, value);
    this.done();
    return written;
  }

  /** Hands a stored answer to the followers, without storing it again. */
  share(value: string): void {
    this.resolve?.(value);
    this.done();
  }

  /** The call failed: its followers get the same error (unless it concerns this call alone). */
  fail(error: unknown): void {
    this.reject?.(error);
    this.done();
  }

  private done(): void {
    if (this.entry !== undefined) this.cache.unregister(this.key, this.entry);
    this.resolve = undefined;
    this.reject = undefined;
  }
}

/**
 * Errors of the leading call alone (its abort, its deadline, its options, its stream's reader): its
 * followers fetch for themselves.
 */
function concernsOnlyTheLeader(error: unknown): boolean {
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) return true;
  if (AllModelsFailedError.isInstance(error)) return error.reason === 'deadline';
  return ConfigError.isInstance(error) || StreamInterruptedError.isInstance(error);
}

/** Waits for a leader's answer, but no longer than this call may wait: its signal, its deadline. */
function untilAborted<T>(leader: Promise<T>, call: Call): Promise<T> {
  const { scope } = call;
  const { signal } = scope;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    const remaining = scope.remainingMs();
    const timer = Number.isFinite(remaining) ? setTimeout(() => scope.abort('deadline'), remaining) : undefined;
    timer?.unref();
    const release = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    leader.then(
      (value) => {
        release();
        resolve(value);
      },
      (error: unknown) => {
        release();
        reject(error);
      },
    );
  });
}

function isThenable<T>(value: PromiseLike<T> | T): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function noop(): void {}
