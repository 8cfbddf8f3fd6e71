import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';
import type { BudgetStore } from './BudgetStore.js';
import { MemoryBudgetStore } from './MemoryBudgetStore.js';

/** Budget options with their defaults filled in. */
export interface BudgetSettings {
  readonly store: BudgetStore;
  readonly limitUsd: number;
  readonly windowMs: number;
  readonly onExceeded: 'downgrade' | 'reject';
  readonly per: 'client' | 'namespace';
  /** Output tokens assumed for a request that sets no max_completion_tokens / max_tokens. */
  readonly defaultMaxOutputTokens: number;
  /** The namespace of calls that name none: the cache's default namespace. */
  readonly defaultNamespace: string;
  /** Longest wait for one store operation; past it the call goes on uncounted (`budget:error`). */
  readonly timeoutMs: number;
}

/** The defaults of the budget's optional fields. */
export type BudgetDefaults = Pick<BudgetSettings, 'onExceeded' | 'defaultMaxOutputTokens' | 'timeoutMs'>;

/**
 * Checks the `budget` option (off when not given) and fills in `defaults`; `defaultNamespace` is
 * the cache's. @throws ConfigError naming the field.
 */
export function resolveBudgetOptions(value: unknown, defaultNamespace: string, defaults: BudgetDefaults): BudgetSettings | undefined {
  if (value === undefined) return undefined;
  const budget = section(value, 'budget', ['limitUsd', 'windowMs', 'onExceeded', 'per', 'store', 'defaultMaxOutputTokens', 'timeoutMs']);
  if (budget.limitUsd === undefined) throw new ConfigError('budget.limitUsd', 'is required', 'E.g. limitUsd: 50 for $50 a window.');
  if (budget.windowMs === undefined) throw new ConfigError('budget.windowMs', 'is required', 'E.g. windowMs: 86_400_000 for a day.');
  const { onExceeded = defaults.onExceeded, per, store } = budget;
  if (onExceeded !== 'reject' && onExceeded !== 'downgrade') {
    throw new ConfigError(
      'budget.onExceeded',
      `must be 'reject' or 'downgrade', got ${showValue(onExceeded)}`,
      "'downgrade' sends calls to the cheapest tier.",
    );
  }
  if (per !== undefined && per !== 'namespace')
    throw new ConfigError('budget.per', `must be 'namespace', got ${showValue(per)}`, 'Omit it for one budget per client.');
  if (store !== undefined && !isStore(store))
    throw new ConfigError('budget.store', 'must be a BudgetStore', 'Pass a RedisBudgetStore from tiered-llm/redis, or omit it.');
  return {
    store: store ?? new MemoryBudgetStore(),
    // Both required, so checked present above: their fallback of 0 is never used.
    limitUsd: count(budget, 'budget.limitUsd', 0),
    windowMs: count(budget, 'budget.windowMs', 0, { min: 1 }),
    onExceeded,
    per: per === 'namespace' ? 'namespace' : 'client',
    defaultMaxOutputTokens: count(budget, 'budget.defaultMaxOutputTokens', defaults.defaultMaxOutputTokens, { integer: true }),
    timeoutMs: count(budget, 'budget.timeoutMs', defaults.timeoutMs, { min: 1 }),
    defaultNamespace,
  };
}

function isStore(value: unknown): value is BudgetStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['reserve', 'settle', 'record', 'spent'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  );
}
