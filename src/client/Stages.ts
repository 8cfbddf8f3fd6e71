import type { ClientOptions } from 'openai';
import { baseClientOptions } from '../catalog/baseClientOptions.js';
import { SpendBudget } from '../budget/SpendBudget.js';
import { ResponseCache } from '../cache/ResponseCache.js';
import { SemanticCache } from '../cache/SemanticCache.js';
import type { Call, CallLimits } from '../call/Call.js';
import type { TieredChatParams } from '../call/requests.js';
import { chatView, isEmbeddingModel } from '../catalog/chatModels.js';
import { providerClients } from '../catalog/providerClients.js';
import type { ConnectionPool } from '../catalog/ConnectionPool.js';
import { UsageTally } from '../cost/UsageTally.js';
import { MetricsRecorder } from '../metrics/MetricsRecorder.js';
import { FallbackChain } from '../resilience/FallbackChain.js';
import { LiveDeployment, type BreakerState } from '../resilience/LiveDeployment.js';
import type { FallbackPolicy } from '../routing/FallbackPolicy.js';
import type { Route } from '../routing/loadBalancing.js';
import { Routing } from '../routing/Routing.js';
import { Affinity } from '../routing/Affinity.js';
import { PassthroughModels } from '../routing/PassthroughModels.js';
import { regionsOnlyErrors } from '../routing/outsideRegions.js';
import type { Deployment } from '../catalog/types.js';
import { TierClassifier } from '../routing/TierClassifier.js';
import { Ledger } from '../telemetry/Ledger.js';
import { Redactor } from '../telemetry/Redactor.js';
import { Telemetry } from '../telemetry/Telemetry.js';
import { streamSender, type UpstreamStream } from '../streaming/UpstreamStream.js';
import { chatStreamReading } from '../streaming/chatStreamReading.js';
import { ShadowSampler } from '../quality/ShadowSampler.js';
import { completionSender } from './completionSender.js';
import { embeddingSender } from './embeddingSender.js';
import { kindRoutes, liveRoutes } from './kindRoutes.js';
import { ResponseOwners } from '../routing/ResponseOwners.js';
import { responseSender } from './responseSender.js';
import { responseStreamReading, type ResponseUpstreamStream } from '../streaming/responseStreamReading.js';
import { RecentAnswers } from '../feedback/RecentAnswers.js';
import { startHealthChecks, type HealthChecks } from '../health/HealthChecks.js';
import { sideRequests } from './sideRequests.js';
import type { TieredClientOptions } from './options.js';
import { resolveOptions, type Settings } from './resolveOptions.js';
import { RateLimiter } from '../limits/RateLimiter.js';

const breakerEvents = { open: 'breaker:open', halfOpen: 'breaker:half-open', closed: 'breaker:close' } as const;

/**
 * The stages of one client's pipeline, built once from its options and shared by all its requests:
 * the cache, routing, the budget, the fallback chain (retries and breakers inside), the provider
 * calls, and the ledger; and what they share (settings, deployments, events, the redactor).
 * The order they run in is client/pipeline.ts.
 */
