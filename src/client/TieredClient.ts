import OpenAI, { type ClientOptions } from 'openai';
import type { Catalog } from '../catalog/types.js';
import type { Feedback } from '../feedback/Feedback.js';
import { takeFeedback } from '../feedback/takeFeedback.js';
import { buildCostReport } from '../cost/buildCostReport.js';
import type { CostReport, CostReportOptions } from '../cost/CostReport.js';
import type { TieredMetrics } from '../metrics/MetricsEntry.js';
import type { BreakerState } from '../resilience/LiveDeployment.js';
import type { TieredEventEmitter } from '../telemetry/Telemetry.js';
import type { TieredEventName, TieredEvents } from '../telemetry/events.js';
import { Stages } from './Stages.js';
import type { TieredClientOptions } from './options.js';
import { runChat } from './pipeline.js';
import { TieredChat, type RoutedParams } from './ChatResource.js';
import { sendOfficialUserAgent } from '../catalog/ProviderClient.js';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { TieredEmbeddings } from './EmbeddingsResource.js';
import { TieredResponses } from './ResponsesResource.js';
import { TieredStream } from './TieredStream.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';

/** One deployment's state, as `client.health()` reports it. */
export interface DeploymentHealth {
  readonly provider: string;
  readonly model: string;
  readonly tier: string;
  readonly region?: string;
  readonly breaker: BreakerState;
  /** Epoch ms until which a long `retry-after` keeps this deployment out of rotation. */
  readonly coolingDownUntil?: number;
  /** Epoch ms until which its provider's `x-ratelimit-*` headers pause this deployment (skipped as `rate_limited`). */
  readonly rateLimitedUntil?: number;
  /** Taken out of rotation for slowness (see routing options). */
  readonly drained: boolean;
  /** Over its last 256 successful attempts, in ms; `{ p50: null, p99: null }` before the first. */
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
}

/**
 * A tiered client: an `OpenAI` client (`client instanceof OpenAI`; pass it wherever one is expected)
 * whose chat completions, embeddings and Responses API calls are routed over the catalog's tiers,
 * with retries, a circuit breaker per deployment, and fallback up the tiers. Every other resource
 * (`models`, `files`, `batches`, ...) is served by `defaultProvider` unchanged. Make one per process
 * with `createTieredClient` and reuse it: it holds the connections, breakers and statistics.
 */
export class TieredClient<C extends Catalog = Catalog> extends OpenAI {
  /** `client.chat.completions.create()` and `openai`'s helpers over it (`parse`, `stream`, `runTools`), routed. */
  declare chat: TieredChat<C>;
  /** `client.embeddings.create()`, routed over the catalog's embedding models (one model id's deployments per call). */
  declare embeddings: TieredEmbeddings<C>;
  /** `client.responses.create()` and `openai`'s helpers over it (`stream`, `parse`), routed over the models with the capability `'responses'`. */
  declare responses: TieredResponses<C>;
  /** Typed events of every request; see `TieredEvents` for the payloads and their order. */
  readonly events: TieredEventEmitter;
  readonly #stages: Stages;
  #closing: Promise<void> | undefined;

  constructor(options: TieredClientOptions<C>) {
    const derived = options instanceof Derivation ? options : undefined;
    const stages = derived?.stages ?? new Stages(options as unknown as TieredClientOptions);
    super(derived?.base ?? stages.baseOptions);
    this.#stages = stages;
    this.events = stages.telemetry.events;
    this.chat = new TieredChat<C>(this, stages);
    this.embeddings = new TieredEmbeddings<C>(this, stages);
    this.responses = new TieredResponses<C>(this, stages);
    // A client the application brought (Azure's, a proxy's) may build its requests its own way (auth
    // headers, paths): the resources not routed are sent by that client itself, with its own retries.
    const own = stages.settings.catalog.providers[stages.settings.defaultProvider]?.client;
    if (own !== undefined && derived === undefined) sendThrough(this, own);
  }

