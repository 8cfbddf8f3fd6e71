import type { BudgetStore } from '../budget/BudgetStore.js';
import { MemoryBudgetStore } from '../budget/MemoryBudgetStore.js';
import type { BudgetSettings } from '../budget/SpendBudget.js';
import type { CacheStore } from '../cache/CacheStore.js';
import { LruCacheStore } from '../cache/LruCacheStore.js';
import type { CacheSettings } from '../cache/ResponseCache.js';
import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';
import type { BreakerSettings, DrainSettings } from '../resilience/LiveDeployment.js';
import type { Catalog, ModelEntry } from '../catalog/types.js';
import type { SloSettings } from '../metrics/MetricsRecorder.js';
import type { SloTargets } from '../metrics/SloWatch.js';
import { checkFallbackPolicy, type FallbackPolicy } from '../routing/FallbackPolicy.js';
import type { LoadBalancing } from '../routing/loadBalancing.js';
import type { Router, TieredClientOptions } from './options.js';

/** Client options with every default filled in and every value checked. */
export interface Settings {
  readonly catalog: Catalog;
  readonly fallback: FallbackPolicy;
  readonly loadBalancing: LoadBalancing;
  readonly drain: DrainSettings | undefined;
  readonly qualityEscalation: boolean;
  readonly budget: BudgetSettings | undefined;
  readonly metrics: { readonly windowMs: number; readonly baseline: ModelEntry };
  readonly slo: SloSettings | undefined;
  readonly retry: {
    readonly retries: number;
    readonly minTimeoutMs: number;
    readonly maxTimeoutMs: number;
    readonly factor: number;
    readonly maxRetryAfterMs: number;
  };
  readonly breaker: BreakerSettings;
  readonly timeouts: { readonly requestMs: number; readonly firstTokenMs: number; readonly idleMs: number; readonly deadlineMs: number };
  readonly router: Router | undefined;
  readonly captureContent: boolean;
  readonly classifier: { readonly model: string; readonly timeoutMs: number; readonly maxEntries: number } | undefined;
  readonly cache: (CacheSettings & { readonly semantic: SemanticOptions | undefined }) | undefined;
}

const topLevel = [
  'catalog',
  'loadBalancing',
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
];

