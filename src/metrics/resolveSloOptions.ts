import type { Catalog } from '../catalog/types.js';
import { count, section } from '../errors/checkOption.js';
import { sloObjectives } from './sloObjectives.js';
import type { SloDefaults, SloTargetSettings } from './SloTargets.js';

/** Objectives for the client as a whole and for some tiers. */
export interface SloSettings {
  readonly client: SloTargetSettings | undefined;
  readonly tiers: Readonly<Record<string, SloTargetSettings>>;
}

const sloKeys = [...sloObjectives.map((objective) => objective.metric), 'minRequests'];

/** Checks the `slo` option (off when not given) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveSloOptions(value: unknown, catalog: Catalog, defaults: SloDefaults): SloSettings | undefined {
  if (value === undefined) return undefined;
  const client = resolveTargets(value, 'slo', defaults, ['tiers']);
  const tierTargets = section((value as { tiers?: unknown }).tiers, 'slo.tiers', catalog.tiers);
  const tiers: Record<string, SloTargetSettings> = {};
  for (const [tier, targets] of Object.entries(tierTargets)) tiers[tier] = resolveTargets(targets, `slo.tiers.${tier}`, defaults);
  // `slo: { tiers }` alone sets nothing for the client: no watch for it.
  const forClient = Object.keys(value as object).some((key) => key !== 'tiers');
  return { client: forClient ? client : undefined, tiers };
}

function resolveTargets(value: unknown, field: string, defaults: SloDefaults, extra: readonly string[] = []): SloTargetSettings {
  const targets = section(value, field, [...sloKeys, ...extra]);
  const set = sloObjectives.map((objective) => objective.resolve(targets, field, defaults));
  const minRequests = count(targets, `${field}.minRequests`, defaults.minRequests, { integer: true });
  return Object.assign({ minRequests }, ...set) as SloTargetSettings;
}
