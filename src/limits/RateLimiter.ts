import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import { pause } from '../call/timeLimit.js';
import { StoreGuard } from '../resilience/StoreGuard.js';
import type { Redactor } from '../telemetry/Redactor.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import type { DeploymentRate } from './DeploymentRate.js';
import { MemoryRateLimitStore } from './MemoryRateLimitStore.js';
import { RateGrant } from './RateGrant.js';
import type { RateLimitGrant, RateLimitStore, RateLimitWindow } from './RateLimitStore.js';
import type { RateLimitSettings } from './resolveRateLimitOptions.js';

/*
 * Room on a deployment, as a number: 0, room now (counted); a positive number, the milliseconds
 * until there may be; `untilRelease`, when a concurrency slot is freed; `never`, a request larger
 * than the deployment's whole `tpm`.
 */
const untilRelease = -1;
const never = Number.POSITIVE_INFINITY;
/** Longest wait for one operation of a shared store, as the cache's and the budget's default. */
const storeTimeoutMs = 250;
/** Output tokens counted for a request that sets no output limit (as the budget's default). */
const defaultOutputTokens = 1_024;

/** What is counted: a call, or a request the client makes of a model on its own (a health probe, a classifier's or an embedding). */
export type CountedRequest = Pick<Call, 'operation' | 'kind' | 'params' | 'rateGrant'> & { readonly requestId: string };

/**
 * The rate-limit stage, run by the fallback walk before each deployment (and each retry) that has
 * limits or a provider's pause: the pause first, then a `maxConcurrent` slot (held by the
 * deployment's whole attempt sequence, a stream's until it ends), then one request and the call's
 * tokens in the `rpm`/`tpm` window of the store. No room: the deployment is skipped, unless
 * `rateLimit.waitMs` lets the call wait for some. The answer's usage corrects the tokens counted
 * ({@link settle}). A shared store is reached through a {@link StoreGuard}; when it fails, the call
 * is counted in this process and `rateLimit:error` says so.
 */
export class RateLimiter {
  readonly #store: RateLimitStore;
  readonly #ownStore: boolean;
  /** Only for a store the application passed in: the client's own answers at once and never fails. */
  readonly #guard: StoreGuard | undefined;
  /** Where calls are counted while the shared store fails; made at its first failure. */
  #local: MemoryRateLimitStore | undefined;
  readonly #waitMs: number;

  constructor(
    settings: RateLimitSettings,
    private readonly telemetry: Telemetry,
    private readonly redactor: Redactor,
  ) {
    this.#store = settings.store;
    this.#ownStore = settings.ownStore;
    this.#waitMs = settings.waitMs;
    this.#guard = settings.ownStore ? undefined : new StoreGuard({ name: 'rate limit', timeoutMs: storeTimeoutMs });
  }

  /** True with `rateLimit.waitMs` set: only then does a full deployment's place in its tier matter. */
  get waits(): boolean {
    return this.#waitMs > 0;
  }

  /**
   * Before a deployment's first attempt of the call: true when it may be sent (its slot is then held:
   * give it back with `rate.release()`), false to skip it. Synchronous unless it has to wait or
   * the store is remote. Rejects only when the call is aborted while it waits. `mayWait` false (another
   * deployment of the same tier is still to be tried) skips a full deployment at once, without waiting.
   */
  enter(call: Call, rate: DeploymentRate, mayWait: boolean): boolean | Promise<boolean> {
    return this.#admit(call, rate, true, mayWait);
  }

  /** Before a retry of the same deployment: its slot is held already; one more request counted. */
  again(call: Call, rate: DeploymentRate): boolean | Promise<boolean> {
    return this.#admit(call, rate, false, true);
  }

  /**
   * Corrects the tokens the answering attempt counted to its real usage (a call without a grant: one
   * branch). Also for a poor answer that quality escalation leaves behind: settled as it is judged,
   * before the next deployment's grant replaces its own.
   */
  settle(call: CountedRequest, answer: Pick<CachedAnswer, 'provider' | 'model' | 'usage'>): void {
    const grant = call.rateGrant;
    if (grant === undefined) return;
    call.rateGrant = undefined;
    const rate = grant.rate;
    if (rate === undefined || rate.provider !== answer.provider || rate.model !== answer.model) return;
    const delta = answer.usage.inputTokens + answer.usage.outputTokens - grant.tokens;
    if (delta === 0 || !Number.isFinite(delta)) return;
    if (grant.local) return this.#local?.settle(rate.key, grant.second, delta);
    const guard = this.#guard;
    if (guard === undefined) return void this.#store.settle(rate.key, grant.second, delta);
    const store = this.#store;
    let settled: Promise<void> | void;
    try {
      settled = guard.run('settle', () => store.settle(rate.key, grant.second, delta));
    } catch (error) {
      return this.#report(call, rate, 'settle', error);
    }
    // Behind the call: nobody waits for it.
    if (settled !== undefined) settled.catch((error: unknown) => this.#report(call, rate, 'settle', error));
  }

  /**
   * Before a request the client makes of a model on its own (a health probe of `kind: 'chat'`, the
   * classifier's grading, the semantic cache's embedding: see `SideRequest`): a request like a
   * caller's, it needs the same room (no pause, a slot, one request and its tokens in the window),
   * and never waits for it. True: send it, then give the slot back with `rate.release()` (and settle
   * its tokens when its usage is known); false: skip it.
   */
  probe(request: CountedRequest, rate: DeploymentRate): boolean | Promise<boolean> {
    const room = this.#room(request, rate, true);
    return typeof room === 'number' ? room === 0 : room.then(isZero);
  }

  /** Closes the store if the client made it. */
  async close(): Promise<void> {
    if (this.#ownStore) await this.#store.close?.();
  }

  #admit(call: Call, rate: DeploymentRate, slot: boolean, mayWait: boolean): boolean | Promise<boolean> {
    const room = this.#room(call, rate, slot);
    if (room === 0) return true;
    const waitMs = mayWait ? this.#waitMs : 0;
    if (typeof room === 'number' && waitMs === 0) return false;
    return this.#wait(call, rate, slot, room, waitMs);
  }

  async #wait(call: Call, rate: DeploymentRate, slot: boolean, first: number | Promise<number>, waitMs: number): Promise<boolean> {
    let room = await first;
    const until = Math.min(Date.now() + waitMs, call.scope.deadlineAt);
    while (room !== 0) {
      const left = until - Date.now();
      // Room known to come only after the wait ends (a window, a provider's pause): waiting is time lost.
      if (left <= 0 || room === never || (room !== untilRelease && room > left)) return false;
      // The waits end early, rejecting, when the call is aborted or its deadline passes.
      if (room !== untilRelease) await pause(Math.min(room, left), call.scope.signal);
      else if (rate.full) await rate.released(left, call.scope.signal);
      room = await this.#room(call, rate, slot);
    }
    return true;
  }

