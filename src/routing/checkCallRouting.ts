import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';

const providerKeys = ['only', 'ignore', 'order'];

/**
 * Checks a call's own `fallback` and `providers` against the catalog, before anything else runs for
 * it: a misspelt tier or provider would otherwise silently route the call somewhere unintended.
 * @throws ConfigError naming the field, e.g. `options.fallback[1]` or `options.providers.only[0]`
 */
export function checkCallRouting(options: { readonly fallback?: unknown; readonly providers?: unknown }, catalog: Catalog): void {
  const { fallback, providers } = options;
  if (fallback !== undefined && fallback !== 'none' && fallback !== 'escalate') checkTierList(fallback, chatView(catalog).tiers);
  if (providers !== undefined) checkProviders(providers, Object.keys(catalog.providers));
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
