import type { Call } from '../call/Call.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { constrainRoute, tierListRoute } from './constrainRoute.js';
import { arrange, type LoadBalancing, type Route } from './loadBalancing.js';
import { noDeploymentLeft } from './noDeploymentLeft.js';
import type { OutsideRegions } from './outsideRegions.js';
import { inRegions, regionList } from '../catalog/regionList.js';

/** What a kind of request other than chat is routed over (its own deployments, by tier name and model id). */
export interface KindRouteParts {
  /** Its routes, precomputed: each tier name and model id it may name, to the deployments that may answer. */
  readonly routes: ReadonlyMap<string, Route>;
  /**
   * The same under `fallback: 'none'` and `'escalate'`, for a call that sets its own `fallback`; absent
   * for a kind whose routes never leave one model (embeddings), where a call's `fallback` changes nothing.
   */
  readonly routesUnder?: { readonly none: ReadonlyMap<string, Route>; readonly escalate: ReadonlyMap<string, Route> };
  /** The deployment a call must go to and nowhere else (a stateful Responses request), when there is one. */
  readonly pinned?: (call: Call) => LiveDeployment | undefined;
  /** Every tier name and model id of the catalog: one this kind cannot serve is a ConfigError, never a passthrough model. */
  readonly catalogNames: ReadonlySet<string>;
  /** What its deployments are, for errors: e.g. `'an embedding model'`. */
  readonly serves: string;
  /** How a catalog entry becomes one of them, for the error's hint. */
  readonly howToAdd: string;
  readonly loadBalancing: LoadBalancing;
  /** With `unknownModels: 'passthrough'`: the route of a model the catalog does not know. */
  readonly passthrough: ((model: string) => readonly LiveDeployment[]) | undefined;
  /** With the client's `regions.only`: the error for a name served only outside them. */
  readonly outsideRegions?: OutsideRegions | undefined;
}

/**
 * The route stage of a kind of request other than chat (embeddings, the Responses API): a map
 * lookup of the model field, under the call's `fallback` (where the kind has fallback tiers) and
 * `providers` and `region`. No `'auto'`: the router grades chat.
 */
export class KindRoutes {
  constructor(private readonly parts: KindRouteParts) {}

  /** @throws ConfigError for a name it does not serve, or `fallback`/`providers`/`region` that leave no deployment. */
  candidates(call: Call): readonly LiveDeployment[] {
    const name = call.requested;
    const { routes, loadBalancing } = this.parts;
    const base = this.#base(call, name);
    const pinned = this.parts.pinned?.(call);
    if (pinned !== undefined) return this.#pinned(call, base, pinned);
    const { providers, region } = call.options;
    if (providers === undefined && region === undefined) return arrange(base, loadBalancing);
    const regions = regionList(region);
    const constrained = constrainRoute(base, providers, regions);
    if (constrained.ordered.length === 0)
      throw noDeploymentLeft(name, { fallback: call.options.fallback, providers, regions }, base, routes.get(name));
    return arrange(constrained, loadBalancing);
  }

  #base(call: Call, name: string): Route {
    const { routes, routesUnder, passthrough, catalogNames } = this.parts;
    const { fallback } = call.options;
    const found =
      fallback === undefined || routesUnder === undefined
        ? routes.get(name)
        : fallback === 'none' || fallback === 'escalate'
          ? routesUnder[fallback].get(name)
          : tierListRoute(routesUnder.none, name, fallback);
    if (found !== undefined) return found;
    if (passthrough === undefined || name === 'auto' || catalogNames.has(name)) throw this.#unknown(name);
    const live = passthrough(name);
    return { groups: [live], ordered: live };
  }

  /**
   * A stateful call stays with the provider that holds its state, on a deployment of the route of the
   * model it names: the owner itself when the route has it, else the route's first deployment on the
   * owner's provider (which keeps the response whichever of its models answers next). No fallback.
   * @throws ConfigError when the route, under the call's `providers` and `region`, has no deployment there
   */
  #pinned(call: Call, base: Route, owner: LiveDeployment): readonly LiveDeployment[] {
    const { providers } = call.options;
    const regions = regionList(call.options.region);
    const { provider } = owner.deployment;
    const route = providers === undefined && regions === undefined ? base.ordered : constrainRoute(base, providers, regions).ordered;
    const chosen = route.includes(owner) ? owner : route.find((live) => live.deployment.provider === provider);
    if (chosen !== undefined) return [chosen];
    const there = base.ordered.filter((live) => live.deployment.provider === provider);
    if (regions !== undefined && there.length > 0 && !there.some((live) => inRegions(live.deployment, regions))) {
      throw new ConfigError(
        'options.region',
        `leaves out every deployment of ${provider}, which holds the response this request continues`,
        'Allow the region of that deployment for this call, or start a new conversation (no previous_response_id).',
      );
    }
    if (providers !== undefined && there.length > 0) {
      throw new ConfigError(
        'options.providers',
        `leaves out ${provider}, which holds the response this request continues`,
        'Allow that provider for this call, or start a new conversation (no previous_response_id).',
      );
    }
    throw new ConfigError(
      'model',
      `'${call.requested}' has no deployment on ${provider} that serves ${this.parts.serves}, and ${provider} holds the response this request continues (${owner.deployment.model.id} made it)`,
      `Name a tier or model served by ${provider} (e.g. '${owner.deployment.model.id}'), or start a new conversation (no previous_response_id).`,
    );
  }

  #unknown(name: string): ConfigError {
    const { routes, serves, howToAdd, catalogNames, passthrough } = this.parts;
    const outside = this.parts.outsideRegions?.(name);
    if (outside !== undefined) return outside;
    if (name === 'auto') {
      return new ConfigError(
        'model',
        `'auto' routes chat completions only (this request wants ${serves})`,
        `Name a tier or a model id: ${[...routes.keys()].join(', ') || 'the catalog has none yet'}.`,
      );
    }
    const known = [...routes.keys()];
    if (catalogNames.has(name)) {
      return new ConfigError(
        'model',
        `'${name}' has no deployment that serves ${serves}`,
        `To route it there, ${howToAdd}${known.length === 0 ? '' : ` Or use one of: ${known.join(', ')}.`}`,
      );
    }
    return new ConfigError(
      'model',
      `'${name}' is not a tier with ${serves} nor the id of one in the catalog`,
      known.length === 0
        ? `The catalog has none: ${howToAdd}`
        : passthrough === undefined
          ? `Use one of: ${known.join(', ')}; or set the client option unknownModels: 'passthrough' to send models the catalog does not know to defaultProvider.`
          : `Use one of: ${known.join(', ')}, or a model the catalog does not know (unknownModels: 'passthrough').`,
    );
  }
}
