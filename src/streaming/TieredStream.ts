import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../client/requests.js';
import { ConfigError } from '../errors/ConfigError.js';
import { streamChat } from './streamChat.js';

type Step = IteratorResult<ChatCompletionChunk, undefined>;
const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A streaming answer: an async iterable of `ChatCompletionChunk` (as `openai` yields them), with
 * `textStream` for the text alone and `final()` for the routing result once the stream has ended.
 * One consumer: iterate it, or its `textStream`, once. Breaking out of the loop closes the upstream
 * connection; `controller.abort()` (as on `openai`'s `Stream`) or `options.signal` aborts it.
 */
export class TieredStream implements AsyncIterable<ChatCompletionChunk> {
  readonly #generator: AsyncGenerator<ChatCompletionChunk, TieredChatResult, undefined>;
  #consumed = false;
  #prefetched: Promise<Step> | undefined;
  #outcome: { readonly result: TieredChatResult } | { readonly error: unknown } | undefined;
  #waiters: { resolve(result: TieredChatResult): void; reject(error: unknown): void }[] = [];
  #call: Call | undefined;
  #controller: AbortController | undefined;

  /** @internal Use `client.tieredChat({ ..., stream: true })` or `client.chat.completions.create()`. */
  constructor(engine: Engine, params: TieredChatParams, options: TieredRequestOptions | undefined) {
    this.#generator = streamChat(engine, params, options, this.#opened);
  }

  /** @internal Starts the call and waits for its first token, so that `create()` rejects as `openai`'s does. */
  async start(): Promise<this> {
    this.#prefetched = this.#step();
    const first = await this.#prefetched;
    if (first.done) this.#prefetched = Promise.resolve(first);
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#consumed)
      throw new ConfigError('stream', 'is already being read', 'Iterate a stream (or its textStream) once; use final() for the result.');
    this.#consumed = true;
    return {
      next: () => {
        const prefetched = this.#prefetched;
        this.#prefetched = undefined;
        return prefetched ?? this.#step();
      },
      return: async () => {
        await this.#generator.return(undefined as never);
        this.#settle({ error: new DOMException('The caller stopped reading the stream.', 'AbortError') });
        return finished;
      },
    };
  }

  /** The text of the first choice, piece by piece, as it arrives. */
  get textStream(): AsyncIterable<string> {
    const chunks = this[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<string, undefined>> => {
          for (;;) {
            const step = await chunks.next();
            if (step.done) return finished;
            const text = step.value.choices[0]?.delta.content;
            if (text) return { done: false, value: text };
          }
        },
        return: async () => {
          await chunks.return?.();
          return finished;
        },
      }),
    };
  }

  /**
   * The routing result once the stream has ended (what `tieredChat()` resolves to without `stream`),
   * with the completion assembled from the chunks. Reads the stream to its end if nobody else does;
   * rejects with the stream's error.
   */
  final(): Promise<TieredChatResult> {
    const outcome = this.#outcome;
    if (outcome !== undefined) return 'result' in outcome ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
    const pending = new Promise<TieredChatResult>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#consumed) void this.#drain();
    return pending;
  }

  /** Aborts the stream, as `openai`'s `Stream.controller` does. */
  get controller(): AbortController {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#call !== undefined) this.#call.scope.follow(this.#controller.signal);
    }
    return this.#controller;
  }

  readonly #opened = (call: Call): void => {
    this.#call = call;
    if (this.#controller !== undefined) call.scope.follow(this.#controller.signal);
  };

  #step(): Promise<Step> {
    return this.#generator.next().then(this.#onStep, this.#onError);
  }

  readonly #onStep = (step: IteratorResult<ChatCompletionChunk, TieredChatResult>): Step => {
    if (!step.done) return step;
    this.#settle({ result: step.value });
    return finished;
  };

  readonly #onError = (error: unknown): never => {
    this.#settle({ error });
    throw error;
  };

  #settle(outcome: { readonly result: TieredChatResult } | { readonly error: unknown }): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
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
