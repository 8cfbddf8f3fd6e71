import { isResponsesModel } from '../catalog/chatModels.js';
import type { Catalog, Deployment } from '../catalog/types.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { candidateRoutes } from '../routing/candidateRoutes.js';
import { embeddingRoutes } from '../routing/embeddingRoutes.js';
import type { FallbackPolicy } from '../routing/FallbackPolicy.js';
import { KindRoutes } from '../routing/KindRoutes.js';
import type { LoadBalancing, Route } from '../routing/loadBalancing.js';
import type { ResponseOwners } from '../routing/ResponseOwners.js';

/** What the routes of every kind are built from, once per client. */
export interface KindRouteSources {
  readonly catalog: Catalog;
  readonly live: ReadonlyMap<Deployment, LiveDeployment>;
  readonly fallback: FallbackPolicy;
  readonly loadBalancing: LoadBalancing;
  readonly passthrough: ((model: string) => readonly LiveDeployment[]) | undefined;
  readonly owners: ResponseOwners;
}

/** The chat routes under `policy` of the models `serves` keeps (every chat model without it), as live deployments. */
export function liveRoutes(
  { catalog, live }: Pick<KindRouteSources, 'catalog' | 'live'>,
  policy: FallbackPolicy,
  serves?: Parameters<typeof candidateRoutes>[2],
): ReadonlyMap<string, Route> {
  return new Map(
    [...candidateRoutes(catalog, policy, serves)].map(([name, groups]) => {
      const liveGroups = groups.map((group) => Object.freeze(group.map((d) => live.get(d)!)));
      return [name, { groups: liveGroups, ordered: Object.freeze(liveGroups.flat()) }];
    }),
  );
}

/**
 * The route stages of the kinds other than chat: embeddings (one model id's deployments) and the
 * Responses API (the chat routes, kept to the models with the capability `'responses'`, under the
 * client's `fallback`; a stateful request pinned to the deployment that holds its state).
 */
export function kindRoutes(sources: KindRouteSources): { embeddings: KindRoutes; responses: KindRoutes } {
  const { catalog, live, fallback, loadBalancing, passthrough, owners } = sources;
  const catalogNames = new Set<string>([...catalog.tiers, ...catalog.deployments.map((d) => d.model.id)]);
  const none = liveRoutes(sources, 'none', isResponsesModel);
  const escalate = liveRoutes(sources, 'escalate', isResponsesModel);
  return {
    embeddings: new KindRoutes({
      routes: new Map(
        [...embeddingRoutes(catalog)].map(([name, deployments]) => {
          const ordered = Object.freeze(deployments.map((d) => live.get(d)!));
          return [name, { groups: [ordered], ordered }];
        }),
      ),
      catalogNames,
      serves: 'an embedding model',
      howToAdd: "add an entry with capabilities: ['embeddings'] (outputCostPerMTok may be left out).",
      loadBalancing,
      passthrough,
    }),
    responses: new KindRoutes({
      routes: fallback === 'none' ? none : fallback === 'escalate' ? escalate : liveRoutes(sources, fallback, isResponsesModel),
      routesUnder: { none, escalate },
      pinned: (call) => owners.ownerOf(call),
      catalogNames,
      serves: 'the Responses API',
      howToAdd: "add 'responses' to the capabilities of one of its catalog entries (e.g. capabilities: ['tools', 'responses']).",
      loadBalancing,
      passthrough,
    }),
  };
}
