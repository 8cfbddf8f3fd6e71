import { Stream } from 'openai/core/streaming';
import type { ResponseCreateParams, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { TieredChatParams, TieredRequestOptions } from '../call/requests.js';
import { StreamConsumedError } from '../errors/StreamConsumedError.js';
import { interruption, streamAbortError } from '../streaming/interruption.js';
import type { ResponseUpstreamStream } from '../streaming/responseStreamReading.js';
import { responsesKind } from './kinds/responsesKind.js';
import { openCall } from './openCall.js';
import { prepare, settle, type Held } from './pipeline.js';
import { priceResponse } from './priceResponse.js';
import { rememberRequestId, rememberResponse } from './responses.js';
import { failStream, release, type State } from './streamState.js';
import type { Stages } from './Stages.js';

type Step = IteratorResult<ResponseStreamEvent, undefined>;
type ResponseState = State<ResponseUpstreamStream>;
const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A streaming Responses API answer (`responses.create({ stream: true })`): an `openai` `Stream` of
 * the upstream `ResponseStreamEvent`s, so `controller`, `tee()`, `toReadableStream()` and `openai`'s
 * `responses.stream()` helper work over it.
 *
 * The same stages as a chat stream (see `TieredStream`): up to the first event, failures fall back
 * unseen; after it, events pass straight through, and a failure throws `StreamInterruptedError`:
 * an `error` or `response.failed` event, a cut connection, silence beyond `timeouts.idleMs`, or an
 * end without `response.completed` or `response.incomplete`. Priced from the last event's `usage`.
 * Never answered from the cache. Iterate it once.
 */
export class TieredResponseStream extends Stream<ResponseStreamEvent> implements AsyncIterator<ResponseStreamEvent, undefined> {
  readonly #stages: Stages;
  readonly #params: ResponseCreateParams;
  readonly #options: TieredRequestOptions | undefined;
  #state: ResponseState = { kind: 'idle' };
  #started: Promise<void> | undefined;
  #consumed = false;

  /** @internal Use `client.responses.create({ ..., stream: true })`. */
  constructor(stages: Stages, params: ResponseCreateParams, options: TieredRequestOptions | undefined) {
    // openai's Stream: its tee() reads this stream through `iterate`, its controller aborts the call.
    super(iterate, new AbortController());
    this.#stages = stages;
    this.#params = params;
    this.#options = options;
  }

  /** @internal Runs the call up to its first event, so that `create()` rejects as `openai`'s does. */
  start(): Promise<this> {
    return (this.#started ??= this.#begin()).then(() => this);
  }

  /** The stream itself: iterate it once (`for await`). A second iteration throws `StreamConsumedError`. */
  override [Symbol.asyncIterator](): this {
    if (this.#consumed) throw new StreamConsumedError();
    this.#consumed = true;
    return this;
  }

  /** The next event; rejects with `StreamInterruptedError` when the stream breaks after its first event. */
  next(): Promise<IteratorResult<ResponseStreamEvent, undefined>> {
    const state = this.#state;
    switch (state.kind) {
      case 'settled':
        if (!state.undelivered) return Promise.resolve(finished);
        state.undelivered = false;
        return Promise.reject('error' in state.outcome ? state.outcome.error : undefined);
      case 'streaming': {
        const { held } = state.upstream;
        if (state.released < held.length) return Promise.resolve({ done: false, value: held[state.released++]! });
        return state.upstream.next().then(this.#onEvent, this.#onUpstreamError);
      }
      case 'replaying':
        return Promise.resolve(finished);
      default:
        return (this.#started ??= this.#begin()).then(() => this.next());
    }
  }

  /** The caller stopped reading (`break`, or a throw in its loop): close quietly, billing what was generated. */
  async return(): Promise<IteratorResult<ResponseStreamEvent, undefined>> {
    if (this.#state.kind !== 'settled') this.#fail(streamAbortError('The caller stopped reading the stream.'));
    return finished;
  }

  async #begin(): Promise<void> {
    const stages = this.#stages;
    const starting: ResponseState & { kind: 'starting' } = { kind: 'starting' };
    this.#state = starting;
    try {
      const call = openCall(stages, this.#params as unknown as TieredChatParams, this.#options, responsesKind);
      starting.call = call;
      rememberRequestId(this, call.requestId);
      call.scope.follow(this.controller.signal);
      // Never a hit: a streamed Responses request has no cache key (responsesKind.cacheable).
      const preparing = prepare(stages, call, false);
      const prepared = (preparing instanceof Promise ? await preparing : preparing) as Held;
      if (this.#state !== starting) return release(prepared, this.#state);
      starting.held = prepared;
      const upstream = (await stages.fallback.run(call, prepared.candidates, stages.sendResponseStream)).value;
      if (this.#state !== starting) return upstream.abandon(undefined);
      rememberResponse(this, upstream.response);
      this.#state = { kind: 'streaming', call, held: prepared, upstream, ttftMs: call.elapsedMs(), released: 0 };
      upstream.scope.onAbort = this.#onUpstreamAborted;
    } catch (error) {
      if (this.#state !== starting) return;
      throw this.#fail(error);
    }
  }

  /** The upstream was aborted (deadline, caller) while nobody was reading: end the call now, not at the next read. */
  readonly #onUpstreamAborted = (): void => {
    const state = this.#state;
    if (state.kind !== 'streaming' || state.upstream.pulling) return;
    this.#fail(interruption(this.#stages.redactor, state.call, state.upstream, undefined), true);
  };

  readonly #onEvent = (step: IteratorResult<ResponseStreamEvent>): Step => {
    const state = this.#state;
    if (state.kind !== 'streaming') return finished;
    const { upstream } = state;
    upstream.received();
    if (step.done) return this.#complete(state);
    try {
      upstream.check(step.value);
    } catch (failed) {
      throw this.#fail(interruption(this.#stages.redactor, state.call, upstream, failed));
    }
    upstream.assembler.add(step.value);
    return step;
  };

  readonly #onUpstreamError = (error: unknown): never => {
    const state = this.#state;
    if (state.kind !== 'streaming') throw error;
    state.upstream.received();
    throw this.#fail(interruption(this.#stages.redactor, state.call, state.upstream, error));
  };

  #complete(state: ResponseState & { kind: 'streaming' }): Step {
    const { call, upstream } = state;
    const response = upstream.assembler.response;
    // openai's iterator ends quietly when aborted or cut short: an end is only an end after the last event.
    if (call.scope.abortReason !== undefined || upstream.scope.timedOut || response === undefined) {
      throw this.#fail(interruption(this.#stages.redactor, call, upstream, undefined));
    }
    upstream.finish();
    call.scope.dispose();
    const { live } = upstream;
    this.#stages.responseOwners.remember(response, this.#params, live);
    const result = settle(this.#stages, call, state.held, priceResponse(live.deployment, response, this.#params), state.ttftMs);
    this.#state = { kind: 'settled', outcome: { result }, undelivered: false };
    return finished;
  }

  /** Ends the call with `error`: closes the upstream and settles what was billed. */
  #fail(error: unknown, undelivered = false): unknown {
    const state = this.#state;
    if (state.kind === 'settled') return error;
    failStream(this.#stages, state, error);
    this.#state = { kind: 'settled', outcome: { error }, undelivered };
    return error;
  }
}

/** Stream's iterator factory, called as `this.iterator()`: the stream itself (shared by every stream). */
function iterate(this: TieredResponseStream): AsyncIterator<ResponseStreamEvent> {
  return this[Symbol.asyncIterator]();
}
