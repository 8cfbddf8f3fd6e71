import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import { replayChunks } from '../cache/replayChunks.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { Send } from '../resilience/DeploymentAttempts.js';
import { textStream } from '../streaming/textStream.js';
import type { UpstreamStream } from '../streaming/UpstreamStream.js';
import { chatKind } from './kinds/chatKind.js';
import { RoutedStream } from './RoutedStream.js';
import { completeStream, type Outcome, type State } from './streamState.js';
import type { Stages } from './Stages.js';

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
export class TieredStream extends RoutedStream<ChatCompletionChunk, UpstreamStream> {
  /** We ask for usage so cost is exact; a caller who did not ask must not see the usage-only chunk. */
  readonly #hideUsage: boolean;
  /** Those awaiting `final()`: made by the first of them, so a stream nobody awaits allocates none. */
  #waiters: { resolve(result: TieredChatResult): void; reject(error: unknown): void }[] | undefined;

  /** @internal Use `client.tieredChat({ ..., stream: true })` or `client.chat.completions.create()`. */
  constructor(stages: Stages, params: TieredChatParams, options: TieredRequestOptions | undefined) {
    super(stages, params, options, chatKind);
    this.#hideUsage = params.stream_options?.include_usage !== true;
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
    const outcome = this.outcome;
    if (outcome !== undefined) return 'result' in outcome ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
    const pending = new Promise<TieredChatResult>((resolve, reject) => (this.#waiters ??= []).push({ resolve, reject }));
    if (!this.consumed) void this.#drain();
    return pending;
  }

  /** @internal */
  protected override send(): Send<UpstreamStream> {
    return this.stages.sendStream;
  }

  /** @internal */
  protected override settleEnd(state: State & { kind: 'streaming' }): TieredChatResult {
    return completeStream(this.stages, state);
  }

  /** @internal */
  protected override hides(chunk: ChatCompletionChunk): boolean {
    return this.#hideUsage && chunk.choices.length === 0;
  }

  /** @internal */
  protected override replay(answer: CachedAnswer): readonly ChatCompletionChunk[] {
    return replayChunks(answer.completion, !this.#hideUsage);
  }

  /** @internal */
  protected override settled(outcome: Outcome): void {
    const waiters = this.#waiters;
    if (waiters === undefined) return;
    this.#waiters = undefined;
    for (const waiter of waiters) {
      if ('result' in outcome) waiter.resolve(outcome.result);
      else waiter.reject(outcome.error);
    }
  }

  async #drain(): Promise<void> {
    try {
      for await (const _ of this);
    } catch {
      // final() rejects with it.
    }
  }
}
