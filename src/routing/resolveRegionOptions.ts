import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { catalogRegions, withinRegions } from '../catalog/withinRegions.js';
import { ConfigError } from '../errors/ConfigError.js';
import { section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';
import { quoted, regionsOf } from '../catalog/regionList.js';

/** The client's `region` and `regions` options resolved. */
export interface RegionSettings {
  /** `regions.only`: the client never routes a request elsewhere. */
  readonly only: readonly string[] | undefined;
  /** `region`: these regions first within each group of equal deployments, in this order. */
  readonly preferred: readonly string[] | undefined;
  /** The catalog within `only` (the catalog itself without it): what every route is built from. */
  readonly catalog: Catalog;
  /** Every region the catalog's entries name. */
  readonly all: readonly string[];
  /** The regions a call's own `region` may name: the catalog's, within `only`. */
  readonly known: readonly string[];
}

/**
 * Checks the client options `region` and `regions` against the catalog's regions; @throws ConfigError
 * naming the field: an unknown region, a preference outside `regions.only`, `regions.only` leaving the
 * client no chat deployment (or none at all), or with `unknownModels: 'passthrough'` (a passthrough
 * model has no region, so the client could not keep it in any).
 */
export function resolveRegionOptions(
  options: { readonly region?: unknown; readonly regions?: unknown; readonly unknownModels?: unknown },
  catalog: Catalog,
): RegionSettings {
  const all = catalogRegions(catalog);
  const { regions, region } = options;
  if (regions === undefined && region === undefined) return { only: undefined, preferred: undefined, catalog, all, known: all };
  const only = regions === undefined ? undefined : names(section(regions, 'regions', ['only']).only, 'regions.only', all, all, true);
  const known = only ?? all;
  const preferred = region === undefined ? undefined : names(region, 'region', all, known, false);
  if (only === undefined) return { only, preferred, catalog, all, known };
  const within = withinRegions(catalog, only);
  const chat = chatView(catalog).deployments;
  // A tier it empties is simply absent; a client left with no chat model (or none at all) is a mistake.
  const emptied = within.deployments.length === 0 ? catalog.deployments : chatView(within).deployments.length === 0 ? chat : [];
  if (emptied.length > 0) {
    throw new ConfigError(
      'regions.only',
      `leaves the client no ${emptied === chat ? 'chat ' : ''}model: the catalog's are in ${quoted(regionsOf(emptied))}`,
      'Name one of those regions in regions.only, or add catalog entries in the regions it names.',
    );
  }
  if (options.unknownModels === 'passthrough') {
    throw new ConfigError(
      'unknownModels',
      `'passthrough' models have no region, and regions.only keeps the client in ${quoted(only)}`,
      'Add those models to the catalog with their region, or leave out regions.only.',
    );
  }
  return { only, preferred, catalog: within, all, known };
}

/**
 * An option resolved against the catalog within `regions.only`, so that its defaults are chosen
 * there: when that fails but the whole catalog would do, the error names `regions.only` (the option
 * names a model served only elsewhere) rather than calling the model unknown.
 */
export function resolveWithinRegions<T>(settings: RegionSettings, full: Catalog, resolve: (catalog: Catalog) => T): T {
  if (settings.catalog === full) return resolve(full);
  try {
    return resolve(settings.catalog);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    try {
      resolve(full);
    } catch {
      throw error;
    }
    throw new ConfigError(
      'regions.only',
      `leaves ${error.field} with no model: it names one served outside ${quoted(settings.only!)}`,
      `Name a tier or model served in ${quoted(settings.only!)} in ${error.field}, or add its region to regions.only.`,
    );
  }
}

function names(value: unknown, field: string, all: readonly string[], allowed: readonly string[], listOnly: boolean): readonly string[] {
  const hint =
    all.length === 0
      ? "The catalog's entries name no region: add e.g. region: 'eu-west' to them."
      : `The catalog's regions: ${quoted(all)}.`;
  if (typeof value === 'string' && !listOnly) return [checked(value, field, all, allowed, hint)];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      field,
      `must be ${listOnly ? '' : 'a region or '}a non-empty list of regions, got ${showValue(value)}`,
      all.length === 0
        ? hint
        : `E.g. ${field === 'region' ? 'region' : 'regions: { only'}: ['${all[0]!}']${field === 'region' ? '' : ' }'}.`,
    );
  }
  return Object.freeze(value.map((name, index) => checked(name, `${field}[${index}]`, all, allowed, hint)));
}

function checked(name: unknown, field: string, all: readonly string[], allowed: readonly string[], hint: string): string {
  if (typeof name !== 'string' || !all.includes(name)) throw new ConfigError(field, `unknown region ${showValue(name)}`, hint);
  if (!allowed.includes(name))
    throw new ConfigError(field, `'${name}' is outside regions.only (${quoted(allowed)})`, 'Prefer a region the client may use.');
  return name;
}
