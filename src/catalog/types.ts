import type OpenAI from 'openai';

/**
 * What a model offers. The chat capabilities (see {@link ChatCapability}) are what a request may need:
 * a fallback never lands on a model that lacks one it uses. `'embeddings'` and `'responses'` are
 * opt-in, never implied by a missing `capabilities` list: `'embeddings'` makes the entry an embedding
 * model ({@link EmbeddingModelEntry}); `'responses'` lets a chat model serve `responses.create()`.
 */
export type Capability = ChatCapability | 'embeddings' | 'responses';

/** What a chat request may need from a model: tools, images, a JSON response format, audio. */
export type ChatCapability = 'tools' | 'vision' | 'json_schema' | 'json_object' | 'audio';

/** A provider reached with an API key, at OpenAI's address or any OpenAI-compatible `baseURL`. */
export interface KeyedProviderConfig {
  /** The provider's API key. Required (an unset environment variable is reported as a `ConfigError`). */
  readonly apiKey: string | undefined;
  /** @default OpenAI's own API address */
  readonly baseURL?: string;
  /** OpenAI organization id, sent as `openai` sends it. */
  readonly organization?: string;
  /** OpenAI project id, sent as `openai` sends it. */
  readonly project?: string;
  /** Headers sent with every request to this provider. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /**
   * Follow redirects to other origins. Off, a 307 or 308 to the same origin is followed, and any
   * other redirect is a failed attempt (`redirect_blocked`, not retried): the provider's headers, its
   * key among them, and the prompt never go to a host nobody configured.
   * @default false
   */
  readonly followRedirects?: boolean;
  /** Probes this provider's deployments in the background; see {@link HealthCheckOptions}. @default off */
  readonly healthCheck?: HealthCheckOptions;
  /** A keep-alive connection pool of this provider's own, bounded (off: Node's shared `fetch` pool). */
  readonly connections?: ProviderConnections;
  /** Not with `apiKey`: give one or the other. */
  readonly client?: never;
}

/**
 * One keep-alive connection pool for a provider: an `Agent` of the optional peer dependency undici 6
 * (`npm install undici@6`, loaded only when a provider sets `connections`), through which every
 * request to that provider goes: chat, streams, embeddings (the semantic cache's too), the
 * classifier's grading calls, health probes and, for the `defaultProvider`, the resources the client
 * does not route (`models`, `files`...). Per process: a
 * fleet of N machines opens up to N × `max` connections. `client.close()` closes it.
 */
export interface ProviderConnections {
  /**
   * How long an idle connection stays open for the next request, in ms; shorter when the server
   * announces a shorter `Keep-Alive: timeout` (less a margin of 2 s), never longer.
   * @default the server's `Keep-Alive: timeout` (up to 10 minutes) less 2 s, else 4 s (undici's defaults)
   */
  readonly keepAliveMs?: number;
  /**
   * Most connections open at once to the provider's address: requests beyond them wait for a free
   * one, in order (their wait counts against the attempt's timeout).
   * @default no limit
   */
  readonly max?: number;
}

/** A provider reached through an `OpenAI` client the application made itself (Azure, a proxy...). */
export interface ClientProviderConfig {
  /** Used as given, except that its own retries are turned off (`maxRetries: 0`): ours replace them. */
  readonly client: OpenAI;
  /** Not with `client`: the client carries its own key. */
  readonly apiKey?: never;
  /** Not with `client`: the client carries its own address. */
  readonly baseURL?: never;
  /** Probes this provider's deployments in the background, through the given client; see {@link HealthCheckOptions}. @default off */
  readonly healthCheck?: HealthCheckOptions;
  /** Not with `client`: a client the application made keeps its own connections (configure its `fetch` or dispatcher). */
  readonly connections?: never;
}

/**
 * Active health checks of one provider's deployments: each is probed every `intervalMs` (the first
 * probe as the client is made), a probe that fails opens the deployment's circuit breaker and one
 * that succeeds closes it, so a dead deployment is skipped before a user's request meets it. Any
 * answer of the provider proves it up (a 4xx too: a gateway may not serve `GET /models`; a 429 is
 * busy, not down) but what a request would retry: a 5xx, a 408 or 409, a time-out, a refused or
 * cut connection or a garbled answer count as down. Each probe emits `health:probe`. Probes are not retried, never fall back, never
 * count in `metrics()` and never reach a caller's bill; `client.close()` stops them.
 */
