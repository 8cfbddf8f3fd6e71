import type { TieredChatParams, TieredRequestOptions } from '../call/requests.js';

/** A request the client makes on its own behalf (a shadow, or its judge), as the shadow sampler asks for it. */
export interface SideRequest {
  /** The chat parameters, `model` naming the tier or model id that must answer (no fallback elsewhere). */
  readonly params: TieredChatParams;
  /**
   * The sampled call's own options: a side request keeps to its `providers` and `region`, and counts
   * against the budget of its `cacheNamespace` (with `budget.per: 'namespace'`).
   */
  readonly of: TieredRequestOptions;
  /** Aborts it (`client.close()`). */
  readonly signal: AbortSignal;
}

/**
 * What a side request came to: the answer's text, the model id that gave it and what it cost, or
 * the stage that stopped it: `route` (no deployment left, or none that can serve it), `budget` (the
 * client's budget refused the reservation) or `send` (every attempt failed, or it was aborted).
 */
export type SideOutcome =
  | { readonly ok: true; readonly text: string; readonly model: string; readonly costUsd: number }
  | { readonly ok: false; readonly stage: 'route' | 'budget' | 'send'; readonly error: unknown };

/** Sends a side request; never rejects. */
export type SendSide = (request: SideRequest) => Promise<SideOutcome>;