/** Fills in the defaults and validates; @throws ConfigError naming the option. */
export function resolveOptions(options: TieredClientOptions): Settings {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object', 'Pass { catalog } at least.');
  rejectUnknownKeys(options, topLevel, '', 'option');
  const { catalog } = options;
  if (typeof catalog !== 'object' || catalog === null || !Array.isArray(catalog.deployments)) {
    throw new ConfigError('catalog', 'must come from defineCatalog()', 'Build it with defineCatalog({ providers, tiers, models }).');
  }
  const retry = section(options.retry, 'retry', ['retries', 'minTimeoutMs', 'maxTimeoutMs', 'factor', 'maxRetryAfterMs']);
  const breaker = section(options.breaker, 'breaker', ['errorThresholdPercentage', 'volumeThreshold', 'resetTimeoutMs', 'rollingWindowMs']);
  const timeouts = section(options.timeouts, 'timeouts', ['requestMs', 'firstTokenMs', 'idleMs', 'deadlineMs']);
  const telemetry = section(options.telemetry, 'telemetry', ['captureContent']);
  if (options.router !== undefined && typeof options.router !== 'function') {
    throw new ConfigError('router', 'must be a function (request) => tier', 'Return a tier name, or a promise of one.');
  }
  if (telemetry.captureContent !== undefined && typeof telemetry.captureContent !== 'boolean') {
    throw new ConfigError('telemetry.captureContent', 'must be a boolean', 'Set true to put prompts and answers in events.');
  }
  const minTimeoutMs = count(retry, 'retry.minTimeoutMs', 200);
  const maxTimeoutMs = count(retry, 'retry.maxTimeoutMs', 5_000);
  if (minTimeoutMs > maxTimeoutMs) {
    throw new ConfigError(
      'retry.minTimeoutMs',
      `must not be above retry.maxTimeoutMs (${maxTimeoutMs}${retry.maxTimeoutMs === undefined ? ', the default' : ''}), got ${minTimeoutMs}`,
      'Lower minTimeoutMs, or raise maxTimeoutMs to at least as much.',
    );
  }
  return {
    catalog,
    fallback: checkFallbackPolicy(options.fallback ?? 'escalate', catalog.tiers),
    loadBalancing: checkLoadBalancing(options.loadBalancing),
    drain: resolveDrain(options.drain),
    qualityEscalation: flag(options.qualityEscalation, 'qualityEscalation'),
    metrics: resolveMetrics(options.metrics, catalog),
    slo: resolveSlo(options.slo, catalog),
    budget: resolveBudget(options.budget, (options.cache === false ? undefined : options.cache?.namespace) ?? 'default'),
    retry: {
      retries: count(retry, 'retry.retries', 2, { integer: true }),
      minTimeoutMs,
      maxTimeoutMs,
      factor: count(retry, 'retry.factor', 2, { min: 1 }),
      maxRetryAfterMs: count(retry, 'retry.maxRetryAfterMs', 10_000),
    },
    breaker: {
      errorThresholdPercentage: count(breaker, 'breaker.errorThresholdPercentage', 50, { max: 100 }),
      volumeThreshold: count(breaker, 'breaker.volumeThreshold', 5, { integer: true }),
      resetTimeoutMs: count(breaker, 'breaker.resetTimeoutMs', 30_000, { min: 1 }),
      rollingWindowMs: count(breaker, 'breaker.rollingWindowMs', 10_000, { min: 10 }),
    },
    timeouts: {
      requestMs: count(timeouts, 'timeouts.requestMs', 60_000, { min: 1, infinite: true }),
      firstTokenMs: count(timeouts, 'timeouts.firstTokenMs', 10_000, { min: 1, infinite: true }),
      idleMs: count(timeouts, 'timeouts.idleMs', 30_000, { min: 1, infinite: true }),
      deadlineMs: count(timeouts, 'timeouts.deadlineMs', 120_000, { min: 1, infinite: true }),
    },
    router: options.router as Router | undefined,
    captureContent: telemetry.captureContent === true,
    cache: resolveCache(options.cache, catalog),
    classifier: resolveClassifier(options.classifier, catalog),
  };
}

function resolveClassifier(value: unknown, catalog: Catalog): Settings['classifier'] {
  if (value === undefined) return undefined;
  const classifier = section(value, 'classifier', ['model', 'timeoutMs', 'maxEntries']);
  const cheapest = catalog.deployments.find((d) => d.tierIndex === 0)!;
  const { model = cheapest.model.id } = classifier;
  if (typeof model !== 'string' || !catalog.models.some((m) => m.id === model)) {
    throw new ConfigError(
      'classifier.model',
      `${showValue(model)} is not a model id of the catalog`,
      'Name a cheap model of the catalog, or omit it for the cheapest tier.',
    );
  }
  return {
    model,
    timeoutMs: count(classifier, 'classifier.timeoutMs', 2_000, { min: 1 }),
    maxEntries: count(classifier, 'classifier.maxEntries', 1_000, { min: 1, integer: true }),
  };
}

/** Semantic cache options, checked; the provider's client is bound by the engine. */
export interface SemanticOptions {
  readonly embeddingModel: string;
  readonly provider: string;
  readonly threshold: number;
  readonly maxEntries: number;
}

function resolveCache(value: unknown, catalog: Catalog): (CacheSettings & { readonly semantic: SemanticOptions | undefined }) | undefined {
  if (value === undefined || value === false) return undefined;
  const cache = section(value, 'cache', ['maxEntries', 'maxBytes', 'ttlMs', 'policy', 'namespace', 'store', 'timeoutMs', 'semantic']);
  const { policy = 'always', namespace = 'default', store } = cache;
  if (policy !== 'always' && policy !== 'deterministic') {
    throw new ConfigError(
      'cache.policy',
      `must be 'always' or 'deterministic', got ${showValue(policy)}`,
      "'deterministic' caches only temperature: 0 requests.",
    );
  }
  if (typeof namespace !== 'string' || namespace === '')
    throw new ConfigError('cache.namespace', 'must be a non-empty string', 'E.g. the tenant or app name.');
  if (store !== undefined && !isStore(store)) {
    throw new ConfigError(
      'cache.store',
      'must have get, set and delete methods',
      'Pass a RedisCacheStore from tiered-llm/redis, or your own CacheStore.',
    );
  }
  return {
    store:
      (store as CacheStore | undefined) ??
      new LruCacheStore({
        maxEntries: count(cache, 'cache.maxEntries', 10_000, { min: 1, integer: true }),
        maxBytes: count(cache, 'cache.maxBytes', 64 * 2 ** 20, { min: 1, integer: true }),
      }),
    ttlMs: count(cache, 'cache.ttlMs', 3_600_000, { min: 1, infinite: true }),
    policy,
    namespace,
    timeoutMs: count(cache, 'cache.timeoutMs', 250, { min: 1 }),
    semantic: resolveSemantic(cache.semantic, catalog),
  };
}

