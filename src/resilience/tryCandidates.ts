import { APIConnectionError, APIUserAbortError } from 'openai';
import pRetry, { type RetryContext } from 'p-retry';
import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import type { Attempt, AttemptErrorCode } from './Attempt.js';
import { backoffDelay } from './backoff.js';
import { classifyFailure, type Failure } from './classifyFailure.js';
import type { LiveDeployment } from './LiveDeployment.js';
import { sleep } from './sleep.js';

/** One try of one deployment: a network call, made through `live.fire` so that its breaker hears of it. */
export type Try<T> = (engine: Engine, call: Call, live: LiveDeployment) => Promise<T>;

/** The deployment that answered, and what its try returned. */
export interface Answer<T> {
  readonly live: LiveDeployment;
  readonly value: T;
}

/**
 * The fallback, retry and breaker stages: walks the candidates in order, skipping those cooling
 * down or behind an open breaker; retries each with p-retry, every try going through its breaker.
 * @throws the original error of a request that is itself wrong (400, 422), `APIUserAbortError` when
 *   the caller aborts, `AllModelsFailedError` when nothing answered or the deadline passed.
 */
export async function tryCandidates<T>(
  engine: Engine,
  call: Call,
  candidates: readonly LiveDeployment[],
  send: Try<T>,
  judge?: (value: T, live: LiveDeployment) => AttemptErrorCode | undefined,
): Promise<Answer<T>> {
  /** With quality escalation: the last answer judged poor, served if no pricier tier does better. */
  let poor: Answer<T> | undefined;
  let above = -1;
  let previous: { readonly model: string; readonly provider: string; readonly reason: AttemptErrorCode } | undefined;
  // Drained deployments go last: tried only when nothing else answered.
  const order = deferDrained(candidates);
  for (let i = 0; i < order.length; i++) {
    const live = order[i]!;
    const { model, provider, tier } = live.deployment;
    // After a poor answer, only a pricier tier is worth asking.
    if (live.deployment.tierIndex <= above) continue;
    if (previous !== undefined && engine.telemetry.wants('fallback')) {
      engine.telemetry.emit('fallback', {
        requestId: call.requestId,
        from: previous.model,
        fromProvider: previous.provider,
        to: model.id,
        toProvider: provider,
        reason: previous.reason,
      });
    }
    const skip = skipReason(live);
    if (skip !== undefined) {
      call.attempts.push({ model: model.id, provider, tier, outcome: 'skipped', errorCode: skip, latencyMs: 0 });
      previous = { model: model.id, provider, reason: skip };
      continue;
    }
    const run = new DeploymentRun(engine, call, live, send);
    try {
      const value = await run.run();
      const verdict = judge?.(value, live);
      if (verdict === undefined) return { live, value };
      // Billed, and recorded as a try that failed: the audit trail says why the call went up a tier.
      const last = call.attempts.length - 1;
      call.attempts[last] = { ...call.attempts[last]!, outcome: 'error', errorCode: verdict };
      if (engine.telemetry.wants('attempt:error')) {
        const message = `A poor answer (${verdict}): asking a pricier tier.`;
        engine.telemetry.emit('attempt:error', {
          requestId: call.requestId,
          model: model.id,
          provider,
          error: { code: verdict, message },
          willRetry: false,
        });
      }
      poor = { live, value };
      above = live.deployment.tierIndex;
      previous = { model: model.id, provider, reason: verdict };
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      // A poor answer in hand beats a pricier tier's refusal of the request.
      if (run.failure === undefined || run.failure.action === 'throw') {
        if (poor !== undefined) return poor;
        throw error;
      }
      previous = { model: model.id, provider, reason: run.failure.code };
    }
  }
  if (poor !== undefined) return poor;
  throw new AllModelsFailedError(call.requested, call.attempts, 'exhausted');
}

/** The error for an aborted call: the caller's abort as `openai` reports it, or the deadline. */
export function abortError(call: Call, error: unknown): unknown {
  if (call.scope.abortReason === 'deadline') return new AllModelsFailedError(call.requested, call.attempts, 'deadline', error);
  return error instanceof APIUserAbortError ? error : new APIUserAbortError();
}

function deferDrained(candidates: readonly LiveDeployment[]): readonly LiveDeployment[] {
  const now = Date.now();
  let drained: LiveDeployment[] | undefined;
  for (const live of candidates) if (live.drained(now)) (drained ??= []).push(live);
  if (drained === undefined) return candidates;
  return [...candidates.filter((live) => !drained.includes(live)), ...drained];
}

function skipReason(live: LiveDeployment): 'cooling_down' | 'breaker_open' | undefined {
  if (live.coolingDown(Date.now())) return 'cooling_down';
  return live.rejecting ? 'breaker_open' : undefined;
}

const skipped = new Error('deployment skipped');

