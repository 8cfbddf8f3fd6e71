import { chatView } from '../catalog/chatModels.js';
import type { Catalog, ModelEntry } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';

/** What `client.metrics()` measures over and against, defaults filled in; see `MetricsOptions`. */
export interface MetricsSettings {
  readonly windowMs: number;
  /** The model savings are measured against. */
  readonly baseline: ModelEntry;
}

/** Checks the `metrics` option and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveMetricsOptions(value: unknown, catalog: Catalog, defaults: Pick<MetricsSettings, 'windowMs'>): MetricsSettings {
  const metrics = section(value, 'metrics', ['windowMs', 'baselineModel']);
  // Chat models only: savings are measured against answering, and an embedding model answers nothing.
  const chat = chatView(catalog).deployments;
  const priciest = chat.reduce((top, d) => (d.tierIndex > top.tierIndex ? d : top)).model;
  const name = metrics.baselineModel;
  const baseline = name === undefined ? priciest : chat.find((d) => d.model.id === name)?.model;
  if (baseline === undefined) {
    const embedding = catalog.models.some((m) => m.id === name);
    throw new ConfigError(
      'metrics.baselineModel',
      embedding ? `'${String(name)}' is an embedding model, not a chat model` : `${showValue(name)} is not a model id of the catalog`,
      'Name a chat model of the catalog, or omit it.',
    );
  }
  return { windowMs: count(metrics, 'metrics.windowMs', defaults.windowMs, { min: 1 }), baseline };
}
