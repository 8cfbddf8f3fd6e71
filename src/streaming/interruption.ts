import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { Call } from '../call/Call.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { StreamInterruptedError } from '../errors/StreamInterruptedError.js';
import { classifyFailure } from '../resilience/classifyFailure.js';
import { StreamEndedEarlyError } from './StreamEndedEarlyError.js';
import type { SomeUpstreamStream } from './UpstreamStream.js';

/**
 * The error a stream that failed after its first token surfaces as: an `AbortError` when the
 * caller aborted, else `StreamInterruptedError` with the text so far and why.
 * `cause` is what the upstream iterator threw, or undefined when it ended quietly.
 */
export function interruption(redactor: Redactor, call: Call, stream: SomeUpstreamStream, cause: unknown): Error {
  const { model, provider } = stream.live.deployment;
  if (call.scope.abortReason === 'caller') return streamAbortError('The stream was aborted.', call.scope.reason());
  let reason: string;
  if (call.scope.abortReason === 'deadline') {
    reason = 'the call deadline passed (timeouts.deadlineMs)';
    cause = new Error(reason);
  } else if (stream.scope.timedOut) {
    reason = `no chunk for ${call.idleMs} ms (timeouts.idleMs)`;
    cause = new APIConnectionTimeoutError({ message: `Stream idle for ${call.idleMs} ms.` });
  } else if (cause === undefined) {
    reason = 'it ended without a finish reason';
    cause = new StreamEndedEarlyError('The stream ended without a finish reason.');
  } else {
    // The cause leaves with the error: an error event may echo the key (scrubbed here, in place).
    redactor.error(cause);
    reason = redactor.message(cause instanceof Error ? cause.message : String(cause));
  }
  return new StreamInterruptedError({ partialText: stream.assembler.text, model: model.id, provider, reason, cause });
}

/** An error named `AbortError`, as the platform's own aborts are: a quiet end would look like a complete answer. */
export function streamAbortError(message: string, cause?: unknown): Error {
  const error = new DOMException(message, 'AbortError');
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}

/** What the breaker hears of a failed stream: its underlying cause; an abort is not the deployment's fault. */
export function breakerView(error: unknown): unknown {
  if (error instanceof DOMException && error.name === 'AbortError') return new APIUserAbortError();
  return StreamInterruptedError.isInstance(error) ? error.cause : error;
}

/** The audit trail said 'ok' at the first token; the stream failed after it: say so. */
export function markInterrupted(call: Call, stream: SomeUpstreamStream, cause: unknown): void {
  const { model, provider } = stream.live.deployment;
  for (let i = call.attempts.length - 1; i >= 0; i--) {
    const attempt = call.attempts[i]!;
    if (attempt.outcome !== 'ok' || attempt.model !== model.id || attempt.provider !== provider) continue;
    call.attempts[i] = { ...attempt, outcome: 'error', errorCode: classifyFailure(cause).code, error: cause };
    return;
  }
}
