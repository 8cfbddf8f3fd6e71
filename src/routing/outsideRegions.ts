import { isEmbeddingModel } from '../catalog/chatModels.js';
import type { Catalog, Deployment } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { quoted, regionsOf } from '../catalog/regionList.js';

/** The error for a name the catalog serves only outside `regions.only`, or undefined when it is not such a name. */
export type OutsideRegions = (name: string) => ConfigError | undefined;

/**
 * With the client option `regions.only`: a tier or model id that some of the catalog's `deployments`
 * (those of one kind of request: chat, or embeddings) serve, but only outside those regions, is a
 * `ConfigError` naming `regions.only` (not an unknown name). Built once per client; called only on
 * the way to an error.
 */
export function outsideRegions(deployments: readonly Deployment[], only: readonly string[]): OutsideRegions {
  return (name) => {
    const named = deployments.filter((d) => d.tier === name || d.model.id === name);
    if (named.length === 0 || named.some((d) => d.model.region !== undefined && only.includes(d.model.region))) return undefined;
    return new ConfigError(
      'regions.only',
      `'${name}' has no deployment in ${quoted(only)}: it is served in ${quoted(regionsOf(named))}`,
      `Ask for a tier or model served in ${quoted(only)}, or add a catalog entry for '${name}' there.`,
    );
  };
}

/** The errors of names served only outside `only`: for chat (and Responses) requests, and for embeddings requests. */
export function regionsOnlyErrors(catalog: Catalog, only: readonly string[]): { chat: OutsideRegions; embeddings: OutsideRegions } {
  const embedding = catalog.deployments.filter((d) => isEmbeddingModel(d.model));
  const chat = catalog.deployments.filter((d) => !isEmbeddingModel(d.model));
  return { chat: outsideRegions(chat, only), embeddings: outsideRegions(embedding, only) };
}
