import { Stream } from 'openai/core/streaming';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { RequestKind } from '../call/RequestKind.js';
import { StreamConsumedError } from '../errors/StreamConsumedError.js';
import type { Send } from '../resilience/DeploymentAttempts.js';
import { interruption, streamAbortError } from '../streaming/interruption.js';
import type { StreamAssembler, UpstreamStream } from '../streaming/UpstreamStream.js';
import { openCall } from './openCall.js';
import { prepare, settleHit } from './pipeline.js';
import { rememberRequestId, rememberResponse } from './responses.js';
import { failStream, release, type Outcome, type State } from './streamState.js';
import type { Stages } from './Stages.js';

type Step<Item> = IteratorResult<Item, undefined>;
const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * @internal The state machine of a routed stream of one kind (chat's `TieredStream`, the Responses
 * API's `TieredResponseStream`), an `openai` `Stream` of the upstream items.
 *
 * It runs the same pipeline as a non-streaming call (client/pipeline.ts) with the send stage split
 * in two: up to the first token, failures fall back unseen; after it, items pass straight through
 * (one promise hop each, no buffering), and a failure throws `StreamInterruptedError`. A kind gives
 * its send stage, its end's settle stage, and, where it needs them, which items the caller does
 * not see, what a cache hit replays, and who waits for the end.
 */
export abstract class RoutedStream<Item, U extends UpstreamStream<Item, StreamAssembler<Item>>>
  extends Stream<Item>
  implements AsyncIterator<Item, undefined>
{
  /** @internal */
  protected readonly stages: Stages;
  /** @internal */
  protected readonly options: TieredRequestOptions | undefined;
  readonly #params: TieredChatParams;
  readonly #kind: RequestKind | undefined;
  #state: State<U, Item> = { kind: 'idle' };
  #started: Promise<void> | undefined;
  #consumed = false;

  /** @internal */
  constructor(stages: Stages, params: TieredChatParams, options: TieredRequestOptions | undefined, kind?: RequestKind) {
    // openai's Stream: its tee() reads this stream through `iterate`, its controller aborts the call.
    super(iterate, new AbortController());
    this.stages = stages;
    this.#params = params;
    this.options = options;
    this.#kind = kind;
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

  /** The next chunk (or event); `for await` calls it. Rejects with `StreamInterruptedError` when the stream breaks after its first one. */
  next(): Promise<IteratorResult<Item, undefined>> {
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
          const item = held[state.released++]!;
          if (!this.hides(item)) return Promise.resolve({ done: false, value: item });
        }
        return state.upstream.next().then(this.#onItem, this.#onUpstreamError);
      }
      default:
        return (this.#started ??= this.#begin()).then(() => this.next());
    }
  }

  /** The caller stopped reading (`break`, or a throw in its loop): close quietly, billing what was generated. */
  async return(): Promise<IteratorResult<Item, undefined>> {
    if (this.#state.kind !== 'settled') this.#fail(streamAbortError('The caller stopped reading the stream.'));
    return finished;
  }

  /** @internal The send stage of this kind: resolves at a deployment's first token. */
  protected abstract send(): Send<U>;

  /** @internal The settle stage of a stream read to its end (its assembler `finished`): priced, and settled as a call is. */
  protected abstract settleEnd(state: State<U, Item> & { kind: 'streaming' }): TieredChatResult;

  /** @internal True for an item the caller does not see (it still counts, and feeds the assembler). */
  protected hides(_item: Item): boolean {
    return false;
  }

  /** @internal The items that replay a cached answer (a kind that is never cached has none). */
  protected replay(_answer: CachedAnswer): readonly Item[] {
    return [];
  }

  /** @internal The stream ended, with `outcome`. */
  protected settled(_outcome: Outcome): void {}

  /** @internal How it ended, once it has. */
  protected get outcome(): Outcome | undefined {
    const state = this.#state;
    return state.kind === 'settled' ? state.outcome : undefined;
  }

  /** @internal True once something iterates it. */
  protected get consumed(): boolean {
    return this.#consumed;
  }

  async #begin(): Promise<void> {
    const stages = this.stages;
    const starting: State<U, Item> & { kind: 'starting' } = { kind: 'starting' };
    this.#state = starting;
    try {
      const call = openCall(stages, this.#params, this.options, this.#kind);
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
        const items = this.replay(prepared.hit);
        this.#state = { kind: 'replaying', call, answer: prepared.hit, items, next: 0, ttftMs: call.elapsedMs() };
        return;
      }
      starting.held = prepared;
      const { live, value: upstream } = await stages.fallback.run(call, prepared.candidates, this.send());
      // At its first token the stream has its deployment: the conversation's next turn goes there first.
      stages.affinity?.remember(call.conversation, live, call.autoTier);
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

  #replayStep(state: State<U, Item> & { kind: 'replaying' }): Step<Item> {
    const signal = this.options?.signal;
    if (signal?.aborted === true || this.controller.signal.aborted) {
      throw this.#fail(streamAbortError('The stream was aborted.', signal?.reason ?? this.controller.signal.reason));
    }
    const item = state.items[state.next++];
    if (item !== undefined) return { done: false, value: item };
    this.#settle({ result: settleHit(this.stages, state.call, state.answer, state.ttftMs) });
    return finished;
  }

  /** The upstream was aborted (deadline, caller) while nobody was reading: end the call now, not at the next read. */
  readonly #onUpstreamAborted = (): void => {
    const state = this.#state;
    if (state.kind !== 'streaming' || state.upstream.pulling) return;
    this.#fail(interruption(this.stages.redactor, state.call, state.upstream, undefined), true);
  };

  readonly #onItem = (step: IteratorResult<Item>): Step<Item> | Promise<Step<Item>> => {
    const state = this.#state;
    if (state.kind !== 'streaming') return finished;
    const { upstream } = state;
    upstream.received();
    if (step.done) return this.#complete(state);
    try {
      upstream.check(step.value);
    } catch (malformed) {
      throw this.#fail(interruption(this.stages.redactor, state.call, upstream, malformed));
    }
    upstream.assembler.add(step.value);
    if (this.hides(step.value)) return this.next();
    return step;
  };

  readonly #onUpstreamError = (error: unknown): never => {
    const state = this.#state;
    if (state.kind !== 'streaming') throw error;
    state.upstream.received();
    throw this.#fail(interruption(this.stages.redactor, state.call, state.upstream, error));
  };

  #complete(state: State<U, Item> & { kind: 'streaming' }): Step<Item> {
    const { call, upstream } = state;
    // openai's iterator ends quietly when aborted or cut short: an end is only an end once an item
    // said so (a finish reason, `response.completed`).
    if (call.scope.abortReason !== undefined || upstream.scope.timedOut || !upstream.assembler.finished) {
      throw this.#fail(interruption(this.stages.redactor, call, upstream, undefined));
    }
    this.#settle({ result: this.settleEnd(state) });
    return finished;
  }

  /** Ends the call with `error`: closes the upstream, settles what was billed, and tells `settled`. */
  #fail(error: unknown, undelivered = false): unknown {
    const state = this.#state;
    if (state.kind === 'settled') return error;
    failStream(this.stages, state, error);
    this.#settle({ error }, undelivered);
    return error;
  }

  #settle(outcome: Outcome, undelivered = false): void {
    this.#state = { kind: 'settled', outcome, undelivered };
    this.settled(outcome);
  }
}

/** Stream's iterator factory, called as `this.iterator()`: the stream itself (shared by every stream). */
function iterate<Item>(this: RoutedStream<Item, UpstreamStream<Item, StreamAssembler<Item>>>): AsyncIterator<Item> {
  return this[Symbol.asyncIterator]();
}
