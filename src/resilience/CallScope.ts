import type { AttemptScope } from './AttemptScope.js';

/** Why a call was aborted. */
export type CallAbortReason = 'caller' | 'deadline';

/**
 * The abort scope of one whole call: it aborts when the caller's signal does (or a stream's
 * `controller`) or when the call's deadline passes, and takes the try in flight down with it.
 * Every try, wait and stream of the call hangs off it, so nothing keeps running after the caller
 * has its answer or its error.
 *
 * Cheap on the hot path: the caller's signal gets exactly one listener, removed by `dispose()` (a
 * long-lived signal shared by thousands of calls accumulates nothing); the deadline needs no timer
 * of its own (each try's timer and each wait stop at it); the scope's own `AbortSignal` is only
 * made when a wait needs one.
 */
export class CallScope {
  /** Set once the call was aborted. */
  abortReason: CallAbortReason | undefined;
  /** The try in flight, aborted with the call. */
  current: AttemptScope | undefined;
  /** `Date.now()` past which the call is out of time. */
  readonly deadlineAt: number;
  private controller: AbortController | undefined;
  private readonly callerSignal: AbortSignal | undefined;
  private followed: AbortSignal[] | undefined;

  constructor(callerSignal: AbortSignal | undefined | null, deadlineMs: number) {
    this.deadlineAt = Date.now() + deadlineMs;
    this.callerSignal = callerSignal ?? undefined;
    if (this.callerSignal?.aborted) {
      this.abortReason = 'caller';
      return;
    }
    // `this` as the listener object (handleEvent): no closure per call.
    this.callerSignal?.addEventListener('abort', this, { once: true });
  }

  /** An `AbortSignal` that follows the scope, for waits. Made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.reason());
    }
    return this.controller.signal;
  }

  /** Milliseconds left before the deadline (0 once it has passed). */
  remainingMs(now = Date.now()): number {
    return Math.max(0, this.deadlineAt - now);
  }

  /** What the call was aborted with: the caller's own reason, or a deadline error. */
  reason(): unknown {
    return this.abortReason === 'caller'
      ? (this.callerSignal?.reason ?? new DOMException('This operation was aborted', 'AbortError'))
      : new Error('The call deadline passed.');
  }

  /** Aborts the call with another signal too (a stream's `controller`); released by `dispose()`. */
  follow(signal: AbortSignal): void {
    if (signal.aborted) return this.abort('caller');
    signal.addEventListener('abort', this, { once: true });
    (this.followed ??= []).push(signal);
  }

  /** @internal EventListenerObject: the caller's signal (or a followed one) aborted. */
  handleEvent(): void {
    this.abort('caller');
  }

  abort(reason: CallAbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.current?.abortFromOutside(this.reason());
    this.controller?.abort(this.reason());
  }

  /** Releases the listeners on the caller's signals. Idempotent. */
  dispose(): void {
    this.callerSignal?.removeEventListener('abort', this);
    if (this.followed !== undefined) for (const signal of this.followed) signal.removeEventListener('abort', this);
  }
}
