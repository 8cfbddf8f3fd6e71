import type { Call } from '../call/Call.js';
import type { Operation } from '../call/Operation.js';
import type { KindRoutes } from './KindRoutes.js';
import { abortError } from '../call/abortError.js';
import type { TieredChatParams } from '../call/requests.js';
import { withinScope } from '../call/withinScope.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { fitCandidates } from './fitCandidates.js';
import { heuristicTier, requestFeatures, type RouteDecision } from './heuristicRouter.js';
import { constrainRoute, tierListRoute } from './constrainRoute.js';
import { arrange, type LoadBalancing, type Route } from './loadBalancing.js';
import { noDeploymentLeft } from './noDeploymentLeft.js';
import { unknownModel } from './unknownModel.js';
import type { OutsideRegions } from './outsideRegions.js';
import { regionList } from '../catalog/regionList.js';
import { estimatePromptTokens } from './promptTokens.js';
import type { TierClassifier } from './TierClassifier.js';
import type { Affinity } from './Affinity.js';

/** What routing needs of the client. */
export interface RoutingParts {
  /** Deployments to try for each tier name and model id, fallbacks included. */
  readonly routes: ReadonlyMap<string, Route>;
  /** The same under `fallback: 'none'` and `'escalate'`, for calls that set their own. */
  readonly routesUnder: { readonly none: ReadonlyMap<string, Route>; readonly escalate: ReadonlyMap<string, Route> };
  /** Names of the tiers holding chat models, cheapest first. */
  readonly tiers: readonly string[];
  /** Tier names and model ids of embedding models alone: not for chat, said precisely when asked for. */
  readonly embeddingOnly: ReadonlySet<string>;
  readonly loadBalancing: LoadBalancing;
  /** The client's `router` option, for `'auto'`. */
  readonly router: ((request: TieredChatParams) => string | Promise<string>) | undefined;
  /** Grades `'auto'` requests, when configured. */
  readonly classifier: TierClassifier | undefined;
  /** True when some model lists its capabilities: only then are requests checked against them. */
  readonly checkCapabilities: boolean;
  readonly telemetry: Telemetry;
  /** With `unknownModels: 'passthrough'`: the route of a model the catalog does not know. */
  readonly passthrough: ((model: string) => readonly LiveDeployment[]) | undefined;
  /** The routes of the other kinds of request (embeddings, the Responses API). */
  readonly kinds: Readonly<Record<Exclude<Operation, 'chat'>, KindRoutes>>;
  /** With the client's `regions.only`: the error for a name served only outside them. */
  readonly outsideRegions?: OutsideRegions | undefined;
  /** Conversation affinity (the `affinity` option); undefined when off. */
  readonly affinity?: Affinity | undefined;
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
    if (call.operation !== 'chat') return this.parts.kinds[call.operation].candidates(call);
    // An 'auto' conversation keeps its tier: its key is needed before the tier is chosen.
    const { affinity } = this.parts;
    if (affinity !== undefined && call.requested === 'auto') call.conversation = affinity.keyOf(call.params, call.options);
    return call.requested === 'auto' ? this.#routeAuto(call) : this.#candidates(call, call.requested);
  }

  /**
   * For a call with its own `fallback`, `providers` or `region`: fails it now when they leave it no
   * deployment (for `'auto'`, when no tier has one left), before the cache or the budget is consulted.
   */
  checkConstraints(call: Call): void {
    if (call.operation !== 'chat') return void this.parts.kinds[call.operation].candidates(call);
    const { providers } = call.options;
    if (call.requested !== 'auto') {
      this.#constrained(call, call.requested);
      return;
    }
    const regions = regionList(call.options.region);
    if (providers === undefined && regions === undefined) return;
    const groups = this.parts.tiers.map((tier) => this.parts.routesUnder.none.get(tier)!.ordered);
    const everything: Route = { groups, ordered: groups.flat() };
    if (constrainRoute(everything, providers, regions).ordered.length === 0)
      throw noDeploymentLeft('auto', { providers, regions }, everything, undefined);
  }

  /** Of the candidates, those that can serve the call at all; see {@link fitCandidates}. */
  fit(call: Call, candidates: readonly LiveDeployment[]): readonly LiveDeployment[] {
    return fitCandidates(call, candidates, this.parts.checkCapabilities);
  }

  /**
   * The candidates of a call downgraded for budget: the cheapest tier's own deployments (no fallback
   * up: that would spend at full price, unreserved) within the call's `providers` and `region`, or
   * undefined when none is left or they cannot serve it. Other kinds are never downgraded: their
   * route is one model already, and another model's vectors live in another space.
   */
  cheapest(call: Call): readonly LiveDeployment[] | undefined {
    if (call.operation !== 'chat') return undefined;
    const route = this.parts.routesUnder.none.get(this.parts.tiers[0]!);
    if (route === undefined) return undefined;
    const { providers, region } = call.options;
    const cheapest =
      providers === undefined && region === undefined ? route.ordered : constrainRoute(route, providers, regionList(region)).ordered;
    if (cheapest.length === 0) return undefined;
    try {
      return this.fit(call, cheapest);
    } catch {
      return undefined;
    }
  }

  /** The deployments to try for a tier name or model id, arranged by the client's load balancing. */
  candidatesFor(name: unknown): readonly LiveDeployment[] {
    const found = typeof name === 'string' ? this.parts.routes.get(name) : undefined;
    if (found !== undefined) return arrange(found, this.parts.loadBalancing);
    if (typeof name === 'string' && this.parts.passthrough !== undefined && !this.parts.embeddingOnly.has(name))
      return this.parts.passthrough(name);
    throw unknownModel(name, this.parts);
  }

  /**
   * The candidates for `name`, under the call's own `fallback`, `providers` and `region` when it sets
   * them; with affinity, the conversation's deployment first among the route's first group of equals.
   */
  #candidates(call: Call, name: string): readonly LiveDeployment[] {
    const { fallback, providers, region } = call.options;
    const { affinity } = this.parts;
    // The common call sets none: a map lookup, nothing allocated.
    const route =
      fallback === undefined && providers === undefined && region === undefined
        ? this.parts.routes.get(name)
        : this.#constrained(call, name);
    if (route === undefined) return this.candidatesFor(name);
    const arranged = arrange(route, this.parts.loadBalancing);
    if (affinity === undefined) return arranged;
    const equals = route.groups[0]!.length;
    // Affinity orders a group of equals: where the name has a single deployment first (this call's
    // own constraints aside, which may narrow a later call less), there is nothing to choose, and no key to compute.
    if (equals < 2 && call.conversation === undefined && !((this.parts.routes.get(name)?.groups[0]?.length ?? 0) > 1)) return arranged;
    const key = (call.conversation ??= affinity.keyOf(call.params, call.options));
    return key === undefined || equals < 2 ? arranged : affinity.first(key, arranged, equals);
  }

  /** @throws ConfigError for an unknown name, or constraints that leave no deployment. */
  #constrained(call: Call, name: string): Route {
    const { fallback, providers } = call.options;
    const { routes, routesUnder } = this.parts;
    const base =
      fallback === undefined
        ? routes.get(name)
        : fallback === 'none' || fallback === 'escalate'
          ? routesUnder[fallback].get(name)
          : tierListRoute(routesUnder.none, name, fallback);
    if (base === undefined) return this.#passthroughRoute(call, name);
    const regions = regionList(call.options.region);
    if (providers === undefined && regions === undefined) return base;
    const route = constrainRoute(base, providers, regions);
    if (route.ordered.length === 0) throw noDeploymentLeft(name, { fallback, providers, regions }, base, routes.get(name));
    return route;
  }

  /**
   * A passthrough model under the call's `providers` and `region` (its `fallback` changes nothing: it
   * has none). It has no region: a call with its own `region` never goes to one.
   */
  #passthroughRoute(call: Call, name: string): Route {
    const { passthrough, embeddingOnly } = this.parts;
    if (passthrough === undefined || embeddingOnly.has(name)) throw unknownModel(name, this.parts);
    const live = passthrough(name);
    const base: Route = { groups: [live], ordered: live };
    const { providers } = call.options;
    const regions = regionList(call.options.region);
    if (providers === undefined && regions === undefined) return base;
    const route = constrainRoute(base, providers, regions);
    if (route.ordered.length === 0) throw noDeploymentLeft(name, { providers, regions }, base, base);
    return route;
  }

  async #routeAuto(call: Call): Promise<readonly LiveDeployment[]> {
    const decided = await this.#decide(call);
    // Under affinity an 'auto' conversation's tier never falls (if its constraints still allow the tier).
    const kept = this.parts.affinity?.keptTier(call.conversation, decided.tier, this.parts.tiers);
    const decision =
      kept === undefined || !this.#serves(call, kept)
        ? decided
        : {
            ...decided,
            tier: kept,
            reason: `conversation affinity keeps tier ${kept} (${decided.tier} chosen: ${decided.reason})`,
          };
    call.autoTier = decision.tier;
    const { telemetry } = this.parts;
    if (telemetry.wants('route'))
      telemetry.emit('route', { requestId: call.requestId, operation: call.operation, requested: call.requested, ...decision });
    return this.#candidates(call, decision.tier);
  }

  /** True when the call's constraints leave `tier` a deployment. */
  #serves(call: Call, tier: string): boolean {
    try {
      return this.#constrained(call, tier).ordered.length > 0;
    } catch {
      return false;
    }
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
        throw (
          this.parts.outsideRegions?.(tier) ??
          new ConfigError('router', `returned '${String(tier)}', which is not a tier`, `Return one of: ${tiers.join(', ')}.`)
        );
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
