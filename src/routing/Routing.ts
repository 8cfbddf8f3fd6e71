import type { Call } from '../call/Call.js';
import { abortError } from '../call/abortError.js';
import type { TieredChatParams } from '../call/requests.js';
import { withinScope } from '../call/withinScope.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { fitCandidates } from './fitCandidates.js';
import { heuristicTier, requestFeatures, type RouteDecision } from './heuristicRouter.js';
import { arrange, type LoadBalancing, type Route } from './loadBalancing.js';
import { estimatePromptTokens } from './promptTokens.js';
import type { TierClassifier } from './TierClassifier.js';

/** What routing needs of the client. */
export interface RoutingParts {
  /** Deployments to try for each tier name and model id, fallbacks included. */
  readonly routes: ReadonlyMap<string, Route>;
  /** Tier names, cheapest first. */
  readonly tiers: readonly string[];
  readonly loadBalancing: LoadBalancing;
  /** The client's `router` option, for `'auto'`. */
  readonly router: ((request: TieredChatParams) => string | Promise<string>) | undefined;
  /** Grades `'auto'` requests, when configured. */
  readonly classifier: TierClassifier | undefined;
  /** True when some model lists its capabilities: only then are requests checked against them. */
  readonly checkCapabilities: boolean;
  readonly telemetry: Telemetry;
}

type Decision = { tier: string; by: 'custom' | 'classifier' | 'heuristic'; reason: string };

/**
 * The route and fit stages: the request's model field (a tier, a model id, or `'auto'`) to the
 * deployments to try, fallbacks included, less those that cannot serve it. A precomputed lookup,
 * synchronous, except for `'auto'`, which asks the client's `router`, else the classifier when
 * configured, else the built-in heuristic, and says so in a `route` event.
 */
export class Routing {
  constructor(private readonly parts: RoutingParts) {}

  /** @throws ConfigError for a name the catalog does not know, before any network call. */
  route(call: Call): readonly LiveDeployment[] | Promise<readonly LiveDeployment[]> {
    return call.requested === 'auto' ? this.#routeAuto(call) : this.candidatesFor(call.requested);
  }

  /** Of the candidates, those that can serve the call at all; see {@link fitCandidates}. */
  fit(call: Call, candidates: readonly LiveDeployment[]): readonly LiveDeployment[] {
    return fitCandidates(call, candidates, this.parts.checkCapabilities);
  }

  /**
   * The candidates of a call downgraded for budget: the cheapest tier's own deployments (no fallback
   * up: that would spend at full price, unreserved), or undefined when they cannot serve it.
   */
  cheapest(call: Call): readonly LiveDeployment[] | undefined {
    const cheapest = this.parts.routes.get(this.parts.tiers[0]!)?.groups[0];
    if (cheapest === undefined) return undefined;
    try {
      return this.fit(call, cheapest);
    } catch {
      return undefined;
    }
  }

  /** The deployments to try for a tier name or model id, arranged by the client's load balancing. */
  candidatesFor(name: unknown): readonly LiveDeployment[] {
    const found = typeof name === 'string' ? this.parts.routes.get(name) : undefined;
    if (found === undefined) {
      const { tiers } = this.parts;
      throw new ConfigError(
        'model',
        `'${String(name)}' is not a tier, a model id of the catalog, or 'auto'`,
        `Use a tier (${tiers.join(', ')}), a catalog model id, or 'auto'.`,
      );
    }
    return arrange(found, this.parts.loadBalancing);
  }

  async #routeAuto(call: Call): Promise<readonly LiveDeployment[]> {
    const decision = await this.#decide(call);
    const { telemetry } = this.parts;
    if (telemetry.wants('route')) telemetry.emit('route', { requestId: call.requestId, requested: call.requested, ...decision });
    return this.candidatesFor(decision.tier);
  }

  /** The tier of an `'auto'` request: the client's router, else the classifier (if configured), else the heuristic. */
  async #decide(call: Call): Promise<Decision> {
    const { router, tiers, classifier } = this.parts;
    const heuristic = (): RouteDecision => heuristicTier(requestFeatures(call.params, estimatePromptTokens(call.params.messages)), tiers);
    if (router !== undefined) {
      // The router is the application's code: it gets the call's deadline, and its failure is not the call's.
      let tier: string;
      try {
        tier = await withinScope(call, Number.POSITIVE_INFINITY, () => router(call.params));
      } catch (error) {
        if (call.scope.abortReason !== undefined) throw abortError(call, error);
        const fallback = heuristic();
        return { tier: fallback.tier, by: 'heuristic', reason: `the router failed (${describe(error)}); ${fallback.reason}` };
      }
      if (!tiers.includes(tier)) {
        throw new ConfigError('router', `returned '${String(tier)}', which is not a tier`, `Return one of: ${tiers.join(', ')}.`);
      }
      return { tier, by: 'custom', reason: 'the client router' };
    }
    if (classifier === undefined) return { ...heuristic(), by: 'heuristic' };
    let grade;
    try {
      grade = await classifier.grade(call);
    } catch (error) {
      throw abortError(call, error);
    }
    if (grade.tier !== undefined) return { tier: grade.tier, by: 'classifier', reason: grade.reason };
    const fallback = heuristic();
    return { tier: fallback.tier, by: 'heuristic', reason: `${grade.failure}; ${fallback.reason}` };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
