import { ConfigError, createTieredClient, type Catalog, type TieredClient, type TieredClientOptions } from 'tiered-llm';
import type { EvalOptions } from './EvalOptions.js';
import { shown } from './cases/caseError.js';

const known = [
  'client',
  'cases',
  'models',
  'judge',
  'route',
  'repeat',
  'concurrency',
  'monthlyCalls',
  'minQualityRatio',
  'previous',
  'signal',
  'onProgress',
];

/** The settings of one evaluation, checked. */
export interface EvalSettingsResolved {
  readonly client: TieredClient;
  /** True when `evaluate()` made the client, and so closes it. */
  readonly owned: boolean;
  readonly repeat: number;
  readonly concurrency: number;
  readonly minQualityRatio: number;
}

/** @throws ConfigError naming the option, before any call. */
export function resolveEvalOptions(options: EvalOptions): EvalSettingsResolved {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('options', `must be an object, got ${shown(options)}`, 'Call evaluate({ client, cases }).');
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ConfigError(key, 'is not an option of evaluate()', `Options: ${known.join(', ')}.`);
  }
  const repeat = integer(options.repeat, 'repeat', 1, 1, 100);
  const concurrency = integer(options.concurrency, 'concurrency', 4, 1, 64);
  const ratio = options.minQualityRatio ?? 0.95;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= 1))
    throw new ConfigError(
      'minQualityRatio',
      `must be a number in (0, 1], got ${shown(ratio)}`,
      'For example 0.95: within 5 % of the best quality.',
    );
  const monthly = options.monthlyCalls;
  if (monthly !== undefined && (typeof monthly !== 'number' || !Number.isFinite(monthly) || monthly < 0))
    throw new ConfigError('monthlyCalls', `must be a number >= 0, got ${shown(monthly)}`, 'Calls a month, for example 1000000.');
  if (options.route !== undefined && options.route !== 'auto')
    throw new ConfigError('route', `must be 'auto', got ${shown(options.route)}`, "Give route: 'auto', or leave it out.");
  const given = options.client;
  if (typeof given !== 'object' || given === null)
    throw new ConfigError(
      'client',
      `must be a TieredClient or client options, got ${shown(given)}`,
      'Pass the client, or its options ({ catalog, ... }).',
    );
  if ('tieredChat' in given && typeof given.tieredChat === 'function')
    return { client: given as TieredClient, owned: false, repeat, concurrency, minQualityRatio: ratio };
  return { client: clientFor(given as TieredClientOptions), owned: true, repeat, concurrency, minQualityRatio: ratio };
}

/** A client for an evaluation: the options as given, less the cache and budget. */
function clientFor(options: TieredClientOptions): TieredClient {
  const { cache: _cache, budget: _budget, ...rest } = options as TieredClientOptions & { catalog: Catalog };
  return createTieredClient(rest);
}

function integer(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(field, `must be an integer in ${min}..${max}, got ${shown(value)}`, `Give a whole number from ${min} to ${max}.`);
  return value;
}