export class Stages {
  readonly settings: Settings;
  readonly telemetry = new Telemetry();
  readonly redactor: Redactor;
  /** One per catalog deployment, in catalog order. */
  readonly deployments: readonly LiveDeployment[];
  /** The models of `unknownModels: 'passthrough'` in use. */
  readonly passthrough: PassthroughModels | undefined;
  /** The numbers behind `client.metrics()`. */
  readonly metrics: MetricsRecorder;
  /** Recent answered requests, for `client.feedback()`. */
  readonly answers = new RecentAnswers();
  /** The usage behind `client.costReport()`, counted from now. */
  readonly tally = new UsageTally();
  /** The limits of a call that sets none of its own. */
  readonly callLimits: CallLimits;
  readonly cache: ResponseCache | undefined;
  readonly routing: Routing;
  /** Which deployment answered each recent conversation (the `affinity` option); undefined when off. */
  readonly affinity: Affinity | undefined;
  readonly budget: SpendBudget | undefined;
  readonly fallback: FallbackChain;
  /** Holds the catalog's `limits` and the providers' rate-limit pauses, for the fallback walk. */
  readonly rateLimiter: RateLimiter;
  /** The call stage of a non-streaming chat request, and of a stream up to its first token. */
  readonly sendCompletion: ReturnType<typeof completionSender>;
  readonly sendStream: (call: Call, live: LiveDeployment) => Promise<UpstreamStream>;
  /** The send step of an embeddings request. */
  readonly sendEmbeddings: ReturnType<typeof embeddingSender>;
  /** The send step of a Responses request, and of a Responses stream up to its first output event. */
  readonly sendResponse: ReturnType<typeof responseSender>;
  readonly sendResponseStream: (call: Call, live: LiveDeployment) => Promise<ResponseUpstreamStream>;
  /** Which deployment produced each recent Responses answer: where a request continuing it must go. */
  readonly responseOwners = new ResponseOwners();
  readonly ledger: Ledger;
  /** Shadow sampling, offered each answered call as it settles (the `shadow` option). */
  readonly shadows: ShadowSampler | undefined;
  /** The background probes of the providers that set `healthCheck`; undefined when none does. */
  readonly health: HealthChecks | undefined;
  /** The cache store the application passed in, if any (not ours to close). */
  readonly providedStore: unknown;
  /** Set by `close()`: new calls are refused. */
  closed = false;
  /** The keep-alive pools of the providers that set `connections`, closed by `close()`. */
  readonly pools: ReadonlyMap<string, ConnectionPool>;
  /** The `openai` options of the client's own base: its `defaultProvider`, for the resources not routed. */
  readonly baseOptions: ClientOptions;

