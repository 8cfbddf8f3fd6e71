import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';

const providerKeys = ['only', 'ignore', 'order'];

/** The regions a call's own `region` may name: the catalog's (`all`), within the client's `regions.only` (`known`). */
export interface CallRegions {
  readonly all: readonly string[];
  readonly known: readonly string[];
}

/**
 * Checks a call's own `fallback`, `providers` and `region` against the catalog, before anything else
 * runs for it: a misspelt tier, provider or region would otherwise silently route the call somewhere
 * unintended (or nowhere).
 * @throws ConfigError naming the field, e.g. `options.fallback[1]`, `options.providers.only[0]` or `options.region[1]`
 */
export function checkCallRouting(
  options: { readonly fallback?: unknown; readonly providers?: unknown; readonly region?: unknown },
  catalog: Catalog,
  regions: CallRegions,
): void {
  const { fallback, providers, region } = options;
  if (fallback !== undefined && fallback !== 'none' && fallback !== 'escalate') checkTierList(fallback, chatView(catalog).tiers);
  if (providers !== undefined) checkProviders(providers, Object.keys(catalog.providers));
  if (region !== undefined) checkRegions(region, regions);
}

function checkRegions(value: unknown, { all, known }: CallRegions): void {
  const hint =
    all.length === 0
      ? "The catalog's entries name no region: add e.g. region: 'eu-west' to them."
      : `The catalog's regions: ${all.join(', ')}${known.length < all.length ? ` (this client's regions.only: ${known.join(', ')})` : ''}.`;
  if (typeof value === 'string') return checkRegion(value, 'options.region', all, known, hint);
  if (!Array.isArray(value) || value.length === 0)
    throw new ConfigError('options.region', `must be a region or a non-empty list of regions, got ${showValue(value)}`, hint);
  for (const [index, name] of value.entries()) checkRegion(name, `options.region[${index}]`, all, known, hint);
}

function checkRegion(name: unknown, field: string, all: readonly string[], known: readonly string[], hint: string): void {
  if (typeof name !== 'string' || !all.includes(name)) throw new ConfigError(field, `unknown region ${showValue(name)}`, hint);
  if (!known.includes(name)) throw new ConfigError(field, `'${name}' is outside the client's regions.only`, hint);
}

function checkTierList(value: unknown, tiers: readonly string[]): void {
  if (!Array.isArray(value)) {
    throw new ConfigError(
      'options.fallback',
      `must be 'none', 'escalate' or a list of tiers, got ${showValue(value)}`,
      `E.g. fallback: 'none', or fallback: ['${tiers.at(-1)!}'].`,
    );
  }
  for (const [index, tier] of value.entries()) {
    if (typeof tier !== 'string' || !tiers.includes(tier))
      throw new ConfigError(`options.fallback[${index}]`, `unknown tier ${showValue(tier)}`, `Use one of: ${tiers.join(', ')}.`);
  }
}

function checkProviders(value: unknown, known: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('options.providers', `must be an object, got ${showValue(value)}`, "E.g. providers: { only: ['openai'] }.");
  }
  rejectUnknownKeys(value, providerKeys, 'options.providers.', 'option');
  const { only, ignore, order } = value as Record<string, unknown>;
  checkNames(only, 'options.providers.only', known);
  checkNames(ignore, 'options.providers.ignore', known);
  checkNames(order, 'options.providers.order', known);
  if (only === undefined || ignore === undefined) return;
  for (const [index, name] of (ignore as readonly string[]).entries()) {
    if ((only as readonly string[]).includes(name)) {
      throw new ConfigError(
        `options.providers.ignore[${index}]`,
        `'${name}' is in providers.only too`,
        'Name a provider in only or in ignore, not both.',
      );
    }
  }
}

function checkNames(value: unknown, field: string, known: readonly string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value))
    throw new ConfigError(
      field,
      `must be a list of provider names, got ${showValue(value)}`,
      `The catalog's providers: ${known.join(', ')}.`,
    );
  for (const [index, name] of value.entries()) {
    if (typeof name !== 'string' || !known.includes(name))
      throw new ConfigError(`${field}[${index}]`, `unknown provider ${showValue(name)}`, `The catalog's providers: ${known.join(', ')}.`);
  }
}
