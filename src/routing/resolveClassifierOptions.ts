import { chatView } from '../catalog/chatModels.js';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';

/** The `classifier` option resolved: which catalog model grades `'auto'` requests, and its limits. */
export interface GradingSettings {
  readonly model: string;
  readonly timeoutMs: number;
  readonly maxEntries: number;
}

/** Checks the `classifier` option (off when not given) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveClassifierOptions(
  value: unknown,
  catalog: Catalog,
  defaults: Omit<GradingSettings, 'model'>,
): GradingSettings | undefined {
  if (value === undefined) return undefined;
  const classifier = section(value, 'classifier', ['model', 'timeoutMs', 'maxEntries']);
  // The cheapest tier holding a chat model: an embedding model cannot grade anything.
  const { deployments: chat, tiers } = chatView(catalog);
  const { model = chat.find((d) => d.tier === tiers[0])!.model.id } = classifier;
  if (typeof model !== 'string' || !chat.some((d) => d.model.id === model)) {
    const embedding = typeof model === 'string' && catalog.models.some((m) => m.id === model);
    throw new ConfigError(
      'classifier.model',
      embedding ? `'${model}' is an embedding model: it cannot grade requests` : `${showValue(model)} is not a model id of the catalog`,
      'Name a cheap chat model of the catalog, or omit it for the cheapest tier.',
    );
  }
  return {
    model,
    timeoutMs: count(classifier, 'classifier.timeoutMs', defaults.timeoutMs, { min: 1 }),
    maxEntries: count(classifier, 'classifier.maxEntries', defaults.maxEntries, { min: 1, integer: true }),
  };
}
