import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Route } from './loadBalancing.js';
import { inRegions } from '../catalog/regionList.js';

/** A call's own `providers` option (checked against the catalog by checkCallRouting.ts). */
export interface ProviderConstraints {
  readonly only?: readonly string[];
  readonly ignore?: readonly string[];
  readonly order?: readonly string[];
}

/**
 * A route kept to the providers a call allows and, with its own `region` (as a list), to the
 * deployments whose catalog entry is in one of those regions (an entry with no `region` is in none).
 * With `order`, each group of equals is split: one group per named provider, in that order, then the
 * rest. Load balancing then reorders within those groups only, so the preference holds and a
 * deployment never leaves its tier's place.
 */
export function constrainRoute(route: Route, providers: ProviderConstraints | undefined, regions?: readonly string[]): Route {
  const { only, ignore, order } = providers ?? {};
  const groups: (readonly LiveDeployment[])[] = [];
  for (const group of route.groups) {
    const kept = group.filter(
      ({ deployment }) =>
        only?.includes(deployment.provider) !== false &&
        ignore?.includes(deployment.provider) !== true &&
        (regions === undefined || inRegions(deployment, regions)),
    );
    if (order === undefined) {
      if (kept.length > 0) groups.push(kept);
      continue;
    }
    for (const name of order)
      pushNonEmpty(
        groups,
        kept.filter((live) => live.deployment.provider === name),
      );
    pushNonEmpty(
      groups,
      kept.filter((live) => !order.includes(live.deployment.provider)),
    );
  }
  return { groups, ordered: groups.flat() };
}

/**
 * The route of a call whose own `fallback` is a list of tiers: the requested tier's deployments (for a
 * model id, its own, then the rest of its tier), then each listed tier's, each deployment once.
 * `own` holds the route of every tier and model id without fallback: one group each (or one per
 * preferred region, with the client's `region`: those splits are kept).
 */
export function tierListRoute(own: ReadonlyMap<string, Route>, name: string, tiers: readonly string[]): Route | undefined {
  const requested = own.get(name);
  const first = requested?.ordered[0];
  if (requested === undefined || first === undefined) return undefined;
  const seen = new Set<LiveDeployment>();
  const groups: (readonly LiveDeployment[])[] = [];
  const add = (route: Route | undefined): void => {
    for (const group of route?.groups ?? []) {
      const fresh = group.filter((live) => !seen.has(live));
      for (const live of fresh) seen.add(live);
      pushNonEmpty(groups, fresh);
    }
  };
  add(requested);
  add(own.get(first.deployment.tier));
  for (const tier of tiers) add(own.get(tier));
  return { groups, ordered: groups.flat() };
}

function pushNonEmpty(groups: (readonly LiveDeployment[])[], group: readonly LiveDeployment[]): void {
  if (group.length > 0) groups.push(group);
}