export interface HealthCheckOptions {
  /**
   * Time between two probes of a deployment, in ms, at least 1000. Each wait is drawn at random
   * within ±10 % of it, so that the probes of several deployments (and machines) spread out.
   */
  readonly intervalMs: number;
  /** How long a probe may take before it counts as down, in ms. @default the smaller of 5000 and intervalMs */
  readonly timeoutMs?: number;
  /**
   * `'models'`: one `GET /models` per probe for the whole provider, its answer applied to each of its
   * deployments; free, and proves the provider's API up. `'chat'`: a one-token chat request to each
   * deployment's own model (`max_completion_tokens: 1`; an embedding model gets a one-word embeddings
   * request), priced at the catalog's prices and counted in the client's `budget`, and a request
   * under the deployment's `limits` like a caller's (skipped while it has no room); proves the model
   * itself serves.
   * @default 'models'
   */
  readonly kind?: 'models' | 'chat';
}

/** How to reach one provider (or one region of a provider). */
export type ProviderConfig = KeyedProviderConfig | ClientProviderConfig;

/** What every catalog entry has, chat or embedding model: where it is served, its input prices, its limits. */
export interface ModelEntryBase<TTier extends string = string, TProvider extends string = string> {
  /** The model id sent upstream, e.g. `gpt-4o`. The same id under several providers makes several deployments. */
  readonly id: string;
  /** Key of `providers` that serves it. */
  readonly provider: TProvider;
  /** The tier it belongs to; one of `tiers`. */
  readonly tier: TTier;
  /** USD per million prompt tokens. */
  readonly inputCostPerMTok: number;
  /** USD per million prompt tokens served from the provider's prompt cache. @default inputCostPerMTok */
  readonly cachedInputCostPerMTok?: number;
  /** Prompt plus completion tokens the model accepts. */
  readonly contextWindow: number;
  /** Share of traffic among deployments of one tier when load balancing. @default 1 */
  readonly weight?: number;
  /**
   * Free-form region label, reported in health and events, and matched by the client options
   * `region` (a preference) and `regions.only` and by a call's `region` (constraints). An entry
   * without one is in no region.
   */
  readonly region?: string;
  /** `false` for providers that cannot report usage in streams (`stream_options.include_usage`). @default true */
  readonly streamUsage?: boolean;
  /** The deployment's quotas; at one, the deployment is skipped (`rate_limited`) and the next tried. @default none */
  readonly limits?: ModelLimits;
}

/**
 * A deployment's quotas (positive whole numbers, each optional). `rpm` and `tpm` are counted over a
 * sliding 60 s in `rateLimit.store` (shared by a fleet with `RedisRateLimitStore`); a request's
 * tokens are its prompt (estimated) plus its output limit (`max_completion_tokens`, `max_tokens`,
 * `max_output_tokens`, else 1,024), corrected to the real usage once answered. `maxConcurrent` is per process.
 */
export interface ModelLimits {
  /** Requests per sliding 60 s; retries count (each is a request). */
  readonly rpm?: number;
  /** Tokens (prompt plus completion) per sliding 60 s. */
  readonly tpm?: number;
  /** Requests in flight at once in this process (a stream until it ends); a deployment's retries hold its one slot. */
  readonly maxConcurrent?: number;
}

/** A chat model as served by one provider: a deployment, with its prices and limits. */
export interface ChatModelEntry<TTier extends string = string, TProvider extends string = string> extends ModelEntryBase<TTier, TProvider> {
  /** USD per million completion tokens. */
  readonly outputCostPerMTok: number;
  /**
   * What the model supports. A list names every capability the model has: `['tools', 'responses']`
   * serves chat requests that use tools (not images) and `responses.create()`.
   * @default every chat capability, and not the Responses API
   */
  readonly capabilities?: readonly (ChatCapability | 'responses')[];
}

