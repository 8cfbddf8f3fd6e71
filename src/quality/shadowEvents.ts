import type { RequestEvent } from '../telemetry/RequestEvent.js';

/**
 * Why a sampled call's shadow (the `shadow` option) was not run or not scored:
 * - `busy`: `shadow.maxConcurrent` shadows were already in flight;
 * - `spend_cap`: the shadows had already spent `shadow.budgetUsd`;
 * - `budget`: the client's `budget` refused to reserve for the shadow or its judge;
 * - `unroutable`: the call's `providers` leave the shadow model (or the judge model) no deployment,
 *   or none of them can serve the request (capabilities, context window);
 * - `failed`: the shadow call failed (every deployment of the shadow model);
 * - `unscored`: the judge failed, gave no parsable score, or a number outside 0..1;
 * - `closed`: `client.close()` ended it (or the client was closing when the call was sampled).
 */
export type ShadowDropReason = 'busy' | 'spend_cap' | 'budget' | 'unroutable' | 'failed' | 'unscored' | 'closed';

/** A sampled answer was asked again of the shadow model and scored against it (the `shadow` option). */
export interface ShadowResultEvent extends RequestEvent {
  /** The id of the call whose answer was scored (its `request:end` came first). */
  readonly requestId: string;
  /** Always `'chat'`: only chat answers are shadowed. */
  readonly operation: 'chat';
  /** The model id that gave the answer scored. */
  readonly model: string;
  /** Its tier. */
  readonly tier: string;
  /** The model id that answered the shadow call: the reference the answer was scored against. */
  readonly shadowModel: string;
  /** How the answer compares with the reference, 0 (wrong) to 1 (as good). */
  readonly score: number;
  /** What the shadow call and its judge cost (a judge function: nothing); never in the callers' spend. */
  readonly costUsd: number;
}

/** A sampled call's shadow was not run, or not scored; `reason` says why. */
export interface ShadowDroppedEvent extends RequestEvent {
  /** The id of the sampled call. */
  readonly requestId: string;
  /** Always `'chat'`: only chat answers are shadowed. */
  readonly operation: 'chat';
  /** A stable code; see {@link ShadowDropReason}. */
  readonly reason: ShadowDropReason;
}
