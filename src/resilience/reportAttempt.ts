import type { Call } from '../call/Call.js';
import type { Attempt, AttemptErrorCode } from '../call/Attempt.js';
import type { Deployment } from '../catalog/types.js';
import type { Redactor } from '../telemetry/Redactor.js';
import type { Telemetry } from '../telemetry/Telemetry.js';

/** What the fallback and retry stages need of the client to report. */
export interface ReportParts {
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
}

/** A failed attempt, for the audit trail and `attempt:error`. */
export interface FailedAttempt {
  readonly code: AttemptErrorCode;
  /** The error as thrown, kept in the audit trail (undefined for a poor answer). */
  readonly error?: unknown;
  readonly message: string;
  readonly status?: number | undefined;
  readonly latencyMs: number;
  readonly willRetry: boolean;
  readonly delayMs?: number | undefined;
}

/** `attempt:start`, built only when someone listens. */
export function reportAttemptStart(parts: ReportParts, call: Call, deployment: Deployment): void {
  if (!parts.telemetry.wants('attempt:start')) return;
  const { model, provider, tier } = deployment;
  parts.telemetry.emit('attempt:start', {
    requestId: call.requestId,
    operation: call.operation,
    model: model.id,
    provider,
    tier,
    attempt: call.attempts.length + 1,
  });
}

/** A deployment left out without a call: one entry in the audit trail, no event of its own. */
export function recordSkip(call: Call, deployment: Deployment, code: 'breaker_open' | 'cooling_down' | 'rate_limited'): void {
  const { model, provider, tier } = deployment;
  call.attempts.push({ model: model.id, provider, tier, outcome: 'skipped', errorCode: code, latencyMs: 0 });
}

/**
 * The one place a failed attempt is recorded: its entry in the audit trail (`replace` rewrites the
 * last entry, for an answer judged poor after it came) and `attempt:error`.
 */
export function recordFailedAttempt(parts: ReportParts, call: Call, deployment: Deployment, failed: FailedAttempt, replace = false): void {
  const { model, provider, tier } = deployment;
  const status = failed.status === undefined ? {} : { status: failed.status };
  const delay = failed.delayMs === undefined ? {} : { delayMs: failed.delayMs };
  const attempt: Attempt = {
    model: model.id,
    provider,
    tier,
    outcome: 'error',
    errorCode: failed.code,
    latencyMs: failed.latencyMs,
    ...(failed.error === undefined ? {} : { error: failed.error }),
    ...status,
    ...delay,
  };
  if (replace) call.attempts[call.attempts.length - 1] = attempt;
  else call.attempts.push(attempt);
  if (!parts.telemetry.wants('attempt:error')) return;
  parts.telemetry.emit('attempt:error', {
    requestId: call.requestId,
    operation: call.operation,
    model: model.id,
    provider,
    error: { code: failed.code, message: parts.redactor.message(failed.message), ...status },
    willRetry: failed.willRetry,
    ...delay,
  });
}
