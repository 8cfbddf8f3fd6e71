import type { Catalog } from '../catalog/types.js';
import { count, section } from '../errors/checkOption.js';
import type { SloTargetSettings, SloTargets } from './SloWatch.js';

/** Objectives for the client as a whole and for some tiers. */
export interface SloSettings {
  readonly client: SloTargetSettings | undefined;
  readonly tiers: Readonly<Record<string, SloTargetSettings>>;
}

const sloKeys = ['p50Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'errorRate', 'minRequests'];

/** Checks the `slo` option (off when not given) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveSloOptions(
  value: unknown,
  catalog: Catalog,
  defaults: Pick<SloTargetSettings, 'minRequests'>,
): SloSettings | undefined {
  if (value === undefined) return undefined;
  const client = resolveTargets(value, 'slo', defaults, ['tiers']);
  const tierTargets = section((value as { tiers?: unknown }).tiers, 'slo.tiers', catalog.tiers);
  const tiers: Record<string, SloTargetSettings> = {};
  for (const [tier, targets] of Object.entries(tierTargets)) tiers[tier] = resolveTargets(targets, `slo.tiers.${tier}`, defaults);
  // `slo: { tiers }` alone sets nothing for the client: no watch for it.
  const forClient = Object.keys(value as object).some((key) => key !== 'tiers');
  return { client: forClient ? client : undefined, tiers };
}

function resolveTargets(
  value: unknown,
  field: string,
  defaults: Pick<SloTargetSettings, 'minRequests'>,
  extra: readonly string[] = [],
): SloTargetSettings {
  const targets = section(value, field, [...sloKeys, ...extra]);
  // A target's fallback only shows in the hint: an objective not given is not judged at all.
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms', 'p999Ms']) if (targets[key] !== undefined) count(targets, `${field}.${key}`, 0, { min: 0 });
  if (targets.errorRate !== undefined) count(targets, `${field}.errorRate`, 0, { max: 1 });
  const minRequests = count(targets, `${field}.minRequests`, defaults.minRequests, { integer: true });
  const { tiers: _tiers, ...only } = targets;
  return { ...(only as SloTargets), minRequests };
}
