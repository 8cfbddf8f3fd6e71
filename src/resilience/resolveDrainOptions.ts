import { count, section } from '../errors/checkOption.js';

/** Draining of slow deployments; see `DrainOptions` on the client. */
export interface DrainSettings {
  readonly p99Ms: number;
  readonly forMs: number;
  readonly cooldownMs: number;
}

/** Checks the `drain` option (off when not given) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveDrainOptions(value: unknown, defaults: DrainSettings): DrainSettings | undefined {
  if (value === undefined) return undefined;
  const drain = section(value, 'drain', ['p99Ms', 'forMs', 'cooldownMs']);
  return {
    p99Ms: count(drain, 'drain.p99Ms', defaults.p99Ms, { min: 1 }),
    forMs: count(drain, 'drain.forMs', defaults.forMs),
    cooldownMs: count(drain, 'drain.cooldownMs', defaults.cooldownMs, { min: 1 }),
  };
}
