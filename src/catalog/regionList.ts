import type { Deployment } from './types.js';

/** A `region` option as a list: one region, or several. */
export function regionList(value: string | readonly string[]): readonly string[];
export function regionList(value: string | readonly string[] | undefined): readonly string[] | undefined;
export function regionList(value: string | readonly string[] | undefined): readonly string[] | undefined {
  return typeof value === 'string' ? [value] : value;
}

/** True when the deployment's catalog entry names one of `regions`: an entry with no `region` is in none. */
export function inRegions(deployment: Deployment, regions: readonly string[]): boolean {
  const { region } = deployment.model;
  return region !== undefined && regions.includes(region);
}

/** The regions of some deployments, each once, in their order; `'(no region)'` for an entry that names none. */
export function regionsOf(deployments: readonly Deployment[]): string[] {
  return [...new Set(deployments.map((d) => d.model.region ?? noRegion))];
}

/** How an entry without a `region` is shown in errors. */
export const noRegion = '(no region)';

/** Names for an error message: `'eu-west', 'us-east'`. */
export function quoted(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => (name === noRegion ? name : `'${name}'`)).join(', ');
}