function resolveSemantic(value: unknown, catalog: Catalog): SemanticOptions | undefined {
  if (value === undefined) return undefined;
  const semantic = section(value, 'cache.semantic', ['embeddingModel', 'provider', 'threshold', 'maxEntries']);
  const { embeddingModel, provider = Object.keys(catalog.providers)[0] } = semantic;
  if (typeof embeddingModel !== 'string' || embeddingModel === '') {
    throw new ConfigError('cache.semantic.embeddingModel', 'must name an embeddings model', "E.g. 'text-embedding-3-small'.");
  }
  if (typeof provider !== 'string' || !Object.hasOwn(catalog.providers, provider)) {
    throw new ConfigError(
      'cache.semantic.provider',
      `unknown provider ${showValue(provider)}`,
      `Use one of: ${Object.keys(catalog.providers).join(', ')}.`,
    );
  }
  const threshold = count(semantic, 'cache.semantic.threshold', 0.95, { max: 1 });
  if (threshold === 0)
    throw new ConfigError('cache.semantic.threshold', 'must be above 0', 'Near 1 means near-identical requests only, e.g. 0.95.');
  return {
    embeddingModel,
    provider,
    threshold,
    maxEntries: count(semantic, 'cache.semantic.maxEntries', 1_000, { min: 1, integer: true }),
  };
}

function isStore(value: unknown): value is CacheStore {
  const store = value as Partial<Record<keyof CacheStore, unknown>> | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.delete === 'function'
  );
}

function resolveBudget(value: unknown, defaultNamespace: string): BudgetSettings | undefined {
  if (value === undefined) return undefined;
  const budget = section(value, 'budget', ['limitUsd', 'windowMs', 'onExceeded', 'per', 'store', 'defaultMaxOutputTokens', 'timeoutMs']);
  if (budget.limitUsd === undefined) throw new ConfigError('budget.limitUsd', 'is required', 'E.g. limitUsd: 50 for $50 a window.');
  if (budget.windowMs === undefined) throw new ConfigError('budget.windowMs', 'is required', 'E.g. windowMs: 86_400_000 for a day.');
  const { onExceeded = 'reject', per, store } = budget;
  if (onExceeded !== 'reject' && onExceeded !== 'downgrade') {
    throw new ConfigError(
      'budget.onExceeded',
      `must be 'reject' or 'downgrade', got ${showValue(onExceeded)}`,
      "'downgrade' sends calls to the cheapest tier.",
    );
  }
  if (per !== undefined && per !== 'namespace')
    throw new ConfigError('budget.per', `must be 'namespace', got ${showValue(per)}`, 'Omit it for one budget per client.');
  const isStore = (s: unknown): s is BudgetStore =>
    typeof s === 'object' &&
    s !== null &&
    ['reserve', 'settle', 'record', 'spent'].every((m) => typeof (s as Record<string, unknown>)[m] === 'function');
  if (store !== undefined && !isStore(store))
    throw new ConfigError('budget.store', 'must be a BudgetStore', 'Pass a RedisBudgetStore from tiered-llm/redis, or omit it.');
  return {
    store: store ?? new MemoryBudgetStore(),
    limitUsd: count(budget, 'budget.limitUsd', 0),
    windowMs: count(budget, 'budget.windowMs', 0, { min: 1 }),
    onExceeded,
    per: per === 'namespace' ? 'namespace' : 'client',
    defaultMaxOutputTokens: count(budget, 'budget.defaultMaxOutputTokens', 1_024, { integer: true }),
    timeoutMs: count(budget, 'budget.timeoutMs', 250, { min: 1 }),
    defaultNamespace,
  };
}

