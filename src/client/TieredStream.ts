import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { Stream } from 'openai/core/streaming';
import { replayChunks } from '../cache/replayChunks.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import { StreamConsumedError } from '../errors/StreamConsumedError.js';
import { interruption, streamAbortError } from '../streaming/interruption.js';
import { textStream } from '../streaming/textStream.js';
import { openCall } from './openCall.js';
import { prepare, settleHit } from './pipeline.js';
import { completeStream, failStream, release, type Outcome, type State } from './streamState.js';
import { rememberRequestId, rememberResponse } from './responses.js';
import type { Stages } from './Stages.js';

type Step = IteratorResult<ChatCompletionChunk, undefined>;
const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A streaming answer: an async iterable of the upstream `ChatCompletionChunk`s as they arrive, with
 * `textStream` for the text alone and `final()` for the routing result once the stream has ended.
 *
 * It runs the same pipeline as a non-streaming call (client/pipeline.ts) with the send stage split
 * in two: up to the first token, failures fall back unseen; after it, chunks pass straight through
 * (one promise hop each, no buffering), and a failure throws `StreamInterruptedError`. One consumer:
 * iterate it, or its `textStream`, once. `break` closes the upstream connection;
 * `controller.abort()` (as on `openai`'s `Stream`) or `options.signal` aborts it.
 */
export class TieredStream extends Stream<ChatCompletionChunk> implements AsyncIterator<ChatCompletionChunk, undefined> {
  readonly #stages: Stages;
  readonly #params: TieredChatParams;
  readonly #options: TieredRequestOptions | undefined;
  /** We ask for usage so cost is exact; a caller who did not ask must not see the usage-only chunk. */
  readonly #hideUsage: boolean;
  #state: State = { kind: 'idle' };
  #started: Promise<void> | undefined;
  #consumed = false;
  #waiters: { resolve(result: TieredChatResult): void; reject(error: unknown): void }[] = [];

  /** @internal Use `client.tieredChat({ ..., stream: true })` or `client.chat.completions.create()`. */
  constructor(stages: Stages, params: TieredChatParams, options: TieredRequestOptions | undefined) {
    // openai's Stream: its tee() reads this stream through `iterate`, its controller aborts the call.
    super(iterate, new AbortController());
    this.#stages = stages;
    this.#params = params;
    this.#options = options;
    this.#hideUsage = params.stream_options?.include_usage !== true;
  }

  /** @internal Runs the call up to its first token, so that `create()` rejects as `openai`'s does. */
  start(): Promise<this> {
    return (this.#started ??= this.#begin()).then(() => this);
  }

  /** The stream itself: iterate it once (`for await`). A second iteration throws `StreamConsumedError`. */
  override [Symbol.asyncIterator](): this {
    if (this.#consumed) throw new StreamConsumedError();
    this.#consumed = true;
    return this;
  }

  /** The next chunk; `for await` calls it. Rejects with `StreamInterruptedError` when the stream breaks after its first token. */
  next(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    const state = this.#state;
    switch (state.kind) {
      case 'settled':
        if (!state.undelivered) return Promise.resolve(finished);
        state.undelivered = false;
        return Promise.reject('error' in state.outcome ? state.outcome.error : undefined);
      case 'replaying':
        try {
          return Promise.resolve(this.#replayStep(state));
        } catch (error) {
          return Promise.reject(error);
        }
      case 'streaming': {
        const { held } = state.upstream;
        while (state.released < held.length) {
          const chunk = held[state.released++]!;
          if (!(this.#hideUsage && chunk.choices.length === 0)) return Promise.resolve({ done: false, value: chunk });
        }
        return state.upstream.next().then(this.#onChunk, this.#onUpstreamError);
      }
      default:
        return (this.#started ??= this.#begin()).then(() => this.next());
    }
  }

  /** The caller stopped reading (`break`, or a throw in its loop): close quietly, billing what was generated. */
  async return(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    if (this.#state.kind !== 'settled') this.#fail(streamAbortError('The caller stopped reading the stream.'));
    return finished;
  }

  /** The text of the first choice, piece by piece, as it arrives. Reading it consumes the stream. */
  get textStream(): AsyncIterable<string> {
    return textStream(() => this[Symbol.asyncIterator]());
  }

  /**
   * The routing result once the stream has ended (what `tieredChat()` resolves to without `stream`),
   * its completion assembled from the chunks. Reads the stream to its end if nobody else does;
   * rejects with the stream's error.
   */
  final(): Promise<TieredChatResult> {
    const state = this.#state;
    if (state.kind === 'settled')
      return 'result' in state.outcome ? Promise.resolve(state.outcome.result) : Promise.reject(state.outcome.error);
    const pending = new Promise<TieredChatResult>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#consumed) void this.#drain();
    return pending;
  }

  async #begin(): Promise<void> {
    const stages = this.#stages;
    const starting: State & { kind: 'starting' } = { kind: 'starting' };
    this.#state = starting;
    try {
      const call = openCall(stages, this.#params, this.#options);
      starting.call = call;
      rememberRequestId(this, call.requestId);
      call.scope.follow(this.controller.signal);
      const preparing = prepare(stages, call, false);
      const prepared = preparing instanceof Promise ? await preparing : preparing;
      // Ended meanwhile (return(), an abort): #fail settled it, and the duties taken since are released.
      if (this.#state !== starting) return prepared.hit === undefined ? release(prepared, this.#state) : undefined;
      if (prepared.hit !== undefined) {
        // Nothing runs in the background of a replay: release the caller's signal now.
        call.scope.dispose();
        const chunks = replayChunks(prepared.hit.completion, !this.#hideUsage);
        this.#state = { kind: 'replaying', call, answer: prepared.hit, chunks, next: 0, ttftMs: call.elapsedMs() };
        return;
      }
      starting.held = prepared;
      const upstream = (await stages.fallback.run(call, prepared.candidates, stages.sendStream)).value;
      if (this.#state !== starting) return upstream.abandon(undefined);
      rememberResponse(this, upstream.response);
      this.#state = { kind: 'streaming', call, held: prepared, upstream, ttftMs: call.elapsedMs(), released: 0 };
      upstream.scope.onAbort = this.#onUpstreamAborted;
    } catch (error) {
      // Ended meanwhile (return(), an abort): already settled; a pending read then finds it ended.
      if (this.#state !== starting) return;
      throw this.#fail(error);
    }
  }

  #replayStep(state: State & { kind: 'replaying' }): Step {
    if (this.#options?.signal?.aborted === true || this.controller.signal.aborted) {
      throw this.#fail(streamAbortError('The stream was aborted.', this.#options?.signal?.reason ?? this.controller.signal.reason));
    }
    const chunk = state.chunks[state.next++];
    if (chunk !== undefined) return { done: false, value: chunk };
    this.#settle({ result: settleHit(this.#stages, state.call, state.answer, state.ttftMs) });
    return finished;
  }

  /** The upstream was aborted (deadline, caller) while nobody was reading: end the call now, not at the next read. */
  readonly #onUpstreamAborted = (): void => {
    const state = this.#state;
    if (state.kind !== 'streaming' || state.upstream.pulling) return;
    this.#fail(interruption(this.#stages.redactor, state.call, state.upstream, undefined), true);
  };

  readonly #onChunk = (step: IteratorResult<ChatCompletionChunk>): Step | Promise<Step> => {
    const state = this.#state;
    if (state.kind !== 'streaming') return finished;
    const { upstream } = state;
    upstream.received();
    if (step.done) return this.#complete(state);
    try {
      upstream.check(step.value);
    } catch (malformed) {
      throw this.#fail(interruption(this.#stages.redactor, state.call, upstream, malformed));
    }
    upstream.assembler.add(step.value);
    if (this.#hideUsage && step.value.choices.length === 0) return this.next();
    return step;
  };

  readonly #onUpstreamError = (error: unknown): never => {
    const state = this.#state;
    if (state.kind !== 'streaming') throw error;
    state.upstream.received();
    throw this.#fail(interruption(this.#stages.redactor, state.call, state.upstream, error));
  };

  #complete(state: State & { kind: 'streaming' }): Step {
    const { call, upstream } = state;
    // openai's iterator ends quietly when aborted or cut short: an end is only an end with a finish reason.
    if (call.scope.abortReason !== undefined || upstream.scope.timedOut || !upstream.assembler.finished) {
      throw this.#fail(interruption(this.#stages.redactor, call, upstream, undefined));
    }
    this.#settle({ result: completeStream(this.#stages, state) });
    return finished;
  }

  /** Ends the call with `error`: closes the upstream, settles what was billed, and settles `final()`. */
  #fail(error: unknown, undelivered = false): unknown {
    const state = this.#state;
    if (state.kind === 'settled') return error;
    failStream(this.#stages, state, error);
    this.#settle({ error }, undelivered);
    return error;
  }

  #settle(outcome: Outcome, undelivered = false): void {
    this.#state = { kind: 'settled', outcome, undelivered };
    for (const waiter of this.#waiters) {
      if ('result' in outcome) waiter.resolve(outcome.result);
      else waiter.reject(outcome.error);
    }
    this.#waiters = [];
  }

  async #drain(): Promise<void> {
    try {
      for await (const _ of this);
    } catch {
      // final() rejects with it.
    }
  }
}

/** Stream's iterator factory, called as `this.iterator()`: the stream itself (shared by every stream). */
function iterate(this: TieredStream): AsyncIterator<ChatCompletionChunk> {
  return this[Symbol.asyncIterator]();
}
