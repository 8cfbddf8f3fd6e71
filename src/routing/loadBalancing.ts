import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/**
 * How the deployments of one tier (or of one model under several providers) share its traffic:
 * - `ordered`: catalog order; the others are fallbacks.
 * - `weighted`: a random order drawn by the catalog `weight`s (default 1 each), so that each
 *   deployment comes first for its share of the requests.
 * - `least-latency`: the deployment with the lowest recent latency first (an exponentially weighted
 *   mean of its successful attempts; one with no history yet comes first, so that it gets some).
 */
export type LoadBalancing = 'ordered' | 'weighted' | 'least-latency';

/** A route: its groups of interchangeable deployments, and their catalog order flattened. */
export interface Route {
  readonly groups: readonly (readonly LiveDeployment[])[];
  readonly ordered: readonly LiveDeployment[];
}

/** The candidates of one request, in the order the strategy gives. `ordered` allocates nothing. */
export function arrange(route: Route, strategy: LoadBalancing, random: () => number = Math.random): readonly LiveDeployment[] {
  if (strategy === 'ordered' || route.groups.every((group) => group.length < 2)) return route.ordered;
  const out: LiveDeployment[] = [];
  for (const group of route.groups) {
    if (group.length < 2) out.push(...group);
    else if (strategy === 'weighted') out.push(...weightedOrder(group, random));
    else out.push(...[...group].sort((a, b) => a.recentLatencyMs - b.recentLatencyMs));
  }
  return out;
}

function weightedOrder(group: readonly LiveDeployment[], random: () => number): LiveDeployment[] {
  const left = [...group];
  const out: LiveDeployment[] = [];
  while (left.length > 0) {
    let total = 0;
    for (const live of left) total += live.deployment.model.weight ?? 1;
    let pick = random() * total;
    let index = 0;
    for (; index < left.length - 1; index++) {
      pick -= left[index]!.deployment.model.weight ?? 1;
      if (pick < 0) break;
    }
    out.push(...left.splice(index, 1));
  }
  return out;
}
