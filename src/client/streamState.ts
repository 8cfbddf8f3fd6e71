import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { TieredChatResult } from '../call/requests.js';
import type { SomeUpstreamStream, UpstreamStream } from '../streaming/UpstreamStream.js';
import type { ModelEntry } from '../catalog/types.js';
import { breakerView, markInterrupted } from '../streaming/interruption.js';
import { priceChat } from '../telemetry/price.js';
import { fail, settle, type Held } from './pipeline.js';
import type { Stages } from './Stages.js';

/** How a stream ended: its result, or its error. */
export type Outcome = { readonly result: TieredChatResult } | { readonly error: unknown };

/**
 * Where a stream stands. Each state holds what it needs and nothing else. `U` is the upstream of its
 * kind, a chat stream's by default; `Item` what it replays from the cache (a Responses stream never
 * replays: it is not cached).
 */
export type State<U extends SomeUpstreamStream = UpstreamStream, Item = unknown> =
  | { readonly kind: 'idle' }
  /** Through the prepare stages and the fallback, up to the first token. */
  | { readonly kind: 'starting'; call?: Call; held?: Held }
  /** Replaying a cached answer as items. */
  | {
      readonly kind: 'replaying';
      readonly call: Call;
      readonly answer: CachedAnswer;
      readonly items: readonly Item[];
      next: number;
      readonly ttftMs: number;
    }
  /** Passing a deployment's chunks through; `released` counts the chunks held up to the first token already handed out. */
  | {
      readonly kind: 'streaming';
      readonly call: Call;
      readonly held: Held;
      readonly upstream: U;
      readonly ttftMs: number;
      released: number;
    }
  /** Ended; `undelivered` when it ended with an error while the caller was not reading: thrown at its next read. */
  | { readonly kind: 'settled'; readonly outcome: Outcome; undelivered: boolean };

/** The duties of a stream that ended while it was preparing: its followers get its error, its reservation is freed. */
export function release(held: Held, state: State<SomeUpstreamStream>): void {
  const error = state.kind === 'settled' && 'error' in state.outcome ? state.outcome.error : undefined;
  held.fill?.fail(error);
  held.admission?.settle(0);
}

/** The settle stage of a stream read to its end: priced, and settled as a call is. */
export function completeStream(stages: Stages, state: State & { kind: 'streaming' }): TieredChatResult {
  const { call, upstream } = state;
  upstream.finish();
  call.scope.dispose();
  const answer = priceChat(call, upstream.live.deployment, upstream.assembler.completion());
  // openai's iterator cannot tell a [DONE] from a connection that closed after the finish chunk: a
  // stream that owes us usage and did not deliver it may have been cut, so it is not stored.
  const storable = upstream.assembler.usage !== undefined || upstream.live.deployment.model.streamUsage === false;
  return settle(stages, call, state.held, answer, state.ttftMs, storable);
}

/**
 * The settle stage of a stream that failed or was given up: its upstream closed, its audit trail
 * corrected (the attempt said 'ok' at the first token), what it generated billed (estimated).
 */
export function failStream<U extends SomeUpstreamStream>(
  stages: Stages,
  state: Exclude<State<U>, { kind: 'settled' }>,
  error: unknown,
): void {
  let held: Held | undefined;
  let billed: { readonly model: ModelEntry; readonly text: string } | undefined;
  if (state.kind === 'streaming') {
    const cause = breakerView(error);
    state.upstream.abandon(cause);
    markInterrupted(state.call, state.upstream, cause);
    held = state.held;
    billed = { model: state.upstream.live.deployment.model, text: state.upstream.assembler.text };
  } else if (state.kind === 'starting') held = state.held;
  const call = state.kind === 'idle' ? undefined : state.call;
  if (call === undefined) return held?.fill?.fail(error);
  // Still looking for a first token: the attempts, waits and fallbacks in flight stop now.
  if (state.kind === 'starting') call.scope.abort('caller');
  call.scope.dispose();
  fail(stages, call, held, error, billed);
}