/**
 * An embedding model (capability `'embeddings'`), e.g. the semantic cache's: it serves embeddings
 * only. Chat routing (tiers, model ids, `'auto'`, fallback, budget downgrade), the savings baseline
 * and `costReport()` skip it; a tier may hold only such entries.
 */
export interface EmbeddingModelEntry<TTier extends string = string, TProvider extends string = string> extends ModelEntryBase<
  TTier,
  TProvider
> {
  /** Embeddings have no completion tokens: it may be omitted. @default 0 */
  readonly outputCostPerMTok?: number;
  /** Exactly `['embeddings']`: an embedding model serves nothing else. */
  readonly capabilities: readonly ['embeddings'];
}

/** One model as served by one provider, with its prices and limits: a chat model or an embedding model. */
export type ModelEntry<TTier extends string = string, TProvider extends string = string> =
  ChatModelEntry<TTier, TProvider> | EmbeddingModelEntry<TTier, TProvider>;

/**
 * The literal a catalog is defined from; see `defineCatalog`. Tier names are inferred from `tiers`
 * and model ids from each `id` alone (the `& { id }` below): a wrong or misspelt field elsewhere in a
 * model is reported where it is and leaves both unions literal.
 */
export interface CatalogDefinition<
  TProviders extends Readonly<Record<string, ProviderConfig>> = Readonly<Record<string, ProviderConfig>>,
  TTiers extends readonly string[] = readonly string[],
  TModelId extends string = string,
> {
  /** How to reach each provider, by a name of your choosing. */
  readonly providers: TProviders;
  /** Tier names, cheapest first: `'escalate'` fallback walks up this list, never down. */
  readonly tiers: TTiers;
  /** Every deployment: a model id under one provider, in one tier. */
  readonly models: readonly (ModelEntry<TTiers[number], keyof TProviders & string> & {
    /** The model id sent upstream; its literal type makes the catalog's `ModelId` union. */
    readonly id: TModelId;
  })[];
}

/** One model id served by one provider: the unit that is called, retried, and given a breaker. */
export interface Deployment<TTier extends string = string> {
  /** `provider/model`, unique in the catalog. */
  readonly key: string;
  /** The catalog provider that serves it. */
  readonly provider: string;
  /** Its catalog entry: id, prices, context window. */
  readonly model: ModelEntry<TTier>;
  /** Its tier. */
  readonly tier: TTier;
  /** Position of `tier` in the catalog's tier list (0 = cheapest). */
  readonly tierIndex: number;
}

/** A validated, frozen catalog. Its type parameters carry the tier names and model ids as literal unions. */
export interface Catalog<TTier extends string = string, TModelId extends string = string, TProvider extends string = string> {
  /** How to reach each provider, as defined. */
  readonly providers: Readonly<Record<TProvider, ProviderConfig>>;
  /** Tier names, cheapest first. */
  readonly tiers: readonly TTier[];
  /** Every model entry, in catalog order. */
  readonly models: readonly (ModelEntry<TTier, TProvider> & {
    /** The model id sent upstream. */
    readonly id: TModelId;
  })[];
  /** One entry per model entry, in catalog order. */
  readonly deployments: readonly Deployment<TTier>[];
}

/** The tier names of a catalog, as a string-literal union when the catalog was defined from a literal. */
export type ModelTier<C extends Catalog = Catalog> = C extends Catalog<infer T, string, string> ? T : never;

/** The provider names of a catalog (keys of its `providers`), as a string-literal union when the catalog was defined from a literal. */
export type ProviderName<C extends Catalog = Catalog> = C extends Catalog<string, string, infer P> ? P : never;

/** The model ids of a catalog, as a string-literal union when the catalog was defined from a literal. */
export type ModelId<C extends Catalog = Catalog> = C extends Catalog<string, infer M, string> ? M : never;

/** What `params.model` may name: a tier, a catalog model id, or `'auto'` to let the router choose. */
export type ModelRef<C extends Catalog = Catalog> = ModelTier<C> | ModelId<C> | 'auto';
