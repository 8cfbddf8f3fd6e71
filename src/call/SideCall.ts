import { fromPicoUsd, toPicoUsd, type TokenUsage } from '../catalog/costOf.js';
import type { Deployment } from '../catalog/types.js';

/**
 * A request a call made besides its answer, priced at its model's catalog prices: the classifier's
 * routing call, or the semantic cache's embedding call. Added to the call's cost, counted under its
 * own model in the metrics, settled into the budget after the fact.
 */
export interface SideCall {
  /** The deployment that served it (the classifier model, or the embedding model). */
  readonly deployment: Deployment;
  /** Its tokens, as reported (or estimated when the provider reported none). */
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

/** What a call spent besides its answer. */
export interface SideCalls {
  readonly routing: SideCall | undefined;
  readonly embedding: SideCall | undefined;
}

/** The routing and embedding costs of a call, summed to the pico-dollar: 0 for the common call that made neither. */
export function sideCostUsd(call: SideCalls): number {
  return withSideCosts(0, call);
}

/** `usd` plus the call's routing and embedding costs, to the pico-dollar: `usd` itself for the common call. */
export function withSideCosts(usd: number, call: SideCalls): number {
  const { routing, embedding } = call;
  if (routing === undefined && embedding === undefined) return usd;
  return fromPicoUsd(toPicoUsd(usd) + toPicoUsd(routing?.costUsd ?? 0) + toPicoUsd(embedding?.costUsd ?? 0));
}
