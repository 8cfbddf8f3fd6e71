import { EventEmitter } from 'eventemitter3';
import type { TieredEventName, TieredEvents } from './events.js';

/** The typed emitter of `client.events`. */
export type TieredEventEmitter = EventEmitter<TieredEvents>;

type Payload<E extends TieredEventName> = Parameters<TieredEvents[E]>[0];

/**
 * Emits `client.events` safely: a payload is built only when someone listens, and a listener that
 * throws cannot break the request (eventemitter3 would propagate the throw into our code). The
 * listener's error is reported once per listener through `process.emitWarning` so it is not lost.
 */
export class Telemetry {
  readonly events: TieredEventEmitter = new EventEmitter<TieredEvents>();

  /** True when `event` has listeners: check before building its payload. */
  wants(event: TieredEventName): boolean {
    return this.events.listenerCount(event) > 0;
  }

  emit<E extends TieredEventName>(event: E, payload: Payload<E>): void {
    try {
      (this.events.emit as (event: E, payload: Payload<E>) => boolean)(event, payload);
    } catch (error) {
      process.emitWarning(`A listener of '${event}' threw: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'TIERED_LLM_LISTENER_ERROR',
      });
    }
  }
}
