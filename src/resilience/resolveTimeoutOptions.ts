import { count, section } from '../errors/checkOption.js';

/** Time limits with their defaults filled in (`Infinity`: no limit); see `TimeoutOptions` on the client. */
export interface TimeoutSettings {
  readonly requestMs: number;
  readonly firstTokenMs: number;
  readonly idleMs: number;
  readonly deadlineMs: number;
}

/** Checks the `timeouts` option and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveTimeoutOptions(value: unknown, defaults: TimeoutSettings): TimeoutSettings {
  const timeouts = section(value, 'timeouts', ['requestMs', 'firstTokenMs', 'idleMs', 'deadlineMs']);
  const limit = { min: 1, infinite: true };
  return {
    requestMs: count(timeouts, 'timeouts.requestMs', defaults.requestMs, limit),
    firstTokenMs: count(timeouts, 'timeouts.firstTokenMs', defaults.firstTokenMs, limit),
    idleMs: count(timeouts, 'timeouts.idleMs', defaults.idleMs, limit),
    deadlineMs: count(timeouts, 'timeouts.deadlineMs', defaults.deadlineMs, limit),
  };
}
