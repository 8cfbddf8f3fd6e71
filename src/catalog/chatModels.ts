import type { Catalog, Deployment, EmbeddingModelEntry, ModelEntry } from './types.js';

/** True for an embedding model (capability `'embeddings'`): it serves embeddings only, never chat. */
export function isEmbeddingModel(model: ModelEntry): model is EmbeddingModelEntry {
  return model.capabilities?.includes('embeddings' as never) === true;
}

/** The part of a catalog chat routing, the baseline and repricing see: its chat models alone. */
export interface ChatView {
  /** Deployments of chat models, in catalog order. */
  readonly deployments: readonly Deployment[];
  /** Tiers holding at least one chat model, cheapest first. */
  readonly tiers: readonly string[];
  /** Tier names and model ids that serve embeddings only: named in a chat request, a precise error. */
  readonly embeddingOnly: ReadonlySet<string>;
}

// A catalog is frozen: its view is computed once, whoever asks.
const views = new WeakMap<Catalog, ChatView>();

/** The chat models of a catalog, without its embedding models; see {@link ChatView}. */
export function chatView(catalog: Catalog): ChatView {
  let view = views.get(catalog);
  if (view !== undefined) return view;
  const deployments = catalog.deployments.filter((d) => !isEmbeddingModel(d.model));
  const tiers = catalog.tiers.filter((tier) => deployments.some((d) => d.tier === tier));
  const embeddingOnly = new Set<string>(catalog.tiers.filter((tier) => !tiers.includes(tier)));
  for (const d of catalog.deployments) if (!deployments.some((c) => c.model.id === d.model.id)) embeddingOnly.add(d.model.id);
  view = Object.freeze({ deployments: Object.freeze(deployments), tiers: Object.freeze(tiers), embeddingOnly });
  views.set(catalog, view);
  return view;
}

/** True for a chat model that serves `responses.create()` (capability `'responses'`: opt-in, never implied). */
export function isResponsesModel(model: ModelEntry): boolean {
  return model.capabilities?.includes('responses' as never) === true;
}
