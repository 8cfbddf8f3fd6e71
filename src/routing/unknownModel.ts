import { ConfigError } from '../errors/ConfigError.js';
import type { Route } from './loadBalancing.js';

/** What the error of an unknown model name is made from: the client's routes and tiers. */
export interface KnownNames {
  /** Every tier name and model id a chat request may give. */
  readonly routes: ReadonlyMap<string, Route>;
  /** Names of the tiers holding chat models, cheapest first. */
  readonly tiers: readonly string[];
  /** Tier names and model ids of embedding models alone. */
  readonly embeddingOnly: ReadonlySet<string>;
  /** With the client's `regions.only`: the error for a name served only outside them. */
  readonly outsideRegions?: ((name: string) => ConfigError | undefined) | undefined;
}

/**
 * The `ConfigError` of a chat request's `model` that names nothing the client can route: served only
 * outside `regions.only`, an embedding model, or unknown (listing what the catalog has, and the
 * option that would pass it through).
 */
export function unknownModel(name: unknown, parts: KnownNames): ConfigError {
  const { tiers, embeddingOnly } = parts;
  const outside = typeof name === 'string' ? parts.outsideRegions?.(name) : undefined;
  if (outside !== undefined) return outside;
  if (typeof name === 'string' && embeddingOnly.has(name)) {
    return new ConfigError(
      'model',
      `'${name}' serves embeddings only (catalog capability 'embeddings'), not chat`,
      `Use a tier with chat models (${tiers.join(', ')}), a chat model id, or 'auto'.`,
    );
  }
  const ids = [...parts.routes.keys()].filter((key) => !tiers.includes(key));
  const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ');
  return new ConfigError(
    'model',
    `'${String(name)}' is not a tier, a model id of the catalog, or 'auto'`,
    `Use a tier (${tiers.join(', ')}), a model id (${shown}), or 'auto'; or set the client option unknownModels: 'passthrough' to send models the catalog does not know to defaultProvider.`,
  );
}
