import { APIUserAbortError } from 'openai';
import { abortError } from '../resilience/tryCandidates.js';
import type { Call } from '../client/Call.js';
import type { TieredChatResult } from '../client/requests.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { deserialize, isStorable, serialize, type CachedAnswer } from './CachedAnswer.js';
import type { CacheStore } from './CacheStore.js';
import type { SemanticCache, SemanticProbe } from './SemanticCache.js';

/** Cache options with their defaults filled in. */
export interface CacheSettings {
  readonly store: CacheStore;
  readonly ttlMs: number;
  readonly policy: 'always' | 'deterministic';
  readonly namespace: string;
  readonly timeoutMs: number;
}

/** What the cache stage found: an answer (stored, or a concurrent identical call's), or the duty to fetch it. */
export type CacheOutcome = { readonly answer: CachedAnswer; readonly coalesced: boolean } | { readonly lead: Lead };

/**
 * The response cache: a `CacheStore` behind a time limit, plus single flight. Identical cacheable
 * calls in flight at the same time make one upstream call: the first leads, the others follow and
 * get its answer (or its error). A store that fails or is slow only makes calls uncached, with a
 * `cache:error` event: the cache never fails a call.
 */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    readonly settings: CacheSettings,
    private readonly telemetry: Telemetry,
    /** @internal */ readonly semantic: SemanticCache | undefined,
  ) {}

  /** The cache stage of a call whose `cacheKey` is set: see {@link CacheOutcome}. */
  async begin(call: Call, key: string): Promise<CacheOutcome> {
    const refresh = call.options.cache === 'refresh';
    const leader = refresh ? undefined : this.inflight.get(key);
    if (leader !== undefined) {
      try {
        const answer = deserialize(await untilAborted(leader, call));
        if (answer !== undefined) {
          this.report(call, 'cache:hit');
          return { answer, coalesced: true };
        }
      } catch (error) {
        if (call.scope.abortReason !== undefined) throw abortError(call, error);
        if (!concernsOnlyTheLeader(error)) throw error;
      }
    }
    // Registered before the first await of our own: a call arriving meanwhile follows this one.
    const lead = new Lead(this, call, key, !refresh && !this.inflight.has(key));
    if (!refresh) {
      const stored = await this.read(call, key);
      const answer = stored === undefined ? undefined : deserialize(stored);
      if (answer !== undefined && stored !== undefined) {
        lead.share(stored);
        this.report(call, 'cache:hit');
        return { answer, coalesced: false };
      }
      if (this.semantic?.eligible(call) === true) {
        const similar = await this.similar(call, this.semantic, lead);
        if (similar !== undefined) return similar;
      }
    }
    this.report(call, 'cache:miss');
    return { lead };
  }

  /** After an exact miss: the answer to a request that meant nearly the same, if one is cached. */
  private async similar(call: Call, semantic: SemanticCache, lead: Lead): Promise<CacheOutcome | undefined> {
    let probe: SemanticProbe;
    try {
      probe = await semantic.probe(call);
    } catch (error) {
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
    lead.share(stored);
    this.report(call, 'cache:hit', match.similarity);
    return { answer, coalesced: false };
  }

  /** @internal */
  register(key: string, answer: Promise<string>): void {
    this.inflight.set(key, answer);
  }

  /** @internal */
  unregister(key: string, answer: Promise<string>): void {
    if (this.inflight.get(key) === answer) this.inflight.delete(key);
  }

  /** @internal Stores an answer, bounded in time; a failure is reported, never thrown. */
  write(call: Call, key: string, value: string): void {
    this.bounded(call, 'set', () => this.settings.store.set(key, value, this.settings.ttlMs)).catch(noop);
  }

  private async read(call: Call, key: string): Promise<string | undefined> {
    try {
      return await this.bounded(call, 'get', () => this.settings.store.get(key));
    } catch {
      return undefined;
    }
  }

  private bounded<T>(call: Call, operation: 'get' | 'set', run: () => Promise<T> | T): Promise<T> {
    let result: Promise<T> | T;
    try {
      result = run();
    } catch (error) {
      this.failed(call, operation, error);
      return Promise.reject(error);
    }
    // The in-process store answers at once: no timer for it.
    if (!(result instanceof Promise)) return Promise.resolve(result);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The cache store did not answer '${operation}' within ${this.settings.timeoutMs} ms.`)),
        this.settings.timeoutMs,
      );
      timer.unref();
    });
    return Promise.race([result, limit]).then(
      (value) => {
        clearTimeout(timer);
        return value;
      },
      (error: unknown) => {
        clearTimeout(timer);
        this.failed(call, operation, error);
        throw error;
      },
    );
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
  private readonly answer: Promise<string> | undefined;
  private resolve: ((value: string) => void) | undefined;
  private reject: ((error: unknown) => void) | undefined;

  constructor(
    private readonly cache: ResponseCache,
    private readonly call: Call,
    private readonly key: string,
    registered: boolean,
  ) {
    if (!registered) return;
    this.answer = new Promise<string>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.answer.catch(noop); // nobody may be following
    cache.register(key, this.answer);
  }

  /** The call answered: store the answer if it is complete, and share it. */
  settle(result: TieredChatResult): void {
    const value = serialize({
      completion: result.completion,
      model: result.model,
      provider: result.provider,
      tier: result.tier,
      usage: result.usage,
      usageEstimated: result.usageEstimated,
      costUsd: result.costUsd,
    });
    if (isStorable(result.completion)) {
      this.cache.write(this.call, this.key, value);
      if (this.probe !== undefined) this.cache.semantic?.add(this.probe, this.key);
    }
    this.share(value);
  }

  /** Hands a stored answer to the followers, without storing it again. */
  share(value: string): void {
    this.resolve?.(value);
    this.done();
  }

  /** The call failed: its followers get the same error (unless it was this call's own, see below). */
  fail(error: unknown): void {
    this.reject?.(error);
    this.done();
  }

  private done(): void {
    if (this.answer !== undefined) this.cache.unregister(this.key, this.answer);
    this.resolve = undefined;
    this.reject = undefined;
  }
}

/** Errors of the leading call alone (its abort, its deadline, its options): its followers fetch for themselves. */
function concernsOnlyTheLeader(error: unknown): boolean {
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) return true;
  if (AllModelsFailedError.isInstance(error)) return error.reason === 'deadline';
  return ConfigError.isInstance(error);
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

function noop(): void {}
