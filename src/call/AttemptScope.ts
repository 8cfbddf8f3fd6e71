import type { ControllerTaker } from '../catalog/ProviderClient.js';
import type { CallScope, ScopeChild } from './CallScope.js';

/**
 * The abort signal of one attempt (or one step: the router, the classifier): aborts with its call, or
 * when its own time limit passes. Each attempt gets its own so that a timeout cancels that request
 * only, and so that the `openai` client's listener on it dies with the attempt instead of piling up on
 * the caller's signal. The call's deadline aborts the attempt in flight through `abortFromOutside`.
 *
 * No timer of its own: it asks the call's one timer to wake it at its limit (`CallScope.wake`). A
 * stream's reads only stamp `lastActivity` when the caller asks for a chunk (no timer work per
 * chunk); woken, it asks again for the rest of the silence when it finds one. The limit counts only while the attempt is `waiting` for the provider: a stream whose
 * caller is slow to read (not waiting on us) is not the provider's silence.
 *
 * A request made by one of our provider clients hands the scope its own AbortController (`adopt`):
 * the scope then needs no controller of its own, made only when someone asks for `signal`.
 */
export class AttemptScope implements ControllerTaker, ScopeChild {
  /** True once the attempt's own time limit (not the call's deadline) fired. */
  timedOut = false;
  /** `Date.now()` when the provider's current silence began (the attempt started, or the caller asked for a chunk). */
  lastActivity: number;
  /** True while the attempt waits for the provider (always, but for a stream between two reads). */
  waiting = true;
  /** Called when the attempt is aborted from outside (its time limit, its call's abort or deadline). */
  onAbort: (() => void) | undefined;
  /** Set once the attempt is aborted: what it was aborted with. */
  #abortedWith: { readonly reason: unknown } | undefined;
  #controller: AbortController | undefined;
  /** The controller of the request in flight, when its client handed it over. */
  #adopted: AbortController | undefined;
  #limitMs = Number.POSITIVE_INFINITY;
  readonly #call: CallScope;

  constructor(call: CallScope, limitMs: number) {
    this.#call = call;
    this.lastActivity = Date.now();
    if (!call.enter(this)) {
      this.#abortedWith = { reason: call.reason() };
      return;
    }
    this.setLimit(limitMs);
  }

  /** An AbortSignal that aborts with the attempt, for a client that takes one. Made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortedWith !== undefined) this.#controller.abort(this.#abortedWith.reason);
    }
    return this.#controller.signal;
  }

  /** True once the attempt was aborted (its time limit, its call's abort or deadline, or `cancel`). */
  get aborted(): boolean {
    return this.#abortedWith !== undefined;
  }

  /** Takes hold of the request's own controller, to abort it with the attempt (at once if it already was). */
  adopt(controller: AbortController): void {
    // No reason, as openai aborts it itself: fetch and openai's stream then see a plain AbortError.
    if (this.#abortedWith !== undefined) controller.abort();
    else this.#adopted = controller;
  }

  /** Sets the longest silence allowed from now on (first-token, then idle, for a stream). */
  setLimit(limitMs: number): void {
    this.#limitMs = limitMs;
    this.lastActivity = Date.now();
    this.#arm(this.lastActivity);
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

  /** @internal The call's timer woke us: time out, or ask to be woken for the rest of the silence. */
  check(now: number): void {
    if (this.waiting && now - this.lastActivity >= this.#limitMs) {
      this.timedOut = true;
      return this.abortFromOutside(new Error('The attempt timed out.'));
    }
    this.#arm(now);
  }

  /** The call aborted, or the time limit passed: abort, and tell whoever watches. */
  abortFromOutside(reason: unknown): void {
    this.cancel(reason);
    this.onAbort?.();
  }

  /** Aborts the attempt (its request in flight, if any) and releases it. */
  cancel(reason?: unknown): void {
    this.dispose();
    if (this.#abortedWith !== undefined) return;
    this.#abortedWith = { reason };
    this.#controller?.abort(reason);
    this.#adopted?.abort();
  }

  /** Leaves the call (it no longer wakes or aborts this attempt), without aborting anything. Idempotent. */
  dispose(): void {
    this.#call.leave(this);
  }

  #arm(now: number): void {
    if (this.#abortedWith !== undefined) return;
    // Not waiting (a stream's caller is busy): look again a full limit from now. No limit of its
    // own: the call's timer is still armed, for the deadline.
    this.#call.wake(this.waiting ? this.lastActivity + this.#limitMs : now + this.#limitMs);
  }
}
