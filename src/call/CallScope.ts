/** Why a call was aborted. */
export type CallAbortReason = 'caller' | 'deadline';

/** What a call's scope aborts with it: the attempt or step in flight. The scope knows it by this alone. */
export interface ScopeChild {
  /** The call was aborted: abort too, with `reason`. */
  abortFromOutside(reason: unknown): void;
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
 * The deadline is one unref'd timer per call, the only one: a attempt's own limit is its own scope's,
 * and every wait listens to `signal`. The caller's signal gets one listener, shared by every call in
 * flight on it and removed with the last; the scope's own `AbortSignal` is only made when a wait
 * needs one.
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
  #deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(callerSignal: AbortSignal | undefined | null, deadlineMs: number) {
    this.deadlineAt = Date.now() + deadlineMs;
    this.#callerSignal = callerSignal ?? undefined;
    if (this.#callerSignal?.aborted) {
      this.abortReason = 'caller';
      return;
    }
    if (this.#callerSignal !== undefined) watch(this.#callerSignal, this);
    if (deadlineMs <= longestTimerMs) {
      this.#deadline = setTimeout(passDeadline, deadlineMs, this);
      this.#deadline.unref();
    }
  }

  /** An `AbortSignal` that follows the scope, for waits. Made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.abortReason !== undefined) this.#controller.abort(this.reason());
    }
    return this.#controller.signal;
  }

  /** Milliseconds left before the deadline (0 once it has passed). */
  remainingMs(now = Date.now()): number {
    return Math.max(0, this.deadlineAt - now);
  }

  /** What the call was aborted with: the caller's own reason, or a deadline error. */
  reason(): unknown {
    return this.abortReason === 'caller'
      ? (this.#callerSignal?.reason ?? new DOMException('This operation was aborted', 'AbortError'))
      : new Error('The call deadline passed.');
  }

  /** Makes `child` the attempt or step in flight, aborted with the call; returns false when the call already was. */
  enter(child: ScopeChild): boolean {
    if (this.abortReason !== undefined) return false;
    this.#child = child;
    return true;
  }

  /** `child` is over: the call no longer aborts it. */
  leave(child: ScopeChild): void {
    if (this.#child === child) this.#child = undefined;
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
    this.#stopDeadline();
    const cause = this.reason();
    this.#child?.abortFromOutside(cause);
    this.#controller?.abort(cause);
  }

  /** Releases the deadline timer and the listeners on the caller's signals. Idempotent. */
  dispose(): void {
    this.#stopDeadline();
    if (this.#callerSignal !== undefined) unwatch(this.#callerSignal, this);
    if (this.#followed !== undefined) for (const signal of this.#followed) signal.removeEventListener('abort', this);
    this.#followed = undefined;
  }

  #stopDeadline(): void {
    if (this.#deadline === undefined) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }
}

// Module-level, not a closure per call: the timer carries the scope as its argument.
function passDeadline(scope: CallScope): void {
  scope.abort('deadline');
}
