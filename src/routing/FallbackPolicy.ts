import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';

/**
 * Where a request goes when every deployment of its tier failed:
 * - `'escalate'`: up the catalog's tier list (pricier tiers), never down.
 * - `'none'`: nowhere; the request fails with its own tier.
 * - a map from a tier to the tiers to try next, in order (tiers not in the map do not fall back).
 */
export type FallbackPolicy<TTier extends string = string> = 'escalate' | 'none' | Readonly<Partial<Record<TTier, readonly TTier[]>>>;

/** The tiers to try after `tier`, in order, under `policy`. */
export function fallbackTiers(policy: FallbackPolicy, tier: string, tiers: readonly string[]): readonly string[] {
  if (policy === 'none') return [];
  if (policy === 'escalate') return tiers.slice(tiers.indexOf(tier) + 1);
  return (policy as Readonly<Record<string, readonly string[]>>)[tier] ?? [];
}

/** @throws ConfigError when the policy names an unknown tier or is of the wrong shape. */
export function checkFallbackPolicy(policy: unknown, tiers: readonly string[]): FallbackPolicy {
  if (policy === 'escalate' || policy === 'none') return policy;
  const hint = "Use 'escalate', 'none', or a map such as { economy: ['warm', 'hot'] }.";
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    throw new ConfigError('fallback', `must be 'escalate', 'none' or a map of tiers, got ${showValue(policy)}`, hint);
  for (const [from, to] of Object.entries(policy)) {
    if (!tiers.includes(from)) throw new ConfigError(`fallback.${from}`, `unknown tier '${from}'`, `Use one of: ${tiers.join(', ')}.`);
    if (!Array.isArray(to)) throw new ConfigError(`fallback.${from}`, 'must be a list of tiers', hint);
    for (const [index, tier] of to.entries()) {
      if (typeof tier !== 'string' || !tiers.includes(tier))
        throw new ConfigError(`fallback.${from}[${index}]`, `unknown tier ${showValue(tier)}`, `Use one of: ${tiers.join(', ')}.`);
      if (tier === from)
        throw new ConfigError(`fallback.${from}[${index}]`, 'a tier cannot fall back to itself', 'Remove it from its own list.');
    }
  }
  return policy as FallbackPolicy;
}
