import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Route } from './loadBalancing.js';

/**
 * The client's `region` preference, applied once when the routes are built: each group of equals
 * (one tier's deployments, or one model's) is split into one group per preferred region, in the
 * given order, then the rest (entries of other regions or of none). Groups keep their places, so a
 * preferred deployment never moves into another tier's (a pricier one's) place, and load balancing,
 * which reorders within a group only, balances among the preferred first.
 */
export function preferRegions(route: Route, preferred: readonly string[]): Route {
  const groups: (readonly LiveDeployment[])[] = [];
  for (const group of route.groups) {
    for (const region of preferred)
      push(
        groups,
        group.filter((live) => live.deployment.model.region === region),
      );
    push(
      groups,
      group.filter((live) => {
        const { region } = live.deployment.model;
        return region === undefined || !preferred.includes(region);
      }),
    );
  }
  return { groups, ordered: Object.freeze(groups.flat()) };
}

function push(groups: (readonly LiveDeployment[])[], group: LiveDeployment[]): void {
  if (group.length > 0) groups.push(Object.freeze(group));
}
