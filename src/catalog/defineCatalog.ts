import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';
import { checkProviders, isRecord } from './checkProviders.js';
import { checkLimits } from './checkLimits.js';
import { isEmbeddingModel } from './chatModels.js';
import type { Capability, Catalog, CatalogDefinition, Deployment, ModelEntry, ProviderConfig } from './types.js';

const capabilities: ReadonlySet<string> = new Set<Capability>([
  'tools',
  'vision',
  'json_schema',
  'json_object',
  'audio',
  'embeddings',
  'responses',
]);
const catalogKeys = ['providers', 'tiers', 'models'];
const modelKeys = [
  'id',
  'provider',
  'tier',
  'inputCostPerMTok',
  'outputCostPerMTok',
  'cachedInputCostPerMTok',
  'contextWindow',
  'weight',
  'region',
  'capabilities',
  'streamUsage',
  'limits',
];

/**
 * Validates a catalog of providers, tiers and models and freezes it. Tier names and model ids are
 * inferred as literal unions, so `model: 'hott'` in a request is a type error; each is inferred from
 * its own field (`tiers`, each `id`), so a wrong price or a misspelt tier is reported where it is and
 * the unions stay literal.
 *
 * @throws ConfigError naming the bad field: unknown provider or tier, negative or non-finite price,
 * empty or unused tier, duplicate deployment, provider with neither apiKey nor client, and so on.
 */
export function defineCatalog<
  const TProviders extends Readonly<Record<string, ProviderConfig>>,
  const TTiers extends readonly string[],
  const TModelId extends string,
>(definition: CatalogDefinition<TProviders, TTiers, TModelId>): Catalog<TTiers[number], TModelId, keyof TProviders & string> {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new ConfigError(
      'catalog',
      'must be an object with providers, tiers and models',
      'Pass { providers, tiers, models } to defineCatalog().',
    );
  }
  rejectUnknownKeys(definition, catalogKeys, '', 'field');
  const providers = checkProviders(definition.providers);
  const tiers = checkTiers(definition.tiers);
  const models = checkModels(definition.models, providers, tiers);
  const deployments = models.map((model): Deployment => {
    const tierIndex = tiers.indexOf(model.tier);
    return Object.freeze({ key: `${model.provider}/${model.id}`, provider: model.provider, model, tier: model.tier, tierIndex });
  });
  if (models.every(isEmbeddingModel)) {
    throw new ConfigError(
      'models',
      'must list at least one chat model: every entry has the capability embeddings',
      "Add a chat model (an entry without capabilities: ['embeddings']).",
    );
  }
  // A tier holding only embedding models is a tier all the same: one to name the semantic cache's model by.
  for (const [index, tier] of tiers.entries()) {
    if (!deployments.some((d) => d.tierIndex === index)) {
      throw new ConfigError(`tiers[${index}]`, `tier '${tier}' has no model`, `Add a model with tier: '${tier}', or remove the tier.`);
    }
  }
  return Object.freeze({
    providers: Object.freeze(providers),
    tiers: Object.freeze(tiers),
    models: Object.freeze(models),
    deployments: Object.freeze(deployments),
  }) as unknown as Catalog<TTiers[number], TModelId, keyof TProviders & string>;
}

function checkTiers(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError('tiers', 'must list at least one tier, cheapest first', "E.g. tiers: ['economy', 'warm', 'hot'].");
  }
  const seen = new Set<string>();
  return value.map((tier: unknown, index) => {
    const field = `tiers[${index}]`;
    if (typeof tier !== 'string' || tier.trim() === '') throw new ConfigError(field, 'must be a non-empty string', 'Name every tier.');
    if (tier === 'auto') throw new ConfigError(field, "'auto' is reserved for automatic routing", 'Choose another tier name.');
    if (seen.has(tier)) throw new ConfigError(field, `tier '${tier}' is listed twice`, 'List each tier once.');
    seen.add(tier);
    return tier;
  });
}

