import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';
import type { AffinityMode } from './Affinity.js';

/** Checks the `affinity` option: its mode, or undefined when it is off (`false`). */
export function resolveAffinityOption(value: unknown, byDefault: 'conversation'): AffinityMode | undefined {
  if (value === undefined) return byDefault;
  if (value === false) return undefined;
  if (value === 'conversation' || typeof value === 'function') return value as AffinityMode;
  throw new ConfigError(
    'affinity',
    `must be 'conversation', false or a function (params, options) => key, got ${showValue(value)}`,
    "Omit it to keep each conversation on one deployment ('conversation'), or set false to route every call afresh.",
  );
}
