import { resolveBudgetOptions, type BudgetSettings } from '../budget/resolveBudgetOptions.js';
import { resolveCacheOptions, type CacheWithSemantic } from '../cache/resolveCacheOptions.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { flag, section } from '../errors/checkOption.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { resolveMetricsOptions, type MetricsSettings } from '../metrics/resolveMetricsOptions.js';
import { resolveSloOptions, type SloSettings } from '../metrics/resolveSloOptions.js';
import { resolveBreakerOptions, type BreakerSettings } from '../resilience/resolveBreakerOptions.js';
import { resolveDrainOptions, type DrainSettings } from '../resilience/resolveDrainOptions.js';
import { resolveRetryOptions, type RetrySettings } from '../resilience/resolveRetryOptions.js';
import { resolveTimeoutOptions, type TimeoutSettings } from '../resilience/resolveTimeoutOptions.js';
import type { FallbackPolicy } from '../routing/FallbackPolicy.js';
import type { LoadBalancing } from '../routing/loadBalancing.js';
import { resolveClassifierOptions, type GradingSettings } from '../routing/resolveClassifierOptions.js';
import { resolveShadowOptions, type ShadowSettings } from '../quality/resolveShadowOptions.js';
import type { AffinityMode } from '../routing/Affinity.js';
import { resolveAffinityOption } from '../routing/resolveAffinityOption.js';
import { checkRouter, resolveFallback, resolveLoadBalancing } from '../routing/resolveRoutingOptions.js';
import { resolveRegionOptions, resolveWithinRegions, type RegionSettings } from '../routing/resolveRegionOptions.js';
import { defaults } from './defaults.js';
import { resolveRateLimitOptions, type RateLimitSettings } from '../limits/resolveRateLimitOptions.js';
import type { Router, TieredClientOptions } from './options.js';

// Kept here too: callers resolving per-call options use it under this name.
export { count } from '../errors/checkOption.js';

/** Client options with every default filled in and every value checked. */
export interface Settings {
  readonly catalog: Catalog;
  readonly fallback: FallbackPolicy;
  readonly loadBalancing: LoadBalancing;
  /** How a chat call's conversation key is made; undefined: affinity off. */
  readonly affinity: AffinityMode | undefined;
  readonly drain: DrainSettings | undefined;
  readonly qualityEscalation: boolean;
  readonly budget: BudgetSettings | undefined;
  readonly metrics: MetricsSettings;
  readonly slo: SloSettings | undefined;
  readonly retry: RetrySettings;
  readonly breaker: BreakerSettings;
  readonly timeouts: TimeoutSettings;
  readonly router: Router | undefined;
  readonly captureContent: boolean;
  readonly classifier: GradingSettings | undefined;
  readonly cache: CacheWithSemantic | undefined;
  readonly shadow: ShadowSettings | undefined;
  /** Serves the resources the client does not route, and passthrough models. */
  readonly defaultProvider: string;
  readonly unknownModels: 'reject' | 'passthrough';
  /** `region` and `regions`, with the catalog within `regions.only` that every route is built from. */
  readonly regions: RegionSettings;
  readonly rateLimit: RateLimitSettings;
}

const topLevel = [
  'catalog',
  'loadBalancing',
  'affinity',
  'drain',
  'qualityEscalation',
  'budget',
  'metrics',
  'slo',
  'fallback',
  'retry',
  'breaker',
  'timeouts',
  'router',
  'classifier',
  'telemetry',
  'cache',
  'shadow',
  'defaultProvider',
  'unknownModels',
  'region',
  'regions',
  'rateLimit',
];

/**
 * Fills in the defaults and validates; @throws ConfigError naming the option. Each section is
 * checked by the resolver beside its component, given its part of the {@link defaults} table.
 */
export function resolveOptions(options: TieredClientOptions): Settings {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object', 'Pass { catalog } at least.');
  rejectUnknownKeys(options, topLevel, '', 'option');
  const { catalog } = options;
  if (typeof catalog !== 'object' || catalog === null || !Array.isArray(catalog.deployments)) {
    throw new ConfigError('catalog', 'must come from defineCatalog()', 'Build it with defineCatalog({ providers, tiers, models }).');
  }
  checkRouter(options.router);
  const telemetry = section(options.telemetry, 'telemetry', ['captureContent']);
  const regions = resolveRegionOptions(options, catalog);
  const cache = resolveWithinRegions(regions, catalog, (within) => resolveCacheOptions(options.cache, within, defaults.cache));
  return {
    catalog,
    retry: resolveRetryOptions(options.retry, defaults.retry),
    breaker: resolveBreakerOptions(options.breaker, defaults.breaker),
    timeouts: resolveTimeoutOptions(options.timeouts, defaults.timeouts),
    drain: resolveDrainOptions(options.drain, defaults.drain),
    fallback: resolveFallback(options.fallback, catalog, defaults.fallback),
    loadBalancing: resolveLoadBalancing(options.loadBalancing, defaults.loadBalancing),
    affinity: resolveAffinityOption(options.affinity, defaults.affinity),
    router: options.router as Router | undefined,
    classifier: resolveWithinRegions(regions, catalog, (within) =>
      resolveClassifierOptions(options.classifier, within, defaults.classifier),
    ),
    qualityEscalation: flag(options.qualityEscalation, 'qualityEscalation', defaults.qualityEscalation),
    captureContent: flag(
      telemetry.captureContent,
      'telemetry.captureContent',
      defaults.telemetry.captureContent,
      'Set true to put prompts and answers in events.',
    ),
    metrics: resolveMetricsOptions(options.metrics, catalog, defaults.metrics),
    slo: resolveSloOptions(options.slo, catalog, defaults.slo),
    cache,
    shadow: resolveWithinRegions(regions, catalog, (within) => resolveShadowOptions(options.shadow, within, defaults.shadow)),
    defaultProvider: resolveDefaultProvider(options.defaultProvider, catalog),
    unknownModels: resolveUnknownModels(options.unknownModels),
    regions,
    rateLimit: resolveRateLimitOptions(options.rateLimit, defaults.rateLimit),
    // Calls that name no namespace count against the cache's default one.
    budget: resolveBudgetOptions(options.budget, cache?.namespace ?? defaults.cache.namespace, defaults.budget),
  };
}

function resolveDefaultProvider(value: unknown, catalog: Catalog): string {
  const names = Object.keys(catalog.providers);
  if (value === undefined) return names[0]!;
  if (typeof value === 'string' && names.includes(value)) return value;
  throw new ConfigError(
    'defaultProvider',
    `must name a provider of the catalog, got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
    `One of: ${names.join(', ')}.`,
  );
}

function resolveUnknownModels(value: unknown): 'reject' | 'passthrough' {
  if (value === undefined) return defaults.unknownModels;
  if (value === 'reject' || value === 'passthrough') return value;
  throw new ConfigError(
    'unknownModels',
    `must be 'reject' or 'passthrough', got ${String(value)}`,
    "'passthrough' sends models the catalog does not know to defaultProvider.",
  );
}
