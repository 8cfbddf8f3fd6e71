import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/**
 * The route stage: the request's model field (a tier, a model id, or `'auto'` through the router)
 * to the deployments to try, fallbacks included. A precomputed lookup except for `'auto'`.
 * @throws ConfigError for a name the catalog does not know, before any network call.
 */
export async function route(engine: Engine, call: Call): Promise<readonly LiveDeployment[]> {
  let name: string = call.requested;
  const { router, catalog } = engine.settings;
  if (name === 'auto') {
    if (router === undefined) {
      throw new ConfigError('model', "'auto' needs a router", 'Pass router: (request) => tier to createTieredClient(), or name a tier.');
    }
    name = await router(call.params as Parameters<typeof router>[0]);
    if (!catalog.tiers.includes(name)) {
      throw new ConfigError('router', `returned '${String(name)}', which is not a tier`, `Return one of: ${catalog.tiers.join(', ')}.`);
    }
  }
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
