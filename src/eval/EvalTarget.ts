import { ConfigError, type Catalog, type Deployment } from 'tiered-llm';

/** One model the cases run on: a catalog model on one deployment. */
export interface EvalTarget {
  /** Its name in the report: the model id, or `provider/model` where ids repeat. */
  readonly label: string;
  readonly deployment: Deployment;
}

/**
 * The models named by `--models` (tiers, catalog ids, or `provider/model`), default every tier. A
 * tier expands to its chat models (never an embedding model), and a model to its first deployment, in catalog order; a name
 * given twice counts once.
 * @throws ConfigError naming an unknown model, before any call.
 */
export function selectTargets(catalog: Catalog, names?: readonly string[]): EvalTarget[] {
  const picked: Deployment[] = [];
  const add = (deployment: Deployment | undefined): void => {
    if (deployment !== undefined && !picked.includes(deployment)) picked.push(deployment);
  };
  // Chat models only: an embedding model answers no case.
  const chat = catalog.deployments.filter((d) => !(d.model.capabilities as readonly string[] | undefined)?.includes('embeddings'));
  const firstOf = (id: string): Deployment | undefined => chat.find((d) => d.model.id === id);
  const wanted = names ?? catalog.tiers;
  if (wanted.length === 0)
    throw new ConfigError('models', 'is empty', 'Name at least one tier or model, or leave --models out for every tier.');
  wanted.forEach((name, index) => {
    if (catalog.tiers.includes(name)) {
      for (const d of chat) if (d.tier === name && d === firstOf(d.model.id)) add(d);
      return;
    }
    const byKey = chat.find((d) => d.key === name);
    if (byKey !== undefined || firstOf(name) !== undefined) return add(byKey ?? firstOf(name));
    throw new ConfigError(
      names === undefined ? 'models' : `models[${index}]`,
      catalog.deployments.some((d) => d.model.id === name || d.key === name)
        ? `'${name}' is an embedding model: it answers no case`
        : `'${name}' is not a tier, a model id or a provider/model of the catalog`,
      `Use a tier (${catalog.tiers.join(', ')}), a model id (${[...new Set(chat.map((d) => d.model.id))].join(', ')}) or provider/model.`,
    );
  });
  if (picked.length === 0) throw new ConfigError('models', `${wanted.join(', ')} holds no model`, 'Name a tier that has models.');
  const repeated = new Set(picked.filter((d, i) => picked.findIndex((o) => o.model.id === d.model.id) !== i).map((d) => d.model.id));
  return picked.map((deployment) => ({ deployment, label: repeated.has(deployment.model.id) ? deployment.key : deployment.model.id }));
}

/** The reference: the first model of the highest tier evaluated. */
export function referenceOf(targets: readonly EvalTarget[]): EvalTarget {
  return targets.reduce((best, t) => (t.deployment.tierIndex > best.deployment.tierIndex ? t : best));
}
