import type { Catalog, ModelId, ModelTier, ProviderName } from '../catalog/types.js';
import type { BudgetStore } from '../budget/BudgetStore.js';
import type { CacheStore } from '../cache/CacheStore.js';
import type { FallbackPolicy } from '../routing/FallbackPolicy.js';
import type { SloTargets } from '../metrics/SloTargets.js';
import type { LoadBalancing } from '../routing/loadBalancing.js';
import type { BreakerOptions, DrainOptions, RetryOptions, TimeoutOptions } from '../resilience/ResilienceOptions.js';
import type { RegionPreference, RegionsOptions } from '../routing/RegionsOptions.js';
import type { AffinityOption } from '../routing/Affinity.js';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { RateLimitOptions } from '../limits/RateLimitOptions.js';

/** What leaves the process in events. */
export interface TelemetryOptions {
  /** Put prompts (`request:start`) and answers (`request:end`) in events. @default false */
  readonly captureContent?: boolean;
}

/** The response cache; docs/guide/cache-and-budget.md says what is cached and what is not. */
export interface CacheOptions {
  /** Entries kept in the in-process store. @default 10000 */
  readonly maxEntries?: number;
  /** Bytes kept in the in-process store (keys and values). @default 67108864 (64 MiB) */
  readonly maxBytes?: number;
  /** How long an answer stays fresh. @default 3600000 (an hour) */
  readonly ttlMs?: number;
  /** `'deterministic'` caches only `temperature: 0` requests. @default 'always' */
  readonly policy?: 'always' | 'deterministic';
  /** Namespace of calls that name none (`options.cacheNamespace`); namespaces never share entries. @default 'default' */
  readonly namespace?: string;
  /** Where answers live, e.g. a `RedisCacheStore`. @default an in-process LRU bounded by maxEntries and maxBytes */
  readonly store?: CacheStore;
  /** Longest wait for the store (and the embeddings endpoint); past it the call goes on uncached (`cache:error`). @default 250 */
  readonly timeoutMs?: number;
  /** Also answer requests that mean nearly the same as a cached one. @default off */
  readonly semantic?: SemanticCacheOptions;
}

/** The semantic cache: consulted after an exact miss, for requests without tools, within a namespace. */
export interface SemanticCacheOptions {
  /**
   * The embedding model, e.g. `text-embedding-3-small`: the id (or the tier) of a catalog entry with
   * the capability `'embeddings'`, whose prices make each embedding's cost. Without such an entry the
   * client throws a `ConfigError` at construction: the embeddings would otherwise go unpriced.
   */
  readonly embeddingModel: string;
  /** The catalog provider that serves it, among its entries' providers. @default the provider of its first catalog entry */
  readonly provider?: string;
  /** Least cosine similarity of two requests' messages for one to get the other's answer. @default 0.95 */
  readonly threshold?: number;
  /** Requests remembered for matching (least recently used forgotten first). @default 1000 */
  readonly maxEntries?: number;
}

/** The classifier of `'auto'` requests. */
export interface ClassifierOptions<C extends Catalog = Catalog> {
  /** The catalog chat model that grades requests; its calls are part of each call's cost. @default the first chat model of the cheapest tier */
  readonly model?: ModelId<C>;
  /** Longest wait for its answer; past it the heuristic decides. @default 2000 */
  readonly timeoutMs?: number;
  /** Answers remembered, so the same conversation is graded once. @default 1000 */
  readonly maxEntries?: number;
}

/** A spend budget per time window. */
export interface BudgetOptions {
  /** USD allowed per window. */
  readonly limitUsd: number;
  /** Length of the budget's fixed windows, in milliseconds (`86_400_000`: a day). */
  readonly windowMs: number;
  /** Past the limit: refuse calls with `BudgetExceededError`, or send chat calls to the cheapest tier (embeddings calls are refused). @default 'reject' */
  readonly onExceeded?: 'downgrade' | 'reject';
  /** One budget for the client, or one per cache namespace (`options.cacheNamespace`). @default one for the client */
  readonly per?: 'namespace';
  /** Where spend is counted: `RedisBudgetStore` from tiered-llm/redis shares it between processes. @default in process */
  readonly store?: BudgetStore;
  /** Output tokens reserved for a request that sets no max_completion_tokens / max_tokens. @default 1024 */
  readonly defaultMaxOutputTokens?: number;
  /**
   * Longest wait for one store operation; past it the call goes on uncounted, with `budget:error`.
   * After 3 failures in a row the store is skipped for 5 s. @default 250
   */
  readonly timeoutMs?: number;
}

/** `client.metrics()`. */
export interface MetricsOptions<C extends Catalog = Catalog> {
  /** The sliding window of the latency percentiles. @default 60000 */
  readonly windowMs?: number;
  /** The chat model savings are measured against. @default the first chat model of the priciest tier */
  readonly baselineModel?: ModelId<C>;
}

/**
 * Scores an answer against the shadow model's answer to the same request (the reference): 0 (wrong)
 * to 1 (as good). A throw, a rejection, or anything but a number in 0..1 drops the shadow
 * (`shadow:dropped`, reason `unscored`).
 */
export type ShadowJudge = (answer: string, reference: string) => number | Promise<number>;

/**
 * Shadow sampling: a share of answered calls (not cache hits, not calls already answered by `model`)
 * is asked again of `model` in the background, after the caller has its answer, and the answer is
 * scored against the shadow's (`shadow:result`, and `quality.shadowCount` / `shadowScore` in
 * `client.metrics()`). Shadows reserve from the `budget` like any call and keep to the sampled call's
 * `providers` and `region`; their spend is their own (in `shadow:result`, never in the callers'
 * `costUsd`, request counts or `request:*` events). A shadow never delays or fails its caller;
 * `client.close()` ends those in flight.
 */
