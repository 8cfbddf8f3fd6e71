import type { EventEmitter } from 'eventemitter3';
import type { TieredEventName, TieredEvents } from './events.js';
import { SafeEmitter } from './SafeEmitter.js';

/** The typed emitter of `client.events`. */
export type TieredEventEmitter = EventEmitter<TieredEvents>;

type Payload<E extends TieredEventName> = Parameters<TieredEvents[E]>[0];

/**
 * Emits `client.events`: a payload is built only when someone listens (callers check `wants()`
 * first); a listener that throws is isolated ({@link SafeEmitter}).
 */
export class Telemetry {
  readonly events: TieredEventEmitter = new SafeEmitter();

  /** True when `event` has listeners: check before building its payload. */
  wants(event: TieredEventName): boolean {
    return this.events.listenerCount(event) > 0;
  }

  emit<E extends TieredEventName>(event: E, payload: Payload<E>): void {
    (this.events as SafeEmitter).emit(event, payload as never);
  }
}
