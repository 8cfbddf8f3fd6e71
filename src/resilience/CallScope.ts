/** Why a call's signal aborted. */
export type CallAbortReason = 'caller' | 'deadline';

/**
 * The abort signal of one whole call: it fires when the caller's signal aborts or when the call's
 * deadline passes, whichever comes first. Every attempt, wait and stream of the call hangs off it,
 * so nothing keeps running after the caller has its answer or its error.
 *
 * The caller's signal gets exactly one listener, removed by `dispose()`: a long-lived signal shared by
 * thousands of calls accumulates nothing (the `openai` client would leave one per request).
 */
export class CallScope {
  readonly signal: AbortSignal;
  /** Set once the signal has aborted. */
  abortReason: CallAbortReason | undefined;
  private readonly controller = new AbortController();
  private readonly callerSignal: AbortSignal | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private followed: AbortSignal[] | undefined;

  constructor(callerSignal: AbortSignal | undefined | null, deadlineMs: number) {
    this.signal = this.controller.signal;
    this.callerSignal = callerSignal ?? undefined;
    if (this.callerSignal?.aborted) {
      this.abort('caller');
      return;
    }
    // `this` as the listener object (handleEvent) and as the timer's argument: no closure per call.
    this.callerSignal?.addEventListener('abort', this, { once: true });
    if (Number.isFinite(deadlineMs)) {
      this.timer = setTimeout(abortAtDeadline, deadlineMs, this);
      this.timer.unref();
    }
  }

  /** Aborts the call with another signal too (a stream's `controller`); released by `dispose()`. */
  follow(signal: AbortSignal): void {
    if (signal.aborted) return this.abort('caller');
    signal.addEventListener('abort', this, { once: true });
    (this.followed ??= []).push(signal);
  }

  /** @internal EventListenerObject: the caller's signal aborted. */
  handleEvent(): void {
    this.abort('caller');
  }

  abort(reason: CallAbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller.abort(
      reason === 'caller' ? (this.callerSignal?.reason ?? new DOMException('aborted', 'AbortError')) : new Error('deadline exceeded'),
    );
  }

  /** Releases the timer and the listener on the caller's signal. Idempotent. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this);
    if (this.followed !== undefined) for (const signal of this.followed) signal.removeEventListener('abort', this);
  }
}

function abortAtDeadline(scope: CallScope): void {
  scope.abort('deadline');
}