  /**
   * As `OpenAI.withOptions()`: a client with these `openai` options for the resources it does not
   * route. It shares this client's routing, breakers, cache, budget, metrics and events (closing one
   * closes both); routed calls keep the catalog's settings (pass `timeout` or `maxRetries` per call).
   */
  override withOptions(options: Partial<ClientOptions>): this {
    const base = { ...(this as unknown as { _options: ClientOptions })._options, ...options };
    return new TieredClient<C>(new Derivation(this.#stages, base) as never) as this;
  }

  /**
   * The same call as `chat.completions.create()`, resolving to the routing result as well. With
   * `stream: true` it returns a `TieredStream` at once: iterate it, read its `textStream`, and await
   * its `final()` for the result.
   */
  tieredChat<M extends string>(
    params: RoutedParams<ChatCompletionCreateParamsStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredStream;
  tieredChat<M extends string>(
    params: RoutedParams<ChatCompletionCreateParamsNonStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): Promise<TieredChatResult>;
  tieredChat<M extends string>(
    params: RoutedParams<ChatCompletionCreateParamsBase, C, M>,
    options?: TieredRequestOptions<C>,
  ): Promise<TieredChatResult> | TieredStream;
  tieredChat(params: TieredChatParams<C>, options?: TieredRequestOptions<C>): Promise<TieredChatResult> | TieredStream {
    const stages = this.#stages;
    return params?.stream === true
      ? new TieredStream(stages, params as TieredChatParams, options)
      : runChat(stages, params as TieredChatParams, options);
  }

  /**
   * What `console.log(client)` and `util.inspect()` show: the catalog's shape, never a key. (An
   * `OpenAI` client prints its fields, its `apiKey` among them; this one holds the default
   * provider's key there.)
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { catalog, defaultProvider } = this.#stages.settings;
    return `TieredClient { tiers: [${catalog.tiers.join(', ')}], deployments: ${catalog.deployments.length}, defaultProvider: '${defaultProvider}' }`;
  }

  /** The catalog this client routes over. */
  get catalog(): C {
    return this.#stages.settings.catalog as C;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends TieredEventName>(event: E, listener: TieredEvents[E]): () => void {
    const events = this.events as unknown as { on(e: E, l: TieredEvents[E]): void; off(e: E, l: TieredEvents[E]): void };
    events.on(event, listener);
    return () => events.off(event, listener);
  }

  /** One entry per deployment, in catalog order, then the passthrough models in use (tier `'passthrough'`). */
  health(): DeploymentHealth[] {
    const now = Date.now();
    const { deployments, passthrough } = this.#stages;
    return (passthrough === undefined ? deployments : [...deployments, ...passthrough.live()]).map((live): DeploymentHealth => {
      const { deployment } = live;
      return {
        provider: deployment.provider,
        model: deployment.model.id,
        tier: deployment.tier,
        ...(deployment.model.region === undefined ? {} : { region: deployment.model.region }),
        breaker: live.breakerState,
        ...(live.coolingDown(now) ? { coolingDownUntil: live.coolingDownUntil } : {}),
        ...((live.rate?.pausedUntil ?? 0) > now ? { rateLimitedUntil: live.rate!.pausedUntil } : {}),
        drained: live.drainedUntil > now,
        latencyMs: live.latency.summary(),
      };
    });
  }

  /**
   * Counts since the client started (calls, errors, tokens, cost, what cache hits saved, savings
   * against the baseline model, cache hits, fallbacks, retries, breaker trips) and latency percentiles (p50 to p99.9, within 1%)
   * over a sliding window, for the client, each tier, model and deployment. The classifier's and
   * the semantic cache's embedding calls count under their own models (cost and tokens, not calls).
   */
  metrics(): TieredMetrics {
    return this.#stages.metrics.snapshot();
  }

  /**
   * Says how good the answer to a request was: `score` from 0 to 1, or `thumbs` (`'up'` counts 1,
   * `'down'` 0), exactly one, and an optional `label`. `requestId` is ours: on `tieredChat()` results,
   * on every event, and in the header `x-tiered-llm-request-id` of `create()`'s `withResponse()`.
   * Counted in the `quality` of `metrics()` for the tier, model and deployment that answered (for a
   * cache hit, the model that produced the answer served) and emitted as `feedback`; a second
   * feedback for a request replaces the first. The client remembers its last 10,000 answered
   * requests; older ones are forgotten.
   * @returns true; false, changing nothing, for a request the client does not remember (unknown,
   *   failed, or forgotten).
   * @throws ConfigError naming the field: `score` (missing with `thumbs`, or not a number from 0 to
   *   1), `thumbs` (given with `score`, or neither `'up'` nor `'down'`), `label` (not a string).
   */
  feedback(requestId: string, feedback: Feedback): boolean {
    return takeFeedback(this.#stages, requestId, feedback);
  }

  /**
   * The usage counted since the client started (input, cached input and output tokens of answered
   * chat calls; not cache hits), what it actually cost, and what it would have cost on every chat
   * model of the catalog (`byModel`) and on each tier alone (`byTier`: the tier's first chat model),
   * with monthly projections from `monthlyCalls`, else from the observed call rate.
   * @throws ConfigError naming `monthlyCalls` when it is not a finite number >= 0
   */
  costReport(options?: CostReportOptions): CostReport {
    return buildCostReport(this.#stages.settings.catalog, this.#stages.tally, options);
  }

  /**
   * Stops every breaker's timers and health probe (aborting the probes in flight) and refuses new
   * calls; a process whose clients are closed exits on its own. Calls in flight finish (their
   * answers are no longer cached); shadows in flight (the `shadow` option) are aborted
   * (`shadow:dropped`, `closed`). The providers' connection pools (`connections`) close: idle
   * connections at once, busy ones once their responses have been read (not awaited). Resolves once
   * the cache writes in flight have landed and the shadows have settled. Idempotent: every call gets
   * the same promise.
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    const stages = this.#stages;
    stages.closed = true;
    // Aborted first: their attempts end before the breakers they go through are shut down.
    const shadows = stages.shadows?.close();
    stages.health?.close();
    for (const live of stages.deployments) live.shutdown();
    stages.passthrough?.shutdown();
    // Graceful: the requests they carry finish; a retry that comes later goes around them.
    for (const pool of stages.pools.values()) pool.close();
    await shadows;
    await stages.cache?.close();
    await stages.rateLimiter.close();
    // Only a store we made; one the application passed in is the application's to close.
    if (stages.settings.cache !== undefined && stages.settings.cache.store !== stages.providedStore)
      await stages.settings.cache.store.close?.();
  }
}

// Its own requests (the resources not routed) announce the official client, as the provider clients' do.
sendOfficialUserAgent(TieredClient);

/** Makes `client` send its own requests (the resources not routed) through `own`, which builds and retries them. */
function sendThrough(client: OpenAI, own: OpenAI): void {
  const makeRequest = (own as unknown as { makeRequest: (...args: unknown[]) => unknown }).makeRequest;
  // openai 6 sends every request of a resource through makeRequest (pinned by test/openaiSurface.test.ts).
  Object.defineProperty(client, 'makeRequest', { value: makeRequest.bind(own), configurable: true, writable: true });
}

/** The inner arguments of a client made by `withOptions()`: the same stages, other base options. */
class Derivation {
  constructor(
    readonly stages: Stages,
    readonly base: ClientOptions,
  ) {}
}

/** Makes a tiered client from a catalog and options; @throws ConfigError naming a bad option. */
export function createTieredClient<C extends Catalog>(options: TieredClientOptions<C>): TieredClient<C> {
  return new TieredClient(options);
}
