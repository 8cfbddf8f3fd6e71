import type { AttemptScope } from './AttemptScope.js';

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

/** Why a call was aborted. */
export type CallAbortReason = 'caller' | 'deadline';

/**
 * The abort scope of one whole call: it aborts when the caller's signal does (or a stream's
 * `controller`) or when the call's deadline passes, and takes the try in flight down with it.
 * Every try, wait and stream of the call hangs off it, so nothing keeps running after the caller
 * has its answer or its error.
 *
 * Cheap on the hot path: the caller's signal gets one listener, shared by every call in flight on it
 * and removed with the last (a long-lived signal shared by thousands of calls accumulates nothing); the deadline needs no timer
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
    if (this.callerSignal !== undefined) watch(this.callerSignal, this);
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

  /** @internal EventListenerObject: a followed signal (a stream's controller) aborted. */
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
    if (this.callerSignal !== undefined) unwatch(this.callerSignal, this);
    if (this.followed !== undefined) for (const signal of this.followed) signal.removeEventListener('abort', this);
  }
}
