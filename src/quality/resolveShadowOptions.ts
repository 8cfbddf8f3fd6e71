import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';

/** What scores a shadowed answer: a catalog name (an LLM grading with the rubric) or the user's function. */
export type ShadowScorer =
  | { readonly kind: 'model'; readonly name: string }
  | { readonly kind: 'function'; readonly score: (answer: string, reference: string) => number | Promise<number> };

/** The `shadow` option resolved; see `ShadowOptions`. */
export interface ShadowSettings {
  readonly sampleRate: number;
  /** The tier or model id the shadows go to. */
  readonly model: string;
  readonly judge: ShadowScorer;
  readonly maxConcurrent: number;
  /** No cap: `Infinity`. */
  readonly budgetUsd: number;
}

const keys = ['sampleRate', 'model', 'judge', 'maxConcurrent', 'budgetUsd'];

/** Checks the `shadow` option (off when not given) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveShadowOptions(
  value: unknown,
  catalog: Catalog,
  defaults: Pick<ShadowSettings, 'maxConcurrent'>,
): ShadowSettings | undefined {
  if (value === undefined) return undefined;
  const shadow = section(value, 'shadow', keys);
  const { sampleRate } = shadow;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1))
    throw new ConfigError(
      'shadow.sampleRate',
      `must be a number from 0 to 1, got ${showValue(sampleRate)}`,
      'The share of answered calls to shadow, e.g. 0.05.',
    );
  const model = catalogName(shadow.model, 'shadow.model', catalog, 'Name the tier or model the cheaper answers are compared with.');
  const { judge } = shadow;
  return {
    sampleRate,
    model,
    judge:
      judge === undefined
        ? { kind: 'model', name: model }
        : typeof judge === 'function'
          ? { kind: 'function', score: judge as (answer: string, reference: string) => number | Promise<number> }
          : { kind: 'model', name: catalogName(judge, 'shadow.judge', catalog, 'Or a function (answer, reference) => score in 0..1.') },
    maxConcurrent: count(shadow, 'shadow.maxConcurrent', defaults.maxConcurrent, { min: 1, integer: true }),
    budgetUsd: spendCap(shadow.budgetUsd),
  };
}

// A chat tier or model: an embedding model answers nothing, so every shadow would be dropped as unroutable.
function catalogName(value: unknown, field: string, catalog: Catalog, hint: string): string {
  const { tiers, deployments, embeddingOnly } = chatView(catalog);
  if (typeof value === 'string' && embeddingOnly.has(value))
    throw new ConfigError(field, `'${value}' serves embeddings only (catalog capability 'embeddings'), not chat`, hint);
  const known = typeof value === 'string' && (tiers.includes(value) || deployments.some((d) => d.model.id === value));
  if (!known) throw new ConfigError(field, `${showValue(value)} is not a tier or a model id of the catalog`, hint);
  return value;
}

function spendCap(value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new ConfigError('shadow.budgetUsd', `must be a number above 0, got ${showValue(value)}`, 'Omit it for no cap.');
}