function checkModels(value: unknown, providers: Record<string, ProviderConfig>, tiers: string[]): ModelEntry[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      'models',
      'must list at least one model',
      'Add { id, provider, tier, inputCostPerMTok, outputCostPerMTok, contextWindow }.',
    );
  }
  const keys = new Set<string>();
  return value.map((model: unknown, index) => {
    const field = `models[${index}]`;
    if (!isRecord(model))
      throw new ConfigError(field, 'must be an object', 'Describe the model with id, provider, tier, prices and contextWindow.');
    rejectUnknownKeys(model, modelKeys, `${field}.`, 'field');
    const { id, provider, tier } = model;
    if (typeof id !== 'string' || id.trim() === '')
      throw new ConfigError(`${field}.id`, 'must be a non-empty string', 'Use the model id the provider expects, e.g. gpt-4o.');
    if (id === 'auto') throw new ConfigError(`${field}.id`, "'auto' is reserved for automatic routing", 'Use the real model id.');
    if (tiers.includes(id))
      throw new ConfigError(`${field}.id`, `'${id}' is also a tier name, so a request for it would be ambiguous`, 'Rename the tier.');
    if (typeof provider !== 'string' || !Object.hasOwn(providers, provider)) {
      throw new ConfigError(
        `${field}.provider`,
        `unknown provider ${showValue(provider)}`,
        `Use one of: ${Object.keys(providers).join(', ')}.`,
      );
    }
    if (typeof tier !== 'string' || !tiers.includes(tier)) {
      throw new ConfigError(`${field}.tier`, `unknown tier ${showValue(tier)}`, `Use one of: ${tiers.join(', ')}.`);
    }
    const { contextWindow, weight, capabilities: caps, streamUsage, region } = model;
    if (caps !== undefined && (!Array.isArray(caps) || caps.some((c) => !capabilities.has(c as string)))) {
      throw new ConfigError(`${field}.capabilities`, 'must list known capabilities', `Use any of: ${[...capabilities].join(', ')}.`);
    }
    const embeds = caps?.includes('embeddings') === true;
    if (embeds && caps.length > 1) {
      throw new ConfigError(
        `${field}.capabilities`,
        "an embedding model serves embeddings only: 'embeddings' cannot be listed with other capabilities",
        "Use capabilities: ['embeddings'], or list the chat model as a separate entry.",
      );
    }
    checkPrice(model, 'inputCostPerMTok', field, true);
    // An embedding model has no completion tokens: its output price may be left out.
    checkPrice(model, 'outputCostPerMTok', field, !embeds);
    checkPrice(model, 'cachedInputCostPerMTok', field, false);
    if (typeof contextWindow !== 'number' || !Number.isSafeInteger(contextWindow) || contextWindow <= 0) {
      throw new ConfigError(
        `${field}.contextWindow`,
        `must be a positive whole number of tokens, got ${showValue(contextWindow)}`,
        "Use the model's documented context window, e.g. 128_000.",
      );
    }
    if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0)) {
      throw new ConfigError(
        `${field}.weight`,
        `must be a positive finite number, got ${showValue(weight)}`,
        'Weights are relative shares, e.g. 1 and 3.',
      );
    }
    if (streamUsage !== undefined && typeof streamUsage !== 'boolean') {
      throw new ConfigError(`${field}.streamUsage`, 'must be a boolean', 'Set false only for providers that cannot report stream usage.');
    }
    if (region !== undefined && typeof region !== 'string')
      throw new ConfigError(`${field}.region`, 'must be a string', "E.g. region: 'eu-west'.");
    const limits = checkLimits(model.limits, `${field}.limits`);
    const key = `${provider}/${id}`;
    if (keys.has(key))
      throw new ConfigError(
        field,
        `duplicate deployment '${key}'`,
        'List each model once per provider; use another provider name for another region.',
      );
    keys.add(key);
    return Object.freeze({
      ...model,
      ...(caps === undefined ? {} : { capabilities: Object.freeze([...(caps as Capability[])]) }),
      ...(limits === undefined ? {} : { limits }),
    }) as unknown as ModelEntry;
  });
}

function checkPrice(model: Record<string, unknown>, name: string, field: string, required: boolean): void {
  const value = model[name];
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const onlyEmbeddings = value === undefined && name === 'outputCostPerMTok';
    throw new ConfigError(
      `${field}.${name}`,
      `must be a finite number >= 0 (USD per million tokens), got ${showValue(value)}`,
      onlyEmbeddings
        ? "Copy the price from the provider's price list, e.g. 10; only an embedding model (capabilities: ['embeddings']) may leave it out."
        : "Copy the price from the provider's price list, e.g. 2.5.",
    );
  }
}