/**
 * The tries of one deployment. The first try is made directly (the common case: it succeeds); after
 * a failure worth retrying, p-retry drives the loop. The waits are ours, in `onFailedAttempt`, so
 * that `retry-after` is honoured and every wait is reported exactly; p-retry's own are zero.
 */
class DeploymentRun<T> {
  failure: Failure | undefined;
  private willRetry = false;
  private startedAt = 0;

  constructor(
    private readonly engine: Engine,
    private readonly call: Call,
    private readonly live: LiveDeployment,
    private readonly send: Try<T>,
  ) {}

  async run(): Promise<T> {
    const { retries } = this.call;
    try {
      return await this.attempt();
    } catch (error) {
      await this.onFailedAttempt({ error: error as Error, attemptNumber: 1, retriesLeft: retries, retriesConsumed: 0 });
      if (!this.willRetry) throw error;
    }
    return pRetry(() => this.attempt(), {
      retries: retries - 1,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      onFailedAttempt: (context) =>
        this.onFailedAttempt({ ...context, attemptNumber: context.attemptNumber + 1, retriesConsumed: context.retriesConsumed + 1 }),
      shouldRetry: () => this.willRetry,
    });
  }

  private async attempt(): Promise<T> {
    const { engine, call, live } = this;
    const { model, provider, tier } = live.deployment;
    const skip = skipReason(live);
    if (skip !== undefined) {
      // Since the previous try, this call or a concurrent one opened the breaker or got a long retry-after.
      call.attempts.push({ model: model.id, provider, tier, outcome: 'skipped', errorCode: skip, latencyMs: 0 });
      this.failure = { action: 'next', code: skip };
      throw skipped;
    }
    if (engine.telemetry.wants('attempt:start')) {
      engine.telemetry.emit('attempt:start', {
        requestId: call.requestId,
        model: model.id,
        provider,
        tier,
        attempt: call.attempts.length + 1,
      });
    }
    this.startedAt = performance.now();
    let value: T;
    try {
      value = await this.send(engine, call, live);
    } catch (error) {
      // p-retry gives up at once on a TypeError it does not know as a network error: say what it is.
      throw error instanceof TypeError && classifyFailure(error).code === 'connection_error'
        ? new APIConnectionError({ message: error.message, cause: error })
        : error;
    }
    const latencyMs = performance.now() - this.startedAt;
    live.recordLatency(latencyMs);
    call.attempts.push({ model: model.id, provider, tier, outcome: 'ok', latencyMs });
    return value;
  }

  private async onFailedAttempt({ error, retriesLeft, retriesConsumed }: RetryContext): Promise<void> {
    if (error === skipped) {
      this.willRetry = false;
      return;
    }
    const { engine, call, live } = this;
    const { model, provider, tier } = live.deployment;
    const failure = call.scope.abortReason === 'deadline' ? deadlineFailure : classifyFailure(error);
    this.failure = failure;
    const { retry } = engine.settings;
    let delayMs: number | undefined;
    if (failure.action === 'retry' && call.scope.abortReason === undefined) {
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retry.maxRetryAfterMs) {
        live.coolingDownUntil = Math.max(live.coolingDownUntil, Date.now() + failure.retryAfterMs);
      } else if (retriesLeft > 0 && skipReason(live) === undefined) {
        delayMs = failure.retryAfterMs ?? backoffDelay(retriesConsumed, retry);
      }
    }
    this.willRetry = delayMs !== undefined;
    if (failure.action === 'retry') live.recordFailure(performance.now() - this.startedAt);
    const status = failure.status === undefined ? {} : { status: failure.status };
    const delay = delayMs === undefined ? {} : { delayMs };
    const attempt: Attempt = {
      model: model.id,
      provider,
      tier,
      outcome: 'error',
      errorCode: failure.code,
      latencyMs: performance.now() - this.startedAt,
      error,
      ...status,
      ...delay,
    };
    call.attempts.push(attempt);
    if (engine.telemetry.wants('attempt:error')) {
      engine.telemetry.emit('attempt:error', {
        requestId: call.requestId,
        model: model.id,
        provider,
        error: { code: failure.code, message: engine.redactor.message(messageOf(error)), ...status },
        willRetry: this.willRetry,
        ...delay,
      });
    }
    if (delayMs === undefined || delayMs === 0) return;
    // A wait never outlives the call: it stops at the deadline, or at once when the caller aborts.
    const remaining = call.scope.remainingMs();
    await sleep(Math.min(delayMs, remaining), call.scope.signal);
    if (remaining <= delayMs) {
      call.scope.abort('deadline');
      throw call.scope.reason();
    }
  }
}

const deadlineFailure: Failure = { action: 'retry', code: 'deadline_exceeded' };

/** What a thrown value says: a provider or a hostile fetch may throw something that is not an Error. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