  #room(call: CountedRequest, rate: DeploymentRate, slot: boolean): number | Promise<number> {
    const now = Date.now();
    if (rate.pausedUntil > now) return rate.pausedUntil - now;
    if (slot && !rate.take()) return untilRelease;
    const window = rate.window;
    if (window === undefined) return 0;
    const room = this.#acquire(call, rate, window);
    if (room === 0 || !slot) return room;
    if (typeof room === 'number') {
      rate.release();
      return room;
    }
    return releaseUnlessAdmitted(room, rate);
  }

  #acquire(call: CountedRequest, rate: DeploymentRate, window: RateLimitWindow): number | Promise<number> {
    const grant = (call.rateGrant ??= new RateGrant(tokensOf(call)));
    if (window.tpm !== undefined && grant.tokens > window.tpm) return never;
    const guard = this.#guard;
    // The client's own in-process store: synchronous, and it does not fail.
    if (guard === undefined) return granted(grant, rate, this.#store.acquire(rate.key, grant.tokens, window) as RateLimitGrant, false);
    const store = this.#store;
    let answer: Promise<RateLimitGrant> | RateLimitGrant;
    try {
      answer = guard.run('acquire', () => store.acquire(rate.key, grant.tokens, window));
      if (!(answer instanceof Promise)) return granted(grant, rate, answer, false);
    } catch (error) {
      return this.#locally(call, grant, rate, window, error);
    }
    return this.#shared(call, grant, rate, window, answer);
  }

  async #shared(
    call: CountedRequest,
    grant: RateGrant,
    rate: DeploymentRate,
    window: RateLimitWindow,
    answer: Promise<RateLimitGrant>,
  ): Promise<number> {
    try {
      return granted(grant, rate, await answer, false);
    } catch (error) {
      return this.#locally(call, grant, rate, window, error);
    }
  }

  /** The shared store failed: the call is counted in this process, and `rateLimit:error` says so. */
  #locally(call: CountedRequest, grant: RateGrant, rate: DeploymentRate, window: RateLimitWindow, error: unknown): number {
    this.#report(call, rate, 'acquire', error);
    const local = (this.#local ??= new MemoryRateLimitStore());
    return granted(grant, rate, local.acquire(rate.key, grant.tokens, window), true);
  }

  #report(call: CountedRequest, rate: DeploymentRate, action: 'acquire' | 'settle', error: unknown): void {
    const { telemetry } = this;
    if (!telemetry.wants('rateLimit:error')) return;
    const message = this.redactor.message(error instanceof Error ? error.message : String(error));
    telemetry.emit('rateLimit:error', {
      requestId: call.requestId,
      operation: call.operation,
      model: rate.model,
      provider: rate.provider,
      action,
      error: { message },
    });
  }
}

/** The room a store's answer gives; a grant is remembered on the call for {@link RateLimiter.settle}. */
function granted(grant: RateGrant, rate: DeploymentRate, answer: RateLimitGrant, local: boolean): number {
  if (answer?.ok === true) {
    grant.rate = rate;
    grant.second = answer.second;
    grant.local = local;
    return 0;
  }
  if (answer?.ok !== false) throw new Error('The rate limit store answered neither a grant nor a refusal.');
  const ms = answer.retryInMs;
  if (ms === never) return never;
  // A refusal with no usable time is tried again in a second, not in a loop.
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(1, Math.ceil(ms)) : 1_000;
}

async function releaseUnlessAdmitted(room: Promise<number>, rate: DeploymentRate): Promise<number> {
  const ms = await room;
  if (ms !== 0) rate.release();
  return ms;
}

const isZero = (ms: number): boolean => ms === 0;

/** What a request counts against `tpm`: its prompt, estimated, and the most it may generate. */
function tokensOf(call: CountedRequest): number {
  const { kind, params } = call;
  return kind.promptTokens(params) + (kind.maxOutputTokens(params) ?? defaultOutputTokens);
}
