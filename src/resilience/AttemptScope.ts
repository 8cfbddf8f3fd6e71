/**
 * The abort signal of one try: aborts with its parent (the call) or when `timeoutMs` passes.
 * Each try gets its own so that a timeout cancels that request only, and so that the `openai`
 * client's listener on it dies with the try instead of piling up on the caller's signal.
 */
export class AttemptScope {
  readonly signal: AbortSignal;
  /** True once the try's own time limit fired. */
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly parent: AbortSignal,
    timeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    if (parent.aborted) {
      this.controller.abort(parent.reason);
      return;
    }
    parent.addEventListener('abort', this, { once: true });
    this.restartTimer(timeoutMs);
  }

  /** Restarts the time limit, e.g. after each chunk of a stream (idle timeout). */
  restartTimer(timeoutMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (Number.isFinite(timeoutMs) && !this.signal.aborted) {
      this.timer = setTimeout(abortOnTimeout, timeoutMs, this);
      this.timer.unref();
    }
  }

  /** Restarts the current time limit from now without a new timer (e.g. after each chunk). */
  refresh(): void {
    this.timer?.refresh();
  }

  /** @internal EventListenerObject: the call aborted. */
  handleEvent(): void {
    this.dispose();
    this.controller.abort(this.parent.reason);
  }

  /** @internal */
  timeOut(): void {
    this.timedOut = true;
    this.dispose();
    this.controller.abort(new Error('attempt timed out'));
  }

  /** Aborts the try (e.g. the caller stopped reading a stream) and releases its timer and listener. */
  cancel(reason?: unknown): void {
    this.dispose();
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  /** Releases the timer and the listener on the parent. Idempotent. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.parent.removeEventListener('abort', this);
  }
}

function abortOnTimeout(scope: AttemptScope): void {
  scope.timeOut();
}