  constructor(options: TieredClientOptions) {
    this.settings = resolveOptions(options);
    const { breaker, timeouts, retry } = this.settings;
    // Within `regions.only` (the whole catalog without it): what is routed, probed and reported.
    const { catalog, preferred, only } = this.settings.regions;
    this.providedStore = options.cache === false ? undefined : options.cache?.store;
    const { clients, secrets, pools } = providerClients(catalog);
    this.pools = pools;
    this.baseOptions = baseClientOptions(catalog.providers[this.settings.defaultProvider]!, pools.get(this.settings.defaultProvider));
    this.redactor = new Redactor(secrets);
    const makeLive = (d: Deployment): LiveDeployment =>
      new LiveDeployment(d, clients.get(d.provider)!, breaker, this.#onBreakerChange, this.settings.drain, this.#onDrainChange);
    const live = new Map(catalog.deployments.map((d) => [d, makeLive(d)]));
    this.passthrough =
      this.settings.unknownModels === 'passthrough' ? new PassthroughModels(this.settings.defaultProvider, makeLive) : undefined;
    this.deployments = [...live.values()];
    this.metrics = new MetricsRecorder(
      this.settings.metrics.windowMs,
      this.settings.metrics.baseline.id,
      this.settings.slo,
      (event, payload) => {
        if (this.telemetry.wants(event)) this.telemetry.emit(event, payload);
      },
    );
    this.callLimits = Object.freeze({
      attemptTimeoutMs: timeouts.requestMs,
      firstTokenMs: timeouts.firstTokenMs,
      idleMs: timeouts.idleMs,
      retries: retry.retries,
      deadlineMs: timeouts.deadlineMs,
    });
    // Before the cache and the classifier: their own requests count under the deployments' limits too.
    this.rateLimiter = new RateLimiter(this.settings.rateLimit, this.telemetry, this.redactor);
    const limiter = this.rateLimiter;
    const cache = this.settings.cache;
    const semantic =
      cache?.semantic === undefined
        ? undefined
        : new SemanticCache({ ...cache.semantic, live: live.get(cache.semantic.deployment)!, timeoutMs: cache.timeoutMs, limiter });
    this.cache = cache === undefined ? undefined : new ResponseCache(cache, this.telemetry, semantic, this.redactor);
    const grading = this.settings.classifier;
    const chat = chatView(catalog);
    const grader =
      grading === undefined
        ? undefined
        : this.deployments.find((d) => d.deployment.model.id === grading.model && !isEmbeddingModel(d.deployment.model));
    const passthrough = this.passthrough;
    // One route of unknown models for every kind (chat, embeddings, the Responses API).
    const passthroughRoute = passthrough === undefined ? undefined : (model: string) => passthrough.route(model);
    const routesUnder = (policy: FallbackPolicy): ReadonlyMap<string, Route> => liveRoutes({ catalog, live, preferred }, policy);
    const outside = only === undefined ? undefined : regionsOnlyErrors(this.settings.catalog, only);
    // Calls may set their own fallback: 'none' and 'escalate' are precomputed too (a tier list is made per call).
    const none = routesUnder('none');
    const escalate = routesUnder('escalate');
    const policy = this.settings.fallback;
    this.affinity = this.settings.affinity === undefined ? undefined : new Affinity(this.settings.affinity);
    this.routing = new Routing({
      affinity: this.affinity,
      routes: policy === 'none' ? none : policy === 'escalate' ? escalate : routesUnder(policy),
      routesUnder: { none, escalate },
      tiers: chat.tiers,
      embeddingOnly: chat.embeddingOnly,
      loadBalancing: this.settings.loadBalancing,
      router: this.settings.router as ((request: TieredChatParams) => string | Promise<string>) | undefined,
      classifier:
        grading === undefined || grader === undefined ? undefined : new TierClassifier({ ...grading, grader, tiers: chat.tiers, limiter }),
      checkCapabilities: chat.deployments.some((d) => d.model.capabilities !== undefined),
      telemetry: this.telemetry,
      kinds: kindRoutes({
        catalog,
        live,
        fallback: policy,
        loadBalancing: this.settings.loadBalancing,
        passthrough: passthroughRoute,
        owners: this.responseOwners,
        preferred,
        outside,
      }),
      passthrough: passthroughRoute,
      outsideRegions: outside?.chat,
    });
    this.budget = this.settings.budget === undefined ? undefined : new SpendBudget(this.settings.budget, this.telemetry);
    this.fallback = new FallbackChain({ telemetry: this.telemetry, redactor: this.redactor, retry, rateLimiter: this.rateLimiter });
    this.sendCompletion = completionSender(this.redactor);
    this.sendStream = streamSender(this.redactor, chatStreamReading);
    this.sendEmbeddings = embeddingSender(this.redactor);
    this.sendResponse = responseSender(this.redactor);
    this.sendResponseStream = streamSender(this.redactor, responseStreamReading);
    this.ledger = new Ledger({
      metrics: this.metrics,
      answers: this.answers,
      telemetry: this.telemetry,
      redactor: this.redactor,
      baseline: this.settings.metrics.baseline,
      captureContent: this.settings.captureContent,
      tally: this.tally,
    });
    const shadow = this.settings.shadow;
    this.shadows =
      shadow === undefined
        ? undefined
        : new ShadowSampler({
            settings: shadow,
            telemetry: this.telemetry,
            send: sideRequests({
              routing: this.routing,
              budget: this.budget,
              redactor: this.redactor,
              retry,
              rateLimiter: this.rateLimiter,
              limits: this.callLimits,
              send: this.sendCompletion,
            }),
            record: (placement, score) => this.metrics.recordShadow(placement, score),
          });
    // Last: the first probes leave now, and their outcomes need every part above.
    const { telemetry, redactor, budget, deployments } = this;
    this.health = startHealthChecks({
      providers: catalog.providers,
      deployments,
      telemetry,
      redactor,
      budget,
      rateLimiter: this.rateLimiter,
    });
  }

  readonly #onDrainChange = (live: LiveDeployment, drained: boolean, p99Ms: number): void => {
    const event = drained ? 'deployment:drained' : 'deployment:restored';
    if (!this.telemetry.wants(event)) return;
    const { model, provider } = live.deployment;
    this.telemetry.emit(event, drained ? { model: model.id, provider, p99Ms } : { model: model.id, provider });
  };

  readonly #onBreakerChange = (live: LiveDeployment, state: BreakerState): void => {
    const { model, provider, tier } = live.deployment;
    if (state === 'open') this.metrics.breakerOpened({ tier, model: model.id, provider });
    const event = breakerEvents[state];
    if (this.telemetry.wants(event)) this.telemetry.emit(event, { model: model.id, provider });
  };
}
