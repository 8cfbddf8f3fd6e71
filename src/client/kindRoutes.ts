import { isResponsesModel } from '../catalog/chatModels.js';
import type { Catalog, Deployment } from '../catalog/types.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { candidateRoutes } from '../routing/candidateRoutes.js';
import { embeddingRoutes } from '../routing/embeddingRoutes.js';
import type { FallbackPolicy } from '../routing/FallbackPolicy.js';
import { KindRoutes } from '../routing/KindRoutes.js';
import type { LoadBalancing, Route } from '../routing/loadBalancing.js';
import type { ResponseOwners } from '../routing/ResponseOwners.js';
import type { OutsideRegions } from '../routing/outsideRegions.js';
import { preferRegions } from '../routing/preferRegions.js';

/** What the routes of every kind are built from, once per client. */
export interface KindRouteSources {
  readonly catalog: Catalog;
  readonly live: ReadonlyMap<Deployment, LiveDeployment>;
  readonly fallback: FallbackPolicy;
  readonly loadBalancing: LoadBalancing;
  readonly passthrough: ((model: string) => readonly LiveDeployment[]) | undefined;
  readonly owners: ResponseOwners;
  /** The client's `region` preference: each group of equals split by it, once, here. */
  readonly preferred?: readonly string[] | undefined;
  /** With the client's `regions.only`: the error for a name served only outside them, by kind. */
  readonly outside?: { readonly chat: OutsideRegions; readonly embeddings: OutsideRegions } | undefined;
}

/**
 * The chat routes under `policy` of the models `serves` keeps (every chat model without it), as live
 * deployments, each group of equals split by the client's `region` preference when it has one.
 */
export function liveRoutes(
  { catalog, live, preferred }: Pick<KindRouteSources, 'catalog' | 'live' | 'preferred'>,
  policy: FallbackPolicy,
  serves?: Parameters<typeof candidateRoutes>[2],
): ReadonlyMap<string, Route> {
  return new Map(
    [...candidateRoutes(catalog, policy, serves)].map(([name, groups]) => {
      const liveGroups = groups.map((group) => Object.freeze(group.map((d) => live.get(d)!)));
      const route: Route = { groups: liveGroups, ordered: Object.freeze(liveGroups.flat()) };
      return [name, preferred === undefined ? route : preferRegions(route, preferred)];
    }),
  );
}

/**
 * The route stages of the kinds other than chat: embeddings (one model id's deployments) and the
 * Responses API (the chat routes, kept to the models with the capability `'responses'`, under the
 * client's `fallback`; a stateful request pinned to the deployment that holds its state).
 */
export function kindRoutes(sources: KindRouteSources): { embeddings: KindRoutes; responses: KindRoutes } {
  const { catalog, live, fallback, loadBalancing, passthrough, owners, preferred, outside } = sources;
  const catalogNames = new Set<string>([...catalog.tiers, ...catalog.deployments.map((d) => d.model.id)]);
  const none = liveRoutes(sources, 'none', isResponsesModel);
  const escalate = liveRoutes(sources, 'escalate', isResponsesModel);
  return {
    embeddings: new KindRoutes({
      routes: new Map(
        [...embeddingRoutes(catalog)].map(([name, deployments]) => {
          const ordered = Object.freeze(deployments.map((d) => live.get(d)!));
          const route: Route = { groups: [ordered], ordered };
          return [name, preferred === undefined ? route : preferRegions(route, preferred)];
        }),
      ),
      catalogNames,
      serves: 'an embedding model',
      howToAdd: "add an entry with capabilities: ['embeddings'] (outputCostPerMTok may be left out).",
      loadBalancing,
      passthrough,
      outsideRegions: outside?.embeddings,
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
      outsideRegions: outside?.chat,
    }),
  };
}
