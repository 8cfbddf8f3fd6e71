import { EventEmitter } from 'eventemitter3';
import type { TieredEventName, TieredEvents } from './events.js';

/** The typed emitter of `client.events`. */
export type TieredEventEmitter = EventEmitter<TieredEvents>;

type Payload<E extends TieredEventName> = Parameters<TieredEvents[E]>[0];
/** eventemitter3's record of one listener (its `_events` entries; pinned by the listener tests of test/events.test.ts). */
interface Handler {
  readonly fn: (payload: unknown) => void;
  readonly context: unknown;
  readonly once: boolean;
}

/**
 * Emits `client.events` safely: a payload is built only when someone listens (callers check
 * `wants()` first), and a listener that throws can neither break the request nor keep the other
 * listeners from hearing the event (eventemitter3's own `emit` stops at a throw and propagates it).
 * A listener's error becomes a process warning, once per listener.
 */
export class Telemetry {
  readonly events: TieredEventEmitter = new EventEmitter<TieredEvents>();
  private readonly reported = new WeakSet<object>();

  /** True when `event` has listeners: check before building its payload. */
  wants(event: TieredEventName): boolean {
    return this.events.listenerCount(event) > 0;
  }

  emit<E extends TieredEventName>(event: E, payload: Payload<E>): void {
    const handlers = (this.events as unknown as { _events: Record<string, Handler | Handler[] | undefined> })._events[event];
    if (handlers === undefined) return;
    if (!Array.isArray(handlers)) return this.call(event, handlers, payload);
    // A copy: once() listeners remove themselves as they run.
    for (const handler of handlers.slice()) this.call(event, handler, payload);
  }

  private call(event: TieredEventName, handler: Handler, payload: unknown): void {
    if (handler.once) this.events.removeListener(event, handler.fn as never, undefined, true);
    try {
      handler.fn.call(handler.context, payload);
    } catch (error) {
      if (this.reported.has(handler.fn)) return;
      this.reported.add(handler.fn);
      process.emitWarning(`A listener of '${event}' threw: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'TIERED_LLM_LISTENER_ERROR',
      });
    }
  }
}
