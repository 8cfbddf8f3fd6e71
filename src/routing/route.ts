import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { heuristicTier, requestFeatures, type RouteDecision } from './heuristicRouter.js';
import { abortError } from '../resilience/tryCandidates.js';
import { withinScope } from '../resilience/withinScope.js';
import { arrange } from './loadBalancing.js';
import { estimatePromptTokens } from './promptTokens.js';

/**
 * The route stage: the request's model field (a tier, a model id, or `'auto'`) to the deployments to
 * try, fallbacks included. A precomputed lookup, synchronous, except for `'auto'`, which asks the
 * client's `router`, else the classifier when configured, else the built-in heuristic, and says so in
 * a `route` event.
 * @throws ConfigError for a name the catalog does not know, before any network call.
 */
export function route(engine: Engine, call: Call): readonly LiveDeployment[] | Promise<readonly LiveDeployment[]> {
  return call.requested === 'auto' ? routeAuto(engine, call) : candidatesFor(engine, call.requested);
}

async function routeAuto(engine: Engine, call: Call): Promise<readonly LiveDeployment[]> {
  const decision = await decide(engine, call);
  if (engine.telemetry.wants('route'))
    engine.telemetry.emit('route', { requestId: call.requestId, requested: call.requested, ...decision });
  return candidatesFor(engine, decision.tier);
}

/** The tier of an `'auto'` request: the client's router, else the classifier (if configured), else the heuristic. */
async function decide(engine: Engine, call: Call): Promise<{ tier: string; by: 'custom' | 'classifier' | 'heuristic'; reason: string }> {
  const { router, catalog } = engine.settings;
  const heuristic = (): RouteDecision =>
    heuristicTier(requestFeatures(call.params, estimatePromptTokens(call.params.messages)), catalog.tiers);
  if (router !== undefined) {
    // The router is the application's code: it gets the call's deadline, and its failure is not the call's.
    let tier: string;
    try {
      tier = await withinScope(call, Number.POSITIVE_INFINITY, () => router(call.params as Parameters<typeof router>[0]));
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      const fallback = heuristic();
      return { tier: fallback.tier, by: 'heuristic', reason: `the router failed (${describe(error)}); ${fallback.reason}` };
    }
    if (!catalog.tiers.includes(tier)) {
      throw new ConfigError('router', `returned '${String(tier)}', which is not a tier`, `Return one of: ${catalog.tiers.join(', ')}.`);
    }
    return { tier, by: 'custom', reason: 'the client router' };
  }
  if (engine.classifier === undefined) return { ...heuristic(), by: 'heuristic' };
  let grade;
  try {
    grade = await engine.classifier.grade(call);
  } catch (error) {
    throw abortError(call, error);
  }
  if (grade.tier !== undefined) return { tier: grade.tier, by: 'classifier', reason: grade.reason };
  const fallback = heuristic();
  return { tier: fallback.tier, by: 'heuristic', reason: `${grade.failure}; ${fallback.reason}` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The deployments to try for a tier name or model id, arranged by the client's load balancing. */
export function candidatesFor(engine: Engine, name: unknown): readonly LiveDeployment[] {
  const { catalog } = engine.settings;
  const found = typeof name === 'string' ? engine.routes.get(name) : undefined;
  if (found === undefined) {
    throw new ConfigError(
      'model',
      `'${String(name)}' is not a tier, a model id of the catalog, or 'auto'`,
      `Use a tier (${catalog.tiers.join(', ')}), a catalog model id, or 'auto'.`,
    );
  }
  return arrange(found, engine.settings.loadBalancing);
}
