import { chatView } from '../catalog/chatModels.js';
import type { Catalog, Deployment, ModelEntry } from '../catalog/types.js';
import { fallbackTiers, type FallbackPolicy } from './FallbackPolicy.js';

/**
 * For every name a request may give (each tier and each model id), the deployments to try, in
 * groups of equals (load balancing may reorder a group, never mix groups), groups in order.
 * Computed once per client: routing a request is then a map lookup. Chat models only: an embedding
 * model is no candidate, and a tier holding only embedding models is no name a chat request may give.
 *
 * - A tier: its deployments, then each fallback tier's deployments.
 * - A model id: its deployments (every provider serving it), then the other deployments of its tier,
 *   then its tier's fallback tiers. With `fallback: 'none'` only its own deployments.
 *
 * `serves` keeps only the chat models that serve a kind of request (the Responses API's); a tier
 * with none of them is then no name that kind may give, though it keeps its place in the fallback order.
 */
export function candidateRoutes(
  catalog: Catalog,
  policy: FallbackPolicy,
  serves?: (model: ModelEntry) => boolean,
): ReadonlyMap<string, readonly (readonly Deployment[])[]> {
  const view = chatView(catalog);
  const { tiers } = view;
  const deployments = serves === undefined ? view.deployments : view.deployments.filter((d) => serves(d.model));
  const byTier = new Map<string, Deployment[]>();
  for (const tier of tiers) byTier.set(tier, []);
  for (const deployment of deployments) byTier.get(deployment.tier)?.push(deployment);

  const chain = (tier: string): Deployment[][] => fallbackTiers(policy, tier, tiers).map((t) => byTier.get(t) ?? []);
  const routes = new Map<string, readonly (readonly Deployment[])[]>();
  for (const tier of tiers) if (byTier.get(tier)!.length > 0) routes.set(tier, nonEmpty([byTier.get(tier)!, ...chain(tier)]));

  for (const { model } of deployments) {
    if (routes.has(model.id)) continue;
    const own = deployments.filter((d) => d.model.id === model.id);
    const siblings = policy === 'none' ? [] : (byTier.get(model.tier) ?? []).filter((d) => d.model.id !== model.id);
    routes.set(model.id, nonEmpty([own, siblings, ...chain(model.tier)]));
  }
  return routes;
}

/** Drops empty groups, and deployments already listed in an earlier group. */
function nonEmpty(groups: Deployment[][]): readonly (readonly Deployment[])[] {
  const seen = new Set<Deployment>();
  const out: (readonly Deployment[])[] = [];
  for (const group of groups) {
    const fresh = group.filter((d) => !seen.has(d));
    for (const d of fresh) seen.add(d);
    if (fresh.length > 0) out.push(Object.freeze(fresh));
  }
  return Object.freeze(out);
}
