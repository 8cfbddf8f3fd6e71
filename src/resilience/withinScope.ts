import type { Call } from '../client/Call.js';
import { AttemptScope } from './AttemptScope.js';

/** A step run by `withinScope` took longer than its limit. */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
}

/**
 * Runs one step of a call that is not a try (the router, the classifier) under the call's scope:
 * it stops waiting at `limitMs`, at the call's deadline, or when the caller aborts, and hands the
 * step a signal that aborts then too, so that a request it makes is cut off as well.
 * @throws StepTimeoutError past `limitMs`; the call's abort reason when the call was aborted
 */
export function withinScope<T>(call: Call, limitMs: number, step: (signal: AbortSignal) => Promise<T> | T): Promise<T> {
  const scope = new AttemptScope(call.scope, limitMs);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(scope.timedOut ? new StepTimeoutError(`No answer within ${limitMs} ms.`) : call.scope.reason());
    if (scope.signal.aborted) return onAbort();
    scope.signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => step(scope.signal))
      .then(resolve, reject)
      .finally(() => {
        scope.signal.removeEventListener('abort', onAbort);
        scope.dispose();
      });
  });
}
