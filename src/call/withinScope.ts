import type { Call } from './Call.js';
import { AttemptScope } from './AttemptScope.js';
import { withinTime } from './timeLimit.js';

/** A step run by `withinScope` took longer than its limit. */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
}

const noLimit = (): never => {
  throw new Error('unreachable: the step has no limit of its own here');
};

/**
 * Runs one step of a call that is not an attempt (the router, the classifier, a cache write the caller
 * waits for) under the call's scope: it stops waiting at `limitMs` or when the call is aborted (its
 * caller, its deadline), and hands the step a signal that aborts then too, so that a request it
 * makes is cut off as well.
 * @throws StepTimeoutError past `limitMs`; the call's abort reason when the call was aborted
 */
export function withinScope<T>(call: Call, limitMs: number, step: (signal: AbortSignal) => PromiseLike<T> | T): Promise<T> {
  const scope = new AttemptScope(call.scope, limitMs);
  // Aborted already: the step is not run at all (a request it made would only be cut off).
  if (scope.aborted) return Promise.reject(call.scope.reason());
  const { signal } = scope;
  const done = Promise.resolve()
    .then(() => step(signal))
    .finally(() => scope.dispose());
  return withinTime(done, Number.POSITIVE_INFINITY, noLimit, signal).catch((error: unknown) => {
    if (!signal.aborted) throw error;
    throw scope.timedOut ? new StepTimeoutError(`No answer within ${limitMs} ms.`) : call.scope.reason();
  });
}
