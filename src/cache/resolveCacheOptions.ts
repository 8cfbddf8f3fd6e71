import { isEmbeddingModel } from '../catalog/chatModels.js';
import type { Catalog, Deployment } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';
import type { CacheStore } from './CacheStore.js';
import type { SharedSemanticIndex } from './SharedSemanticIndex.js';
import { LruCacheStore } from './LruCacheStore.js';

/** Cache options with their defaults filled in. */
export interface CacheSettings {
  readonly store: CacheStore;
  readonly ttlMs: number;
  readonly policy: 'always' | 'deterministic';
  readonly namespace: string;
  readonly timeoutMs: number;
}

/** Semantic cache options, checked; the provider's client is bound by the engine. */
export interface SemanticOptions {
  /** The embedding model's id, sent upstream. */
  readonly embeddingModel: string;
  readonly provider: string;
  /** Its catalog entry, which prices each embedding. */
  readonly deployment: Deployment;
  readonly threshold: number;
  readonly maxEntries: number;
}

/** The `cache` option resolved: the response cache's settings and, when asked for, the semantic cache's. */
export type CacheWithSemantic = CacheSettings & { readonly semantic: SemanticOptions | undefined };

/** The defaults of the cache's fields: the bounds of the in-process store, and the semantic cache's. */
export type CacheDefaults = Omit<CacheSettings, 'store'> & {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly semantic: Pick<SemanticOptions, 'threshold' | 'maxEntries'>;
};

/** Checks the `cache` option (off when not given or `false`) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveCacheOptions(value: unknown, catalog: Catalog, defaults: CacheDefaults): CacheWithSemantic | undefined {
  if (value === undefined || value === false) return undefined;
  const cache = section(value, 'cache', ['maxEntries', 'maxBytes', 'ttlMs', 'policy', 'namespace', 'store', 'timeoutMs', 'semantic']);
  const { policy = defaults.policy, namespace = defaults.namespace, store } = cache;
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
  const shared = (store as CacheStore | undefined)?.semanticIndex;
  if (shared !== undefined && typeof (shared as Partial<SharedSemanticIndex> | null)?.follow !== 'function') {
    throw new ConfigError(
      'cache.store.semanticIndex',
      'must have a follow method, or be undefined',
      'See SharedSemanticIndex; leave it undefined for an index per client.',
    );
  }
  return {
    store:
      store ??
      new LruCacheStore({
        maxEntries: count(cache, 'cache.maxEntries', defaults.maxEntries, { min: 1, integer: true }),
        maxBytes: count(cache, 'cache.maxBytes', defaults.maxBytes, { min: 1, integer: true }),
      }),
    ttlMs: count(cache, 'cache.ttlMs', defaults.ttlMs, { min: 1, infinite: true }),
    policy,
    namespace,
    timeoutMs: count(cache, 'cache.timeoutMs', defaults.timeoutMs, { min: 1 }),
    semantic: resolveSemantic(cache.semantic, catalog, defaults.semantic),
  };
}

function resolveSemantic(value: unknown, catalog: Catalog, defaults: CacheDefaults['semantic']): SemanticOptions | undefined {
  if (value === undefined) return undefined;
  const semantic = section(value, 'cache.semantic', ['embeddingModel', 'provider', 'threshold', 'maxEntries']);
  const { embeddingModel, provider } = semantic;
  if (typeof embeddingModel !== 'string' || embeddingModel === '') {
    throw new ConfigError('cache.semantic.embeddingModel', 'must name an embeddings model', "E.g. 'text-embedding-3-small'.");
  }
  if (provider !== undefined && (typeof provider !== 'string' || !Object.hasOwn(catalog.providers, provider))) {
    throw new ConfigError(
      'cache.semantic.provider',
      `unknown provider ${showValue(provider)}`,
      `Use one of: ${Object.keys(catalog.providers).join(', ')}.`,
    );
  }
  const deployment = embeddingDeployment(catalog, embeddingModel, provider as string | undefined);
  const threshold = count(semantic, 'cache.semantic.threshold', defaults.threshold, { max: 1 });
  if (threshold === 0)
    throw new ConfigError('cache.semantic.threshold', 'must be above 0', 'Near 1 means near-identical requests only, e.g. 0.95.');
  return {
    embeddingModel: deployment.model.id,
    provider: deployment.provider,
    deployment,
    threshold,
    maxEntries: count(semantic, 'cache.semantic.maxEntries', defaults.maxEntries, { min: 1, integer: true }),
  };
}

/**
 * The catalog entry that prices the semantic cache's embeddings: an embedding model (capability
 * `'embeddings'`) with that id, or the first of that tier, on `provider` when one is named.
 * Without one, every embedding would cost an unknown amount: refused at construction, where adding
 * one catalog line fixes it, rather than counted as free in `costUsd`, the budget and `costReport()`.
 */
function embeddingDeployment(catalog: Catalog, name: string, provider: string | undefined): Deployment {
  const named = catalog.deployments.filter((d) => isEmbeddingModel(d.model) && (d.model.id === name || d.tier === name));
  const found = named.find((d) => provider === undefined || d.provider === provider);
  if (found !== undefined) return found;
  if (named.length > 0) {
    throw new ConfigError(
      'cache.semantic.provider',
      `'${provider!}' serves no embedding model '${name}' in the catalog`,
      `Use one of its providers (${[...new Set(named.map((d) => d.provider))].join(', ')}), or add its entry under '${provider!}'.`,
    );
  }
  const chat = catalog.models.some((m) => m.id === name || m.tier === name);
  throw new ConfigError(
    'cache.semantic.embeddingModel',
    chat
      ? `'${name}' is not an embedding model: its catalog entry lacks the capability 'embeddings'`
      : `'${name}' has no catalog entry, so its embeddings could not be priced`,
    `Add it to the catalog's models, e.g. { id: '${chat ? 'text-embedding-3-small' : name}', provider: '${provider ?? Object.keys(catalog.providers)[0]!}', ` +
      `tier: '${catalog.tiers[0]!}', inputCostPerMTok: 0.02, contextWindow: 8191, capabilities: ['embeddings'] } (no output price needed).`,
  );
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
