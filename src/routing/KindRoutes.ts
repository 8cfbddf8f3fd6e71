import type { Call } from '../call/Call.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { constrainRoute } from './constrainRoute.js';
import { arrange, type LoadBalancing, type Route } from './loadBalancing.js';
import { noDeploymentLeft } from './noDeploymentLeft.js';

/** What a kind of request other than chat is routed over (its own deployments, by tier name and model id). */
export interface KindRouteParts {
  /** Its routes, precomputed: each tier name and model id it may name, to the deployments that may answer. */
  readonly routes: ReadonlyMap<string, Route>;
  /** What its deployments are, for errors: e.g. `'an embedding model'`. */
  readonly serves: string;
  /** How a catalog entry becomes one of them, for the error's hint. */
  readonly howToAdd: string;
  readonly loadBalancing: LoadBalancing;
  /** With `unknownModels: 'passthrough'`: the route of a model the catalog does not know. */
  readonly passthrough: ((model: string) => readonly LiveDeployment[]) | undefined;
  /** Every tier name and model id of the catalog: known, so never passed through (a chat tier is no model id). */
  readonly catalogNames: ReadonlySet<string>;
}

/**
 * The route stage of a kind of request other than chat (embeddings, the Responses API): a map
 * lookup of the model field, under the call's `providers`. No `'auto'`: the router grades chat.
 * A call's `fallback` changes nothing here: each route already holds all its kind may fall back to.
 */
export class KindRoutes {
  constructor(private readonly parts: KindRouteParts) {}

  /** @throws ConfigError for a name it does not serve, or `providers` that leave no deployment. */
  candidates(call: Call): readonly LiveDeployment[] {
    const name = call.requested;
    const { routes, passthrough, loadBalancing } = this.parts;
    let route = routes.get(name);
    if (route === undefined) {
      if (passthrough === undefined || name === 'auto' || this.parts.catalogNames.has(name)) throw this.#unknown(name);
      const live = passthrough(name);
      route = { groups: [live], ordered: live };
    }
    const { providers } = call.options;
    if (providers === undefined) return arrange(route, loadBalancing);
    const constrained = constrainRoute(route, providers);
    if (constrained.ordered.length === 0) throw noDeploymentLeft(name, { providers }, route, route);
    return arrange(constrained, loadBalancing);
  }

  #unknown(name: string): ConfigError {
    const { routes, serves, howToAdd, passthrough } = this.parts;
    const known = [...routes.keys()];
    if (name === 'auto') {
      return new ConfigError(
        'model',
        `'auto' routes chat requests only, not requests for ${serves}`,
        `Name one: ${known.join(', ') || howToAdd}`,
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
