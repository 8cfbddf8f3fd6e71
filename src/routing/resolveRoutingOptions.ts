import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';
import { checkFallbackPolicy, type FallbackPolicy } from './FallbackPolicy.js';
import type { LoadBalancing } from './loadBalancing.js';

/** Checks the `fallback` option against the catalog's chat tiers, or gives `byDefault` when it is not set. */
export function resolveFallback(value: unknown, catalog: Catalog, byDefault: FallbackPolicy): FallbackPolicy {
  return checkFallbackPolicy(value ?? byDefault, chatView(catalog).tiers);
}

/** Checks the `loadBalancing` option, or gives `byDefault` when it is not set. */
export function resolveLoadBalancing(value: unknown, byDefault: LoadBalancing): LoadBalancing {
  if (value === undefined) return byDefault;
  if (value === 'ordered' || value === 'weighted' || value === 'least-latency') return value;
  throw new ConfigError(
    'loadBalancing',
    `must be 'ordered', 'weighted' or 'least-latency', got ${showValue(value)}`,
    'See loadBalancing in docs/guide/routing.md.',
  );
}

/** Checks that the `router` option, when set, is a function. */
export function checkRouter(value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError('router', 'must be a function (request) => tier', 'Return a tier name, or a promise of one.');
  }
}
