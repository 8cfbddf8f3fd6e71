import type { Catalog } from './types.js';

/**
 * The catalog as a client kept to some regions sees it (the `regions.only` option): the same
 * providers and tier list, and only the entries whose `region` is one of `regions` (an entry with no
 * `region` is in none). Deployments keep their identity: routes, breakers and health see the same objects.
 */
export function withinRegions(catalog: Catalog, regions: readonly string[]): Catalog {
  const inside = (region: string | undefined): boolean => region !== undefined && regions.includes(region);
  return Object.freeze({
    ...catalog,
    models: Object.freeze(catalog.models.filter((model) => inside(model.region))),
    deployments: Object.freeze(catalog.deployments.filter((d) => inside(d.model.region))),
  });
}

/** Every region the catalog's entries name, each once, in catalog order. */
export function catalogRegions(catalog: Catalog): string[] {
  const regions = new Set<string>();
  for (const d of catalog.deployments) if (d.model.region !== undefined) regions.add(d.model.region);
  return [...regions];
}
