import { EventEmitter } from 'eventemitter3';
import type { TieredEventName, TieredEvents } from './events.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any listener of any event
type Listener = (...args: any[]) => void;
/** Where a guard keeps the listener it stands for. */
const listened = Symbol('listener');
/** The wrapper a listener is registered as, pointing back at it. */
type Guarded = Listener & { readonly [listened]: Listener };

/**
 * `client.events`: eventemitter3's emitter, with every listener guarded as it is added, so that a
 * listener that throws can neither break the request nor keep the other listeners from hearing
 * the event (eventemitter3's own `emit` stops at a throw and propagates it). Its error becomes a
 * process warning, once per listener. Removal, `listeners()` and `once` work with the listener as
 * the application wrote it: the guard is invisible, and only the public API is used.
 */
export class SafeEmitter extends EventEmitter<TieredEvents> {
  /** The guard of each listener, per event: a guard's warning names its event. */
  readonly #guards = new Map<string, WeakMap<Listener, Guarded>>();
  readonly #reported = new WeakSet<Listener>();

  override on<T extends TieredEventName>(event: T, fn: EventEmitter.EventListener<TieredEvents, T>, context?: unknown): this {
    return super.on(event, this.#guard(event, fn as Listener) as never, context);
  }

  override addListener<T extends TieredEventName>(event: T, fn: EventEmitter.EventListener<TieredEvents, T>, context?: unknown): this {
    return super.addListener(event, this.#guard(event, fn as Listener) as never, context);
  }

  override once<T extends TieredEventName>(event: T, fn: EventEmitter.EventListener<TieredEvents, T>, context?: unknown): this {
    return super.once(event, this.#guard(event, fn as Listener) as never, context);
  }

  override off<T extends TieredEventName>(
    event: T,
    fn?: EventEmitter.EventListener<TieredEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return super.off(event, (fn === undefined ? undefined : (this.#guards.get(event)?.get(fn as Listener) ?? fn)) as never, context, once);
  }

  override removeListener<T extends TieredEventName>(
    event: T,
    fn?: EventEmitter.EventListener<TieredEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return super.removeListener(
      event,
      (fn === undefined ? undefined : (this.#guards.get(event)?.get(fn as Listener) ?? fn)) as never,
      context,
      once,
    );
  }

  override listeners<T extends TieredEventName>(event: T): EventEmitter.EventListener<TieredEvents, T>[] {
    return super.listeners(event).map((fn) => ((fn as Partial<Guarded>)[listened] ?? fn) as never);
  }

  #guard(event: TieredEventName, fn: Listener): Listener {
    if (typeof fn !== 'function') return fn;
    let guards = this.#guards.get(event);
    if (guards === undefined) this.#guards.set(event, (guards = new WeakMap()));
    let guarded = guards.get(fn);
    if (guarded !== undefined) return guarded;
    const reported = this.#reported;
    guarded = Object.assign(
      function (this: unknown, ...args: unknown[]): void {
        try {
          fn.apply(this, args);
        } catch (error) {
          if (reported.has(fn)) return;
          reported.add(fn);
          process.emitWarning(`A listener of '${event}' threw: ${error instanceof Error ? error.message : String(error)}`, {
            code: 'TIERED_LLM_LISTENER_ERROR',
          });
        }
      },
      { [listened]: fn },
    ) as Guarded;
    guards.set(fn, guarded);
    return guarded;
  }
}