const sloKeys = ['p50Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'errorRate', 'minRequests'];

function resolveTargets(value: unknown, field: string, extra: readonly string[] = []): SloTargets {
  const targets = section(value, field, [...sloKeys, ...extra]);
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms', 'p999Ms']) if (targets[key] !== undefined) count(targets, `${field}.${key}`, 0, { min: 0 });
  if (targets.errorRate !== undefined) count(targets, `${field}.errorRate`, 0, { max: 1 });
  if (targets.minRequests !== undefined) count(targets, `${field}.minRequests`, 20, { integer: true });
  const { tiers: _tiers, ...only } = targets;
  return only as SloTargets;
}

function resolveSlo(value: unknown, catalog: Catalog): SloSettings | undefined {
  if (value === undefined) return undefined;
  const client = resolveTargets(value, 'slo', ['tiers']);
  const tierTargets = section((value as { tiers?: unknown }).tiers, 'slo.tiers', catalog.tiers);
  const tiers: Record<string, SloTargets> = {};
  for (const [tier, targets] of Object.entries(tierTargets)) tiers[tier] = resolveTargets(targets, `slo.tiers.${tier}`);
  return { client: Object.keys(client).length > 0 ? client : undefined, tiers };
}

function resolveMetrics(value: unknown, catalog: Catalog): Settings['metrics'] {
  const metrics = section(value, 'metrics', ['windowMs', 'baselineModel']);
  const priciest = catalog.deployments.reduce((top, d) => (d.tierIndex > top.tierIndex ? d : top)).model;
  const name = metrics.baselineModel;
  const baseline = name === undefined ? priciest : catalog.models.find((m) => m.id === name);
  if (baseline === undefined)
    throw new ConfigError(
      'metrics.baselineModel',
      `${showValue(name)} is not a model id of the catalog`,
      'Name a catalog model, or omit it.',
    );
  return { windowMs: count(metrics, 'metrics.windowMs', 60_000, { min: 1 }), baseline };
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'must be a boolean', 'true or false.');
  return value;
}

function resolveDrain(value: unknown): DrainSettings | undefined {
  if (value === undefined) return undefined;
  const drain = section(value, 'drain', ['p99Ms', 'forMs', 'cooldownMs']);
  return {
    p99Ms: count(drain, 'drain.p99Ms', 3_000, { min: 1 }),
    forMs: count(drain, 'drain.forMs', 120_000),
    cooldownMs: count(drain, 'drain.cooldownMs', 60_000, { min: 1 }),
  };
}

function checkLoadBalancing(value: unknown): LoadBalancing {
  if (value === undefined) return 'ordered';
  if (value === 'ordered' || value === 'weighted' || value === 'least-latency') return value;
  throw new ConfigError(
    'loadBalancing',
    `must be 'ordered', 'weighted' or 'least-latency', got ${showValue(value)}`,
    'See LoadBalancing in the README.',
  );
}

function section(value: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(name, 'must be an object', `See the ${name} options in the README.`);
  rejectUnknownKeys(value, keys, `${name}.`, 'option');
  return value as Record<string, unknown>;
}

interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly infinite?: boolean;
}

/** A non-negative number option (milliseconds, a count, a percentage), or its default. */
export function count(from: Record<string, unknown>, field: string, fallback: number, bounds: Bounds = {}): number {
  const value = from[field.slice(field.lastIndexOf('.') + 1)];
  if (value === undefined) return fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false, infinite = false } = bounds;
  const ok =
    typeof value === 'number' &&
    ((infinite && value === Number.POSITIVE_INFINITY) ||
      (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))));
  if (!ok) {
    const kind = integer ? 'a whole number' : 'a number';
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(
      field,
      `must be ${kind}, ${range}${infinite ? ' (or Infinity)' : ''}, got ${showValue(value)}`,
      `Omit it for the default (${fallback}).`,
    );
  }
  return value;
}
