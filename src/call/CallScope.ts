/** Why a call was aborted. */
export type CallAbortReason = 'caller' | 'deadline';

/** What a call's scope aborts with it: the attempt or step in flight. The scope knows it by this alone. */
export interface ScopeChild {
  /** The call was aborted: abort too, with `reason`. */
  abortFromOutside(reason: unknown): void;
  /** The call's timer fired at the time the child asked for (`wake`): check its own limit. */
  check(now: number): void;
}

/** The calls listening to one caller signal, and the one listener they share. */
interface Watchers {
  readonly scopes: Set<CallScope>;
  readonly listener: () => void;
}

/**
 * One listener per caller signal, however many calls share it: a server's shutdown signal passed to
 * hundreds of concurrent calls would otherwise collect hundreds of listeners (and Node's warning).
 */
const watched = new WeakMap<AbortSignal, Watchers>();

function watch(signal: AbortSignal, scope: CallScope): void {
  let watchers = watched.get(signal);
  if (watchers === undefined) {
    const scopes = new Set<CallScope>();
    const listener = (): void => {
      watched.delete(signal);
      for (const each of scopes) each.abort('caller');
    };
    watchers = { scopes, listener };
    watched.set(signal, watchers);
    signal.addEventListener('abort', listener, { once: true });
  }
  watchers.scopes.add(scope);
}

function unwatch(signal: AbortSignal, scope: CallScope): void {
  const watchers = watched.get(signal);
  if (watchers === undefined || !watchers.scopes.delete(scope) || watchers.scopes.size > 0) return;
  watched.delete(signal);
  signal.removeEventListener('abort', watchers.listener);
}

// Above this, setTimeout fires at once (it overflows a 32-bit integer): such a deadline is no deadline.
const longestTimerMs = 2 ** 31 - 1;

/**
 * The abort scope of one whole call: it aborts when the caller's signal does (or a stream's
 * `controller`) or when the call's deadline passes, and takes the attempt in flight down with it.
 * Every attempt, wait and stream of the call hangs off it, so nothing keeps running after the caller
 * has its answer or its error.
 *
 * One unref'd timer per call, the call's: set for the deadline, or sooner when the attempt in
 * flight asks to be woken for its own limit (`wake`). It is armed only once the call can wait (an
 * attempt or step asks to be woken, a wait takes `signal`): a call the in-process cache answers sets none. The caller's
 * signal gets one listener, shared by every call in flight on it and removed with the last; the
 * scope's own `AbortSignal` is only made when a wait needs one.
 */
export class CallScope {
  /** Set once the call was aborted. */
  abortReason: CallAbortReason | undefined;
  /** `Date.now()` past which the call is out of time. */
  readonly deadlineAt: number;
  #child: ScopeChild | undefined;
  #controller: AbortController | undefined;
  readonly #callerSignal: AbortSignal | undefined;
  #followed: AbortSignal[] | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires. */
  #timerAt = Number.POSITIVE_INFINITY;
  /** Set by dispose(): the timer is never armed again. */
  #disposed = false;
  /** When the child in flight wants to check its limit. */
  #wantedAt = Number.POSITIVE_INFINITY;

  constructor(callerSignal: AbortSignal | undefined | null, deadlineMs: number) {
    this.deadlineAt = Date.now() + deadlineMs;
    this.#callerSignal = callerSignal ?? undefined;
    if (this.#callerSignal?.aborted) {
      this.abortReason = 'caller';
      return;
    }
    if (this.#callerSignal !== undefined) watch(this.#callerSignal, this);
  }

  /** An `AbortSignal` that follows the scope, for waits. Made on first use; arms the deadline. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.abortReason !== undefined) this.#controller.abort(this.reason());
      else this.#arm();
    }
    return this.#controller.signal;
  }

  /** What the call was aborted with: the caller's own reason, or a deadline error. */
  reason(): unknown {
    return this.abortReason === 'caller'
      ? (this.#callerSignal?.reason ?? new DOMException('This operation was aborted', 'AbortError'))
      : new Error('The call deadline passed.');
  }

  /** Makes `child` the attempt or step in flight, aborted with the call; returns false when the call already was. */
  enter(child: ScopeChild): boolean {
    // A deadline that passed during a wait that armed no timer (a store's own limit) is noticed here, before a request goes out.
    if (this.abortReason === undefined && Date.now() >= this.deadlineAt) this.abort('deadline');
    if (this.abortReason !== undefined) return false;
    this.#child = child;
    return true;
  }

  /** `child` is over: the call no longer aborts it, nor wakes for it. */
  leave(child: ScopeChild): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#wantedAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Wakes the child in flight at `at` (`Date.now()` time; Infinity: never) to `check` its limit: the
   * call's one timer is set for that, or for the deadline when it is sooner.
   */
  wake(at: number): void {
    this.#wantedAt = at;
    this.#arm();
  }

  /** @internal The timer fired: the deadline passed, or the child's time to check its limit came. */
  fired(): void {
    this.#timer = undefined;
    const now = Date.now();
    if (now >= this.deadlineAt) return this.abort('deadline');
    if (now >= this.#wantedAt) {
      this.#wantedAt = Number.POSITIVE_INFINITY;
      // The child re-arms through wake() when it still has a limit to watch.
      this.#child?.check(now);
    }
    if (this.#timer === undefined && this.abortReason === undefined) this.#arm();
  }

  /** Aborts the call with another signal too (a stream's `controller`); released by `dispose()`. */
  follow(signal: AbortSignal): void {
    if (signal.aborted) return this.abort('caller');
    signal.addEventListener('abort', this, { once: true });
    (this.#followed ??= []).push(signal);
  }

  /** @internal EventListenerObject: a followed signal (a stream's controller) aborted. */
  handleEvent(): void {
    this.abort('caller');
  }

  abort(reason: CallAbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.#stopTimer();
    const cause = this.reason();
    this.#child?.abortFromOutside(cause);
    this.#controller?.abort(cause);
  }

  /** Releases the timer and the listeners on the caller's signals. Idempotent. */
  dispose(): void {
    this.#disposed = true;
    this.#stopTimer();
    if (this.#callerSignal !== undefined) unwatch(this.#callerSignal, this);
    if (this.#followed !== undefined) for (const signal of this.#followed) signal.removeEventListener('abort', this);
    this.#followed = undefined;
  }

  #arm(): void {
    if (this.#disposed) return;
    const target = Math.min(this.#wantedAt, this.deadlineAt);
    if (this.#timer !== undefined) {
      if (target === this.#timerAt) return;
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#timerAt = target;
    if (!Number.isFinite(target) || this.abortReason !== undefined) return;
    // Capped: setTimeout fires at once past 2^31 - 1 ms; the timer then re-arms for the rest.
    this.#timer = setTimeout(fire, Math.min(Math.max(0, target - Date.now()), longestTimerMs), this);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

// Module-level, not a closure per call: the timer carries the scope as its argument.
function fire(scope: CallScope): void {
  scope.fired();
}
