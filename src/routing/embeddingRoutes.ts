import { isEmbeddingModel } from '../catalog/chatModels.js';
import type { Catalog, Deployment } from '../catalog/types.js';

/**
 * For every name an embeddings request may give, the deployments that may answer it: one model id's
 * deployments (every provider serving it), never another model's, whose vectors live in another
 * space. A tier names its first embedding model; a model id itself.
 */
export function embeddingRoutes(catalog: Catalog): ReadonlyMap<string, readonly Deployment[]> {
  const embedding = catalog.deployments.filter((d) => isEmbeddingModel(d.model));
  const routes = new Map<string, readonly Deployment[]>();
  const ofModel = (id: string): readonly Deployment[] => Object.freeze(embedding.filter((d) => d.model.id === id));
  for (const { model } of embedding) if (!routes.has(model.id)) routes.set(model.id, ofModel(model.id));
  for (const tier of catalog.tiers) {
    const first = embedding.find((d) => d.tier === tier);
    if (first !== undefined) routes.set(tier, routes.get(first.model.id)!);
  }
  return routes;
}
