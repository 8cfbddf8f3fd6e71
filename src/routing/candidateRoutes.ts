import type { Catalog, Deployment } from '../catalog/types.js';
import { fallbackTiers, type FallbackPolicy } from './FallbackPolicy.js';

/**
 * For every name a request may give (each tier and each model id), the deployments to try, in order.
 * Computed once per client: routing a request is then a map lookup.
 *
 * - A tier: its deployments in catalog order, then the deployments of its fallback tiers.
 * - A model id: its deployments (every provider serving it), then the other deployments of its tier,
 *   then its tier's fallback tiers. With `fallback: 'none'` only its own deployments.
 */
export function candidateRoutes(catalog: Catalog, policy: FallbackPolicy): ReadonlyMap<string, readonly Deployment[]> {
  const byTier = new Map<string, Deployment[]>();
  for (const tier of catalog.tiers) byTier.set(tier, []);
  for (const deployment of catalog.deployments) byTier.get(deployment.tier)?.push(deployment);

  const chain = (tier: string): Deployment[] => fallbackTiers(policy, tier, catalog.tiers).flatMap((t) => byTier.get(t) ?? []);
  const routes = new Map<string, readonly Deployment[]>();
  for (const tier of catalog.tiers) routes.set(tier, Object.freeze([...(byTier.get(tier) ?? []), ...chain(tier)]));

  for (const { model } of catalog.deployments) {
    if (routes.has(model.id)) continue;
    const own = catalog.deployments.filter((d) => d.model.id === model.id);
    const siblings = policy === 'none' ? [] : (byTier.get(model.tier) ?? []).filter((d) => d.model.id !== model.id);
    routes.set(model.id, Object.freeze(dedupe([...own, ...siblings, ...chain(model.tier)])));
  }
  return routes;
}

function dedupe(deployments: Deployment[]): Deployment[] {
  return [...new Set(deployments)];
}
