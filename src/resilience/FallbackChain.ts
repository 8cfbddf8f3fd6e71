import type { AttemptErrorCode } from '../call/Attempt.js';
import type { Call } from '../call/Call.js';
import { abortError } from '../call/abortError.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import { holdOrRelease, type DeploymentRate } from '../limits/DeploymentRate.js';
import { DeploymentAttempts, skipOf, Skipped, type Send, type AttemptParts } from './DeploymentAttempts.js';
import type { LiveDeployment } from './LiveDeployment.js';
import { recordFailedAttempt, recordSkip } from './reportAttempt.js';

/** The deployment that answered, and what its attempt returned. */
export interface Answer<T> {
  readonly live: LiveDeployment;
  readonly value: T;
}

/** Judges an answer for quality escalation: a reason it is poor, or undefined when it will do. */
export type Judge<T> = (value: T, live: LiveDeployment) => AttemptErrorCode | undefined;

/** Where the walk stands: the last deployment left behind and why (for the `fallback` event). */
interface Left {
  readonly model: string;
  readonly provider: string;
  readonly reason: AttemptErrorCode;
}

/**
 * The fallback stage: walks the candidates in order, skipping those cooling down or behind an open
 * breaker, and runs each one's attempts ({@link DeploymentAttempts}: retry and breaker) until one answers.
 * With a judge (quality escalation), a poor answer sends the call up a tier, and is served if
 * nothing pricier does better.
 */
export class FallbackChain {
  constructor(private readonly parts: AttemptParts) {}

  /**
   * @throws the original error of a request that is itself wrong (400, 422), `APIUserAbortError` when
   *   the caller aborts, `AllModelsFailedError` when nothing answered or the deadline passed.
   */
  async run<T>(call: Call, candidates: readonly LiveDeployment[], send: Send<T>, judge?: Judge<T>): Promise<Answer<T>> {
    let poor: Answer<T> | undefined;
    let above = -1;
    let left: Left | undefined;
    const order = deferDrained(candidates);
    for (let i = 0; i < order.length; i++) {
      const live = order[i]!;
      const { deployment } = live;
      // After a poor answer, only a pricier tier is worth asking.
      if (deployment.tierIndex <= above) continue;
      if (left !== undefined) this.#reportFallback(call, left, live);
      const skip = skipOf(live);
      if (skip !== undefined) {
        recordSkip(call, deployment, skip.code);
        left = { model: deployment.model.id, provider: deployment.provider, reason: skip.code };
        continue;
      }
      // Limits, or a provider's pause: a deployment without either pays this one branch.
      const { rate } = live;
      const entered = rate === undefined || this.#enter(call, rate, this.parts.rateLimiter.waits && lastOfTier(order, i));
      if (entered !== true && !(await entered)) {
        recordSkip(call, deployment, 'rate_limited');
        left = { model: deployment.model.id, provider: deployment.provider, reason: 'rate_limited' };
        continue;
      }
      // While the call waited for room, a failing call or a health probe may have opened its breaker.
      const late = entered === true ? undefined : skipOf(live);
      if (late !== undefined) {
        rate?.release();
        recordSkip(call, deployment, late.code);
        left = { model: deployment.model.id, provider: deployment.provider, reason: late.code };
        continue;
      }
      const attempts = new DeploymentAttempts(this.parts, call, live, send);
      let outcome: T | Skipped;
      try {
        outcome = await attempts.run();
      } catch (error) {
        rate?.release();
        if (call.scope.abortReason !== undefined) throw abortError(call, error);
        // A poor answer in hand beats a pricier tier's refusal of the request.
        if (attempts.failure === undefined || attempts.failure.action === 'throw') {
          if (poor !== undefined) return poor;
          throw error;
        }
        left = { model: deployment.model.id, provider: deployment.provider, reason: attempts.failure.code };
        continue;
      }
      // The slot goes with a stream until it ends; anything else has done with it.
      if (rate !== undefined) holdOrRelease(rate, call.stream, outcome);
      if (outcome instanceof Skipped) {
        left = { model: deployment.model.id, provider: deployment.provider, reason: outcome.code };
        continue;
      }
      const verdict = judge?.(outcome, live);
      if (verdict === undefined) return { live, value: outcome };
      // Billed, and recorded as an attempt that failed: the audit trail says why the call went up a tier.
      recordFailedAttempt(
        this.parts,
        call,
        deployment,
        {
          code: verdict,
          message: `A poor answer (${verdict}): asking a pricier tier.`,
          latencyMs: call.attempts.at(-1)?.latencyMs ?? 0,
          willRetry: false,
        },
        true,
      );
      poor = { live, value: outcome };
      above = deployment.tierIndex;
      left = { model: deployment.model.id, provider: deployment.provider, reason: verdict };
    }
    if (poor !== undefined) return poor;
    throw new AllModelsFailedError(call.requested, call.attempts, 'exhausted');
  }

  /** True when the deployment has room (its slot then held), false to skip it; an abort while waiting for room ends the call. */
  #enter(call: Call, rate: DeploymentRate, mayWait: boolean): boolean | Promise<boolean> {
    const room = this.parts.rateLimiter.enter(call, rate, mayWait);
    if (typeof room === 'boolean') return room;
    return room.catch((error: unknown) => {
      throw call.scope.abortReason === undefined ? error : abortError(call, error);
    });
  }

  #reportFallback(call: Call, left: Left, to: LiveDeployment): void {
    const { telemetry } = this.parts;
    if (!telemetry.wants('fallback')) return;
    telemetry.emit('fallback', {
      requestId: call.requestId,
      operation: call.operation,
      from: left.model,
      fromProvider: left.provider,
      to: to.deployment.model.id,
      toProvider: to.deployment.provider,
      reason: left.reason,
    });
  }
}

/**
 * True when no later candidate of the same tier is in rotation: only then may a call wait for room
 * on this one. While an equal may have room now, waiting is time lost; one out of rotation (an open
 * breaker, a cool-down) would only be skipped, leaving the call to a pricier tier without a wait.
 */
function lastOfTier(order: readonly LiveDeployment[], i: number): boolean {
  const { tierIndex } = order[i]!.deployment;
  for (let j = i + 1; j < order.length && order[j]!.deployment.tierIndex === tierIndex; j++)
    if (skipOf(order[j]!) === undefined) return false;
  return true;
}

/** Drained deployments go last: tried only when nothing else answered. */
function deferDrained(candidates: readonly LiveDeployment[]): readonly LiveDeployment[] {
  const now = Date.now();
  let drained: LiveDeployment[] | undefined;
  for (const live of candidates) if (live.drained(now)) (drained ??= []).push(live);
  if (drained === undefined) return candidates;
  return [...candidates.filter((live) => !drained.includes(live)), ...drained];
}
