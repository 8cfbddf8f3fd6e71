import type { Catalog } from '../catalog/types.js';
import { count, section } from '../errors/checkOption.js';
import { sloObjectives } from './sloObjectives.js';
import type { SloTargetSettings, SloTargets } from './SloWatch.js';

/** Objectives for the client as a whole and for some tiers. */
export interface SloSettings {
  readonly client: SloTargetSettings | undefined;
  readonly tiers: Readonly<Record<string, SloTargetSettings>>;
}

const sloKeys = [...sloObjectives.map((objective) => objective.metric), 'minRequests'];

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
  for (const { metric, bounds } of sloObjectives) if (targets[metric] !== undefined) count(targets, `${field}.${metric}`, 0, bounds);
  const minRequests = count(targets, `${field}.minRequests`, defaults.minRequests, { integer: true });
  const { tiers: _tiers, ...only } = targets;
  return { ...(only as SloTargets), minRequests };
}