export interface ShadowOptions<C extends Catalog = Catalog> {
  /** The share of answered calls shadowed, 0 to 1 (0.05: one in twenty, at random). */
  readonly sampleRate: number;
  /** The tier or model id that answers the shadows: the reference the answers are scored against. */
  readonly model: ModelTier<C> | ModelId<C>;
  /**
   * What scores an answer against the reference: a tier or model id (an LLM grading with the rubric
   * `JUDGE_RUBRIC`), or a function. @default `model` grades, with `JUDGE_RUBRIC`
   */
  readonly judge?: ModelTier<C> | ModelId<C> | ShadowJudge;
  /** Shadows in flight at once; a call sampled beyond them is dropped (`busy`). @default 4 */
  readonly maxConcurrent?: number;
  /**
   * The most the shadows (and their judges) may spend since the client started, in USD; once spent,
   * sampled calls are dropped (`spend_cap`). Shadows in flight may take it past by their own cost.
   * @default no cap
   */
  readonly budgetUsd?: number;
}

/** What a custom router sees: the request as the caller wrote it. */
export type RouteRequest = Readonly<Omit<ChatCompletionCreateParams, 'model'>> & {
  /** Always `'auto'`: only those requests are routed. */
  readonly model: 'auto';
};

/** Picks a tier for a `model: 'auto'` request. */
export type Router<TTier extends string = string> = (request: RouteRequest) => TTier | Promise<TTier>;

/** Options of `createTieredClient`. */
export interface TieredClientOptions<C extends Catalog = Catalog> {
  /** The providers, tiers and models, from `defineCatalog`. */
  readonly catalog: C;
  /** How the deployments of one tier (or model) share traffic; see `LoadBalancing`. @default 'ordered' */
  readonly loadBalancing?: LoadBalancing;
  /** Preferred regions, in order, first within each tier (never into a pricier one); see `RegionPreference`. @default none */
  readonly region?: RegionPreference;
  /** Keep the client in some regions, whatever a request asks; see `RegionsOptions`. @default every region */
  readonly regions?: RegionsOptions;
  /** Keep the calls of one conversation on one deployment, its prompt cache warm: see `AffinityOption`. @default 'conversation' */
  readonly affinity?: AffinityOption;
  /** Drain deployments whose p99 latency stays too high; a drained one still serves when it is the last candidate. @default off */
  readonly drain?: DrainOptions;
  /**
   * Retry a poor answer on the next tier up: empty, content-filtered, or not valid JSON when JSON was
   * asked for (non-streaming calls; `options.qualityEscalation` sets it per call). @default false
   */
  readonly qualityEscalation?: boolean;
  /** Service-level objectives for the client, and per tier; missing one emits `slo:breach`, meeting it again `slo:recovered`. @default none */
  readonly slo?: SloTargets & {
    /** Objectives of one tier's calls, judged apart from the client's. */
    readonly tiers?: Readonly<Partial<Record<ModelTier<C>, SloTargets>>>;
  };
  /** What `client.metrics()` measures against, and over what window. @default a 60 s window, the priciest tier's first model */
  readonly metrics?: MetricsOptions<C>;
  /** A spend budget per time window. @default off */
  readonly budget?: BudgetOptions;
  /** How the catalog's `limits` are held: a wait for room, a store shared by a fleet. @default each field's default */
  readonly rateLimit?: RateLimitOptions;
  /** Where a request goes when its tier fails. @default 'escalate' */
  readonly fallback?: FallbackPolicy<ModelTier<C>>;
  /** Retries of one deployment (backoff with jitter, `retry-after` honoured) before moving on. @default each field's default */
  readonly retry?: RetryOptions;
  /** One circuit breaker per deployment. @default each field's default */
  readonly breaker?: BreakerOptions;
  /** Time limits of an attempt, a stream and the whole call. @default each field's default */
  readonly timeouts?: TimeoutOptions;
  /** Chooses the tier of `model: 'auto'` requests (the `route` event says `by: 'custom'`). @default the built-in heuristic */
  readonly router?: Router<ModelTier<C>>;
  /** Without a `router`: ask a cheap model to grade each `'auto'` request, the heuristic as fallback. @default off */
  readonly classifier?: ClassifierOptions<C>;
  /** What events may carry: prompts and answers only when asked. @default `{ captureContent: false }` */
  readonly telemetry?: TelemetryOptions;
  /** The response cache. @default off (also when `false`) */
  readonly cache?: CacheOptions | false;
  /** Re-ask a sample of answered calls of a pricier model in the background, and score the answers against it. @default off */
  readonly shadow?: ShadowOptions<C>;
  /**
   * The provider that serves every resource the client does not route (`models`, `files`,
   * `batches`, `images`, `audio`, ...) unchanged, as its own `openai` client would (with `openai`'s
   * own retries), and the models of `unknownModels: 'passthrough'`.
   * @default the catalog's first provider
   */
  readonly defaultProvider?: ProviderName<C>;
  /**
   * A `model` that is neither a tier, a catalog model id nor `'auto'`: `'reject'` fails the call with
   * a `ConfigError` naming it and listing what the catalog has; `'passthrough'` sends it unchanged to
   * `defaultProvider`, with retries, a breaker and events but no fallback, priced at $0 (the catalog
   * has no price for it: add it to the catalog to have it priced and routed).
   * @default 'reject'
   */
  readonly unknownModels?: 'reject' | 'passthrough';
}
