import type { Operation } from '../call/Operation.js';
import type { MetricsEntry, TieredMetrics } from './MetricsEntry.js';
import { ScopeStats } from './ScopeStats.js';

/** Where a call ended: the deployment that answered (or was tried last). */
export interface Placement {
  readonly tier: string;
  readonly model: string;
  readonly provider: string;
}

type Tree<T> = Map<string, T>;

/**
 * The scopes of `client.metrics()`: the client's total, each tier, model, deployment and operation.
 * Every call looks its scopes up here, by nested maps with no key to build, and gets one array it
 * counts into (built once per placement and operation).
 */
export class ScopeIndex {
  readonly total: ScopeStats;
  readonly #tiers = new Map<string, ScopeStats>();
  readonly #models = new Map<string, ScopeStats>();
  readonly #deployments = new Map<string, ScopeStats>();
  readonly #operations = new Map<string, ScopeStats>();
  /** The scopes of a placement, by operation, tier, provider and model. */
  readonly #placed = new Map<Operation | undefined, Tree<Tree<Tree<readonly ScopeStats[]>>>>();
  /** The scopes of a call that reached no deployment, by operation. */
  readonly #unplaced = new Map<Operation | undefined, readonly ScopeStats[]>();

  constructor(private readonly windowMs: number) {
    this.total = new ScopeStats(windowMs);
  }

  /**
   * The scopes a call of `operation` that ended on `placement` counts in: the total, its tier,
   * model, deployment and operation. Without a placement, the total and the operation; without an
   * operation (a breaker belongs to a deployment, not to a kind of request), no operation scope.
   */
  of(placement: Placement | undefined, operation: Operation | undefined): readonly ScopeStats[] {
    if (placement === undefined) {
      let group = this.#unplaced.get(operation);
      if (group === undefined) this.#unplaced.set(operation, (group = this.#withOperation([this.total], operation)));
      return group;
    }
    let byTier = this.#placed.get(operation);
    if (byTier === undefined) this.#placed.set(operation, (byTier = new Map()));
    const byModel = child(child(byTier, placement.tier), placement.provider);
    let group = byModel.get(placement.model);
    if (group === undefined) {
      const scopes = [
        this.total,
        this.tier(placement.tier),
        stats(this.#models, placement.model, this.windowMs),
        stats(this.#deployments, `${placement.provider}/${placement.model}`, this.windowMs),
      ];
      byModel.set(placement.model, (group = this.#withOperation(scopes, operation)));
    }
    return group;
  }

  /** The scope of one tier. */
  tier(name: string): ScopeStats {
    return stats(this.#tiers, name, this.windowMs);
  }

  /** Every scope's entry at `now`; only the scopes that counted something are there. */
  entries(now: number): Pick<TieredMetrics, 'total' | 'byTier' | 'byModel' | 'byDeployment' | 'byOperation'> {
    const entries = (map: Map<string, ScopeStats>): Record<string, MetricsEntry> =>
      Object.fromEntries([...map].map(([key, scope]) => [key, scope.entry(now)]));
    return {
      total: this.total.entry(now),
      byTier: entries(this.#tiers),
      byModel: entries(this.#models),
      byDeployment: entries(this.#deployments),
      byOperation: entries(this.#operations),
    };
  }

  #withOperation(scopes: ScopeStats[], operation: Operation | undefined): readonly ScopeStats[] {
    if (operation !== undefined) scopes.push(stats(this.#operations, operation, this.windowMs));
    return scopes;
  }
}

function child<T>(map: Tree<Tree<T>>, key: string): Tree<T> {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new Map()));
  return found;
}

function stats(map: Map<string, ScopeStats>, key: string, windowMs: number): ScopeStats {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new ScopeStats(windowMs)));
  return found;
}
