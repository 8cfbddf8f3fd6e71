import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/**
 * The route stage: the request's model field (a tier, a model id, or `'auto'` through the router)
 * to the deployments to try, fallbacks included. A precomputed lookup, synchronous, except for `'auto'`.
 * @throws ConfigError for a name the catalog does not know, before any network call.
 */
export function route(engine: Engine, call: Call): readonly LiveDeployment[] | Promise<readonly LiveDeployment[]> {
  return call.requested === 'auto' ? routeAuto(engine, call) : candidatesFor(engine, call.requested);
}

async function routeAuto(engine: Engine, call: Call): Promise<readonly LiveDeployment[]> {
  const { router, catalog } = engine.settings;
  if (router === undefined) {
    throw new ConfigError('model', "'auto' needs a router", 'Pass router: (request) => tier to createTieredClient(), or name a tier.');
  }
  const tier = await router(call.params as Parameters<typeof router>[0]);
  if (!catalog.tiers.includes(tier)) {
    throw new ConfigError('router', `returned '${String(tier)}', which is not a tier`, `Return one of: ${catalog.tiers.join(', ')}.`);
  }
  return candidatesFor(engine, tier);
}

function candidatesFor(engine: Engine, name: unknown): readonly LiveDeployment[] {
  const { catalog } = engine.settings;
  const candidates = typeof name === 'string' ? engine.routes.get(name) : undefined;
  if (candidates === undefined) {
    throw new ConfigError(
      'model',
      `'${String(name)}' is not a tier, a model id of the catalog, or 'auto'`,
      `Use a tier (${catalog.tiers.join(', ')}), a catalog model id, or 'auto'.`,
    );
  }
  return candidates;
}
