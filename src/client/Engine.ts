import { ResponseCache } from '../cache/ResponseCache.js';
import { SpendBudget } from '../budget/SpendBudget.js';
import { MetricsBook } from '../metrics/MetricsBook.js';
import { SemanticCache } from '../cache/SemanticCache.js';
import { TierClassifier } from '../routing/TierClassifier.js';
import { providerClients } from '../catalog/providerClients.js';
import { LiveDeployment, type BreakerState } from '../resilience/LiveDeployment.js';
import { candidateRoutes } from '../routing/candidateRoutes.js';
import type { Route } from '../routing/loadBalancing.js';
import { Redactor } from '../telemetry/Redactor.js';
import { Telemetry } from '../telemetry/Telemetry.js';
import type { TieredClientOptions } from './options.js';
import { resolveOptions, type Settings } from './resolveOptions.js';

const breakerEvents = { open: 'breaker:open', halfOpen: 'breaker:half-open', closed: 'breaker:close' } as const;

/** Everything a client holds for its lifetime, shared by all its requests. */
export class Engine {
  readonly settings: Settings;
  readonly telemetry = new Telemetry();
  readonly redactor: Redactor;
  /** One per catalog deployment, in catalog order. */
  readonly deployments: readonly LiveDeployment[];
  /** Deployments to try for each tier name and model id, fallbacks included. */
  readonly routes: ReadonlyMap<string, Route>;
  /** The numbers behind `client.metrics()`. */
  readonly metrics: MetricsBook;
  /** The spend budget, when configured. */
  readonly budget: SpendBudget | undefined;
  /** Grades `'auto'` requests, when configured. */
  readonly classifier: TierClassifier | undefined;
  /** True when some model lists its capabilities: only then are requests checked against them. */
  readonly catalogHasCapabilities: boolean;
  /** The response cache, when configured. */
  readonly cache: ResponseCache | undefined;
  /** The cache store the application passed in, if any (not ours to close). */
  readonly providedStore: unknown;
  closed = false;

  constructor(options: TieredClientOptions) {
    this.settings = resolveOptions(options);
    this.providedStore = options.cache === false ? undefined : options.cache?.store;
    const { catalog, breaker } = this.settings;
    const { clients, secrets } = providerClients(catalog);
    this.redactor = new Redactor(secrets);
    const live = new Map(
      catalog.deployments.map(
        (d) =>
          [
            d,
            new LiveDeployment(d, clients.get(d.provider)!, breaker, this.onBreakerChange, this.settings.drain, this.onDrainChange),
          ] as const,
      ),
    );
    this.deployments = [...live.values()];
    this.metrics = new MetricsBook(
      this.settings.metrics.windowMs,
      this.settings.metrics.baseline.id,
      this.settings.slo,
      (event, payload) => {
        if (this.telemetry.wants(event)) this.telemetry.emit(event, payload);
      },
    );
    this.budget = this.settings.budget === undefined ? undefined : new SpendBudget(this.settings.budget, this.telemetry);
    this.catalogHasCapabilities = catalog.models.some((model) => model.capabilities !== undefined);
    const grading = this.settings.classifier;
    const grader = grading === undefined ? undefined : this.deployments.find((live) => live.deployment.model.id === grading.model);
    this.classifier =
      grading === undefined || grader === undefined ? undefined : new TierClassifier({ ...grading, grader, tiers: catalog.tiers });
    const cache = this.settings.cache;
    const semantic =
      cache?.semantic === undefined
        ? undefined
        : new SemanticCache({ ...cache.semantic, client: clients.get(cache.semantic.provider)!, timeoutMs: cache.timeoutMs });
    this.cache = cache === undefined ? undefined : new ResponseCache(cache, this.telemetry, semantic);
    this.routes = new Map(
      [...candidateRoutes(catalog, this.settings.fallback)].map(([name, groups]) => {
        const liveGroups = groups.map((group) => Object.freeze(group.map((d) => live.get(d)!)));
        return [name, { groups: liveGroups, ordered: Object.freeze(liveGroups.flat()) }];
      }),
    );
  }

  private readonly onDrainChange = (live: LiveDeployment, drained: boolean, p99Ms: number): void => {
    const event = drained ? 'deployment:drained' : 'deployment:restored';
    if (!this.telemetry.wants(event)) return;
    const { model, provider } = live.deployment;
    this.telemetry.emit(event, drained ? { model: model.id, provider, p99Ms } : { model: model.id, provider });
  };

  private readonly onBreakerChange = (live: LiveDeployment, state: BreakerState): void => {
    const { model, provider, tier } = live.deployment;
    if (state === 'open') this.metrics.breakerOpened({ tier, model: model.id, provider });
    const event = breakerEvents[state];
    if (this.telemetry.wants(event)) this.telemetry.emit(event, { model: live.deployment.model.id, provider: live.deployment.provider });
  };
}
