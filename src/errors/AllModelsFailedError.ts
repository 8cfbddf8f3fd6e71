import type { Attempt } from '../call/Attempt.js';
import { TieredError, isErrorWithCode } from './TieredError.js';

/** Why no deployment answered: every candidate failed or was skipped, or the call's deadline passed. */
export type AllModelsFailedReason = 'exhausted' | 'deadline';

/**
 * No deployment could answer: every candidate of the requested tier and its fallbacks failed or was
 * skipped (open breaker, cooling down), or `timeouts.deadlineMs` passed first. `attempts` holds one
 * entry per attempt, retries and skips included, each with its model, provider and error.
 */
export class AllModelsFailedError extends TieredError {
  readonly code = 'ALL_MODELS_FAILED';
  /** Every attempt of the call, in order. */
  readonly attempts: readonly Attempt[];
  /** `'deadline'` when `timeouts.deadlineMs` (or `options.timeoutMs`) cut the call short. */
  readonly reason: AllModelsFailedReason;
  /** The model field as the caller gave it. */
  readonly requested: string;

  constructor(requested: string, attempts: readonly Attempt[], reason: AllModelsFailedReason, cause?: unknown) {
    const tried = attempts.length === 0 ? 'no deployment was tried' : summarize(attempts);
    super(
      reason === 'deadline'
        ? `'${requested}': the deadline passed before any deployment answered (${tried})`
        : `'${requested}': every deployment failed (${tried})`,
      {
        cause: cause ?? lastError(attempts),
        hint:
          reason === 'deadline'
            ? "Raise timeouts.deadlineMs (or options.timeoutMs), or check the providers' health with client.health()."
            : 'Check client.health() for open breakers and cooling deployments, widen the fallback chain, or retry later.',
      },
    );
    this.attempts = attempts;
    this.reason = reason;
    this.requested = requested;
  }

  static override isInstance = isErrorWithCode<AllModelsFailedError>('ALL_MODELS_FAILED');
}

function summarize(attempts: readonly Attempt[]): string {
  return attempts
    .map(
      (a) =>
        `${a.provider}/${a.model}: ${a.outcome === 'skipped' ? 'skipped, ' : ''}${a.errorCode ?? a.outcome}${a.status === undefined ? '' : ` ${a.status}`}`,
    )
    .join('; ');
}

function lastError(attempts: readonly Attempt[]): unknown {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const error = attempts[i]?.error;
    if (error !== undefined) return error;
  }
  return undefined;
}
