import { LRUCache } from 'lru-cache';
import { passthroughTier } from '../catalog/passthroughTier.js';
import type { Deployment } from '../catalog/types.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/** How many passthrough models keep a breaker and statistics at once: a caller that sends many ids cannot grow the client. */
const maxModels = 100;

/**
 * The models of `unknownModels: 'passthrough'`: each a one-deployment route on the default
 * provider, made on first use, with a breaker of its own and no fallback. Priced at $0: the catalog
 * has no price for them. The least recently used are forgotten past {@link maxModels}.
 */
export class PassthroughModels {
  readonly #routes = new LRUCache<string, readonly LiveDeployment[]>({
    max: maxModels,
    dispose: (route) => route[0]!.shutdown(),
  });

  constructor(
    private readonly provider: string,
    private readonly make: (deployment: Deployment) => LiveDeployment,
  ) {}

  /** The one-deployment route of `model`. */
  route(model: string): readonly LiveDeployment[] {
    let route = this.#routes.get(model);
    if (route === undefined) {
      const deployment: Deployment = Object.freeze({
        key: `${this.provider}/${model}`,
        provider: this.provider,
        tier: passthroughTier,
        // Outside the tier list: no tier is above it, so nothing escalates from it.
        tierIndex: Number.MAX_SAFE_INTEGER,
        model: Object.freeze({
          id: model,
          provider: this.provider,
          tier: passthroughTier,
          inputCostPerMTok: 0,
          outputCostPerMTok: 0,
          contextWindow: Number.POSITIVE_INFINITY,
        }),
      });
      route = Object.freeze([this.make(deployment)]);
      this.#routes.set(model, route);
    }
    return route;
  }

  /** Those in use, for `health()`. */
  live(): LiveDeployment[] {
    return [...this.#routes.values()].map((route) => route[0]!);
  }

  /** Stops every breaker's timers (`close()`). */
  shutdown(): void {
    this.#routes.clear();
  }
}
