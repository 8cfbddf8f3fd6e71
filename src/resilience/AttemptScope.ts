import type { ControllerTaker } from '../catalog/ProviderClient.js';
import type { CallScope } from './CallScope.js';

/**
 * The abort signal of one try: aborts with its call, when its time limit passes, or at the call's
 * deadline. Each try gets its own so that a timeout cancels that request only, and so that the
 * `openai` client's listener on it dies with the try instead of piling up on the caller's signal.
 *
 * One timer per try, whatever the limits: it is set for the nearest of the try's limit and the
 * call's deadline. A stream's reads only stamp `lastActivity` when the caller asks for a chunk (no
 * timer work per chunk); the timer re-arms itself for the rest of the silence when it finds one.
 *
 * The limit counts only while the try is `waiting` for the provider: a stream whose caller is slow
 * to read (not waiting on us) is not the provider's silence. The call's deadline counts always.
 *
 * A request made by one of our provider clients hands the scope its own AbortController (`adopt`):
 * the scope then needs no controller of its own, made only when someone asks for `signal`.
 */
export class AttemptScope implements ControllerTaker {
  /** True once the try's own time limit (not the call's deadline) fired. */
  timedOut = false;
  /** `Date.now()` when the provider's current silence began (the try started, or the caller asked for a chunk). */
  lastActivity: number;
  /** True while the try waits for the provider (always, but for a stream between two reads). */
  waiting = true;
  /** Called when the try is aborted from outside (its time limit, its call's abort or deadline). */
  onAbort: (() => void) | undefined;
  /** Set once the try is aborted: what it was aborted with. */
  private abortedWith: { readonly reason: unknown } | undefined;
  private controller: AbortController | undefined;
  /** The controller of the request in flight, when its client handed it over. */
  private adopted: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private limitMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly call: CallScope,
    limitMs: number,
  ) {
    this.lastActivity = Date.now();
    if (call.abortReason !== undefined) {
      this.abortedWith = { reason: call.reason() };
      return;
    }
    call.current = this;
    this.setLimit(limitMs);
  }

  /** An AbortSignal that aborts with the try, for a client that takes one. Made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortedWith !== undefined) this.controller.abort(this.abortedWith.reason);
    }
    return this.controller.signal;
  }

  /** True once the try was aborted (its time limit, its call's abort or deadline, or `cancel`). */
  get aborted(): boolean {
    return this.abortedWith !== undefined;
  }

  /** Takes hold of the request's own controller, to abort it with the try (at once if it already was). */
  adopt(controller: AbortController): void {
    // No reason, as openai aborts it itself: fetch and openai's stream then see a plain AbortError.
    if (this.abortedWith !== undefined) controller.abort();
    else this.adopted = controller;
  }

  /** Sets the longest silence allowed from now on (first-token, then idle, for a stream). */
  setLimit(limitMs: number): void {
    this.limitMs = limitMs;
    this.lastActivity = Date.now();
    this.arm(this.lastActivity);
  }

  /** The caller asks for the next chunk: the provider's silence counts from now. */
  beginWait(): void {
    this.lastActivity = Date.now();
    this.waiting = true;
  }

  /** The chunk came: whatever the caller does with it does not count against the provider. */
  endWait(): void {
    this.waiting = false;
  }

  /** @internal The timer fired: time out, pass the deadline, or re-arm for the rest of the silence. */
  check(): void {
    this.timer = undefined;
    const now = Date.now();
    if (this.call.remainingMs(now) === 0) return this.call.abort('deadline');
    if (this.waiting && now - this.lastActivity >= this.limitMs) {
      this.timedOut = true;
      return this.abortFromOutside(new Error('The try timed out.'));
    }
    this.arm(now);
  }

  /** @internal The call aborted, or the time limit passed: abort, and tell whoever watches. */
  abortFromOutside(reason: unknown): void {
    this.cancel(reason);
    this.onAbort?.();
  }

  /** Aborts the try (its request in flight, if any) and releases it. */
  cancel(reason?: unknown): void {
    this.dispose();
    if (this.abortedWith !== undefined) return;
    this.abortedWith = { reason };
    this.controller?.abort(reason);
    this.adopted?.abort();
  }

  /** Releases the timer and unhooks from the call, without aborting anything. Idempotent. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.call.current === this) this.call.current = undefined;
  }

  private arm(now: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    // Not waiting (a stream's caller is busy): look again a full limit from now.
    const limit = this.waiting ? this.lastActivity + this.limitMs - now : this.limitMs;
    const wait = Math.min(limit, this.call.remainingMs(now));
    if (!Number.isFinite(wait) || this.abortedWith !== undefined) return;
    this.timer = setTimeout(check, Math.max(0, wait), this);
    this.timer.unref();
  }
}

function check(scope: AttemptScope): void {
  scope.check();
}
