import type { ResponseCreateParams, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { Send } from '../resilience/DeploymentAttempts.js';
import type { ResponseUpstreamStream } from '../streaming/responseStreamReading.js';
import { responsesKind } from './kinds/responsesKind.js';
import { settle } from './pipeline.js';
import { priceResponse } from './priceResponse.js';
import { RoutedStream } from './RoutedStream.js';
import type { State } from './streamState.js';
import type { Stages } from './Stages.js';

/**
 * A streaming Responses API answer (`responses.create({ stream: true })`): an `openai` `Stream` of
 * the upstream `ResponseStreamEvent`s, so `controller`, `tee()`, `toReadableStream()` and `openai`'s
 * `responses.stream()` helper work over it.
 *
 * The same stages as a chat stream (see `TieredStream`): up to the first output event (the opening
 * events, `response.created` to `response.content_part.added`, are held until then), failures fall back
 * unseen; after it, events pass straight through, and a failure throws `StreamInterruptedError`:
 * an `error` or `response.failed` event, a cut connection, silence beyond `timeouts.idleMs`, or an
 * end without `response.completed` or `response.incomplete`. Priced from the last event's `usage`.
 * Never answered from the cache. Iterate it once.
 */
export class TieredResponseStream extends RoutedStream<ResponseStreamEvent, ResponseUpstreamStream> {
  /** @internal Use `client.responses.create({ ..., stream: true })`. */
  constructor(stages: Stages, params: ResponseCreateParams, options: TieredRequestOptions | undefined) {
    // Never a cache hit: a streamed Responses request has no cache key (responsesKind.cacheable).
    super(stages, params as unknown as TieredChatParams, options, responsesKind);
  }

  /** @internal */
  protected override send(): Send<ResponseUpstreamStream> {
    return this.stages.sendResponseStream;
  }

  /** @internal Priced from the last event's response, and its owner remembered for the requests that follow it. */
  protected override settleEnd(state: State<ResponseUpstreamStream> & { kind: 'streaming' }): TieredChatResult {
    const { call, upstream } = state;
    // Its assembler finished: the last event brought the response.
    const response = upstream.assembler.response!;
    upstream.finish();
    call.scope.dispose();
    const { live } = upstream;
    this.stages.responseOwners.remember(response, call.params, live);
    return settle(this.stages, call, state.held, priceResponse(live.deployment, response, call.params), state.ttftMs);
  }
}
