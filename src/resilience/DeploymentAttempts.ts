import { APIConnectionError } from 'openai';
import pRetry, { type RetryContext } from 'p-retry';
import type { Call } from '../call/Call.js';
import { errorHeaders, noteRateLimitHeaders } from '../limits/rateLimitHeaders.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import { pause } from '../call/timeLimit.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { classifyFailure, type Failure } from './classifyFailure.js';
import type { LiveDeployment } from './LiveDeployment.js';
import { recordFailedAttempt, recordSkip, reportAttemptStart, type ReportParts } from './reportAttempt.js';

/** One attempt of one deployment: a network call, made through `live.fire` so that its breaker hears of it. */
export type Send<T> = (call: Call, live: LiveDeployment) => Promise<T>;

/** Retry settings, defaults filled in; see `RetryOptions`. */
export interface RetrySettings extends BackoffOptions {
  readonly retries: number;
  readonly maxRetryAfterMs: number;
}

/** What the retry stage needs of the client. */
export interface AttemptParts extends ReportParts {
  readonly retry: RetrySettings;
  /** The rate-limit stage, asked again before each retry of a deployment with limits or a pause. */
  readonly rateLimiter: RateLimiter;
}

/** A deployment left out without a call (an open breaker, a long `retry-after`): a value, not an error. */
export class Skipped {
  private constructor(readonly code: 'breaker_open' | 'cooling_down' | 'rate_limited') {}
  static readonly breakerOpen = new Skipped('breaker_open');
  static readonly coolingDown = new Skipped('cooling_down');
  /** At one of its `limits`, or paused by its provider's rate-limit headers. */
  static readonly rateLimited = new Skipped('rate_limited');
}

/** Why a deployment is left out right now, if it is. */
export function skipOf(live: LiveDeployment): Skipped | undefined {
  if (live.coolingDown(Date.now())) return Skipped.coolingDown;
  return live.rejecting ? Skipped.breakerOpen : undefined;
}

const deadlineFailure: Failure = { action: 'retry', code: 'deadline_exceeded' };
const alwaysConsume = (): boolean => true;

/**
 * The attempts of one deployment, every one inside p-retry. p-retry's own waits are zero: ours happen
 * in `onFailedAttempt` (which p-retry awaits), so that `retry-after` is honoured and every wait is
 * reported exactly. A deployment that becomes unavailable between two attempts ends the loop with a
 * {@link Skipped} value.
 */
export class DeploymentAttempts<T> {
  /** How the last attempt failed, once one did. */
  failure: Failure | undefined;
  /** What the last attempt threw, as thrown (p-retry would turn a non-Error into a TypeError of its own). */
  lastError: unknown;
  #willRetry = false;
  /** The retry about to be made found no room under the deployment's limits: it is skipped instead. */
  #roomless = false;
  #startedAt = 0;

  constructor(
    private readonly parts: AttemptParts,
    private readonly call: Call,
    private readonly live: LiveDeployment,
    private readonly send: Send<T>,
  ) {}

  /** The deployment's answer, or a skip; rejects with the last attempt's error when no attempt succeeded. */
  run(): Promise<T | Skipped> {
    // Every option given, p-retry's defaults included: it copies the object and fills in what is
    // missing, and adding those properties to the copy cost 4 µs a call, more than everything else
    // p-retry does (measured with node 20).
    return pRetry(this.#attempt, {
      retries: this.call.retries,
      factor: 1,
      minTimeout: 0,
      maxTimeout: 0,
      maxRetryTime: Number.POSITIVE_INFINITY,
      randomize: false,
      onFailedAttempt: this.#onFailedAttempt,
      shouldRetry: this.#shouldRetry,
      shouldConsumeRetry: alwaysConsume,
    }).catch(this.#rethrow);
  }

  readonly #attempt = async (attemptNumber: number): Promise<T | Skipped> => {
    const { parts, call, live } = this;
    if (attemptNumber > 1) {
      // Since the previous attempt, this call or a concurrent one opened the breaker or got a long
      // retry-after, or the deployment ran out of room under its limits.
      const skip = this.#roomless ? Skipped.rateLimited : skipOf(live);
      if (skip !== undefined) {
        recordSkip(call, live.deployment, skip.code);
        this.failure = { action: 'next', code: skip.code };
        return skip;
      }
    }
    reportAttemptStart(parts, call, live.deployment);
    this.#startedAt = performance.now();
    let value: T;
    try {
      value = await this.send(call, live);
    } catch (error) {
      // p-retry gives up at once on a TypeError it does not know as a network error: say what it is.
      this.lastError =
        error instanceof TypeError && classifyFailure(error).code === 'connection_error'
          ? new APIConnectionError({ message: error.message, cause: error })
          : error;
      throw this.lastError;
    }
    const latencyMs = performance.now() - this.#startedAt;
    live.recordLatency(latencyMs);
    const { model, provider, tier } = live.deployment;
    call.attempts.push({ model: model.id, provider, tier, outcome: 'ok', latencyMs });
    return value;
  };

  readonly #onFailedAttempt = async ({ retriesLeft, retriesConsumed }: RetryContext): Promise<void> => {
    const { parts, call, live } = this;
    const error = this.lastError;
    const failure = call.scope.abortReason === 'deadline' ? deadlineFailure : classifyFailure(error);
    this.failure = failure;
    noteRateLimitHeaders(live, errorHeaders(error));
    let delayMs: number | undefined;
    if (failure.action === 'retry' && call.scope.abortReason === undefined) {
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > parts.retry.maxRetryAfterMs) {
        live.coolingDownUntil = Math.max(live.coolingDownUntil, Date.now() + failure.retryAfterMs);
      } else if (retriesLeft > 0 && skipOf(live) === undefined) {
        delayMs = failure.retryAfterMs ?? backoffDelay(retriesConsumed, parts.retry);
      }
    }
    this.#willRetry = delayMs !== undefined;
    const latencyMs = performance.now() - this.#startedAt;
    if (failure.action === 'retry') live.recordFailure(latencyMs);
    recordFailedAttempt(parts, call, live.deployment, {
      code: failure.code,
      error,
      message: error instanceof Error ? error.message : String(error),
      status: failure.status,
      latencyMs,
      willRetry: this.#willRetry,
      delayMs,
    });
    // A wait never outlives the call: the call's scope aborts it at the deadline, or when the caller aborts.
    if (delayMs !== undefined && delayMs > 0) await pause(delayMs, call.scope.signal);
    // A retry is a request: it needs room under the deployment's limits like the first attempt.
    const rate = live.rate;
    if (this.#willRetry && rate !== undefined && skipOf(live) === undefined) {
      const room = parts.rateLimiter.again(call, rate);
      this.#roomless = !(typeof room === 'boolean' ? room : await room);
    }
  };

  readonly #shouldRetry = (): boolean => this.#willRetry;

  readonly #rethrow = (error: unknown): never => {
    // A wait cut short by the call's abort rejects with the scope's reason; a attempt's failure, as it threw.
    throw this.failure === undefined || this.call.scope.abortReason !== undefined ? error : this.lastError;
  };
}
