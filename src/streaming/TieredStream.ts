import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { open } from '../client/pipeline.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../client/requests.js';
import { StreamConsumedError } from '../errors/StreamConsumedError.js';
import { tryCandidates } from '../resilience/tryCandidates.js';
import { fitCandidates } from '../routing/fitCandidates.js';
import { route } from '../routing/route.js';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import { replayChunks } from '../cache/replayChunks.js';
import type { Lead } from '../cache/ResponseCache.js';
import { account, accountHit, estimatedUsage, price, reportFailure } from '../telemetry/account.js';
import type { Admission } from '../budget/SpendBudget.js';
import { costOf } from '../catalog/costOf.js';
import { cheapestFor } from '../client/pipeline.js';
import { classifyFailure } from '../resilience/classifyFailure.js';
import { abortError, breakerView, interruption } from './interruption.js';
import { openStream, type UpstreamStream } from './UpstreamStream.js';
import { rememberResponse } from '../client/responses.js';

type Step = IteratorResult<ChatCompletionChunk, undefined>;
type Outcome = { readonly result: TieredChatResult } | { readonly error: unknown };
const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A streaming answer: an async iterable of the upstream `ChatCompletionChunk`s as they arrive, with
 * `textStream` for the text alone and `final()` for the routing result once the stream has ended.
 *
 * It runs the same pipeline as a non-streaming call (see client/pipeline.ts) with the call stage
 * split in two: up to the first token, failures fall back unseen; after it, chunks pass straight
 * through (one promise hop each, no buffering), and a failure throws `StreamInterruptedError`.
 * One consumer: iterate it, or its `textStream`, once. `break` closes the upstream connection;
 * `controller.abort()` (as on `openai`'s `Stream`) or `options.signal` aborts it.
 */
export class TieredStream implements AsyncIterable<ChatCompletionChunk>, AsyncIterator<ChatCompletionChunk, undefined> {
  readonly #engine: Engine;
  readonly #params: TieredChatParams;
  readonly #options: TieredRequestOptions | undefined;
  /** We ask for usage so cost is exact; a caller who did not ask must not see the usage-only chunk. */
  readonly #hideUsage: boolean;
  #call: Call | undefined;
  #upstream: UpstreamStream | undefined;
  #started: Promise<void> | undefined;
  #held = 0;
  #ttftMs = 0;
  #consumed = false;
  #outcome: Outcome | undefined;
  #waiters: { resolve(result: TieredChatResult): void; reject(error: unknown): void }[] = [];
  #controller: AbortController | undefined;
  /** The budget's hold on this call's spend, settled when the stream ends. */
  #admission: Admission | undefined;
  /** This call fetches for identical calls waiting on it (the cache's single flight). */
  #lead: Lead | undefined;
  /** An error that ended the stream while the caller was not reading: thrown at its next read. */
  #undelivered: { readonly error: unknown } | undefined;
  /** A cached answer being replayed, and where the replay stands. */
  #replay: { readonly answer: CachedAnswer; readonly chunks: readonly ChatCompletionChunk[]; next: number } | undefined;

  /** @internal Use `client.tieredChat({ ..., stream: true })` or `client.chat.completions.create()`. */
  constructor(engine: Engine, params: TieredChatParams, options: TieredRequestOptions | undefined) {
    this.#engine = engine;
    this.#params = params;
    this.#options = options;
    this.#hideUsage = params.stream_options?.include_usage !== true;
  }

  /** @internal Runs the call up to its first token, so that `create()` rejects as `openai`'s does. */
  start(): Promise<this> {
    return (this.#started ??= this.#begin()).then(() => this);
  }

  /** The stream itself: iterate it once (`for await`). A second iteration throws `StreamConsumedError`. */
  [Symbol.asyncIterator](): this {
    if (this.#consumed) throw new StreamConsumedError();
    this.#consumed = true;
    return this;
  }

  /** The next chunk; `for await` calls it. Rejects with `StreamInterruptedError` when the stream breaks after its first token. */
  next(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    const undelivered = this.#undelivered;
    if (undelivered !== undefined) {
      this.#undelivered = undefined;
      return Promise.reject(undelivered.error);
    }
    const upstream = this.#upstream;
    if (upstream === undefined) {
      if (this.#outcome !== undefined) return Promise.resolve(finished);
      if (this.#replay !== undefined) return Promise.resolve(this.#replayStep(this.#replay));
      return (this.#started ??= this.#begin()).then(() => this.next());
    }
    if (this.#outcome !== undefined) return Promise.resolve(finished);
    const { held } = upstream;
    while (this.#held < held.length) {
      const chunk = held[this.#held++]!;
      if (!(this.#hideUsage && chunk.choices.length === 0)) return Promise.resolve({ done: false, value: chunk });
    }
    return upstream.next().then(this.#onChunk, this.#onUpstreamError);
  }

  /** The caller stopped reading (`break`, or a throw in its loop): close quietly, billing what was generated. */
  async return(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
    if (this.#outcome === undefined) this.#fail(abortError('The caller stopped reading the stream.'));
    return finished;
  }

  /** The text of the first choice, piece by piece, as it arrives. Reading it consumes the stream. */
  get textStream(): AsyncIterable<string> {
    return {
      [Symbol.asyncIterator]: () => {
        const chunks = this[Symbol.asyncIterator]();
        return {
          next: async (): Promise<IteratorResult<string, undefined>> => {
            for (;;) {
              const step = await chunks.next();
              if (step.done) return finished;
              const text = step.value.choices[0]?.delta.content;
              if (text) return { done: false, value: text };
            }
          },
          return: async (): Promise<IteratorResult<string, undefined>> => {
            await chunks.return();
            return finished;
          },
        };
      },
    };
  }

  /**
   * The routing result once the stream has ended (what `tieredChat()` resolves to without `stream`),
   * its completion assembled from the chunks. Reads the stream to its end if nobody else does;
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
      this.#call?.scope.follow(this.#controller.signal);
    }
    return this.#controller;
  }

  async #begin(): Promise<void> {
    const engine = this.#engine;
    const call = open(engine, this.#params, this.#options);
    this.#call = call;
    if (this.#controller !== undefined) call.scope.follow(this.#controller.signal);
    try {
      if (engine.cache !== undefined && call.cacheKey !== undefined) {
        // A stream leads no one: its reader sets its pace, and identical calls must not wait on it.
        const found = await engine.cache.begin(call, call.cacheKey, false);
        if ('answer' in found) {
          // Nothing runs in the background of a replay: release the caller's signal now.
          call.scope.dispose();
          this.#ttftMs = call.elapsedMs();
          this.#replay = { answer: found.answer, chunks: replayChunks(found.answer.completion, !this.#hideUsage), next: 0 };
          return;
        }
        this.#lead = found.lead;
      }
      let candidates = fitCandidates(engine, call, await route(engine, call));
      if (engine.budget !== undefined) {
        this.#admission = await engine.budget.admit(call, candidates, cheapestFor(engine, call));
        candidates = this.#admission.candidates;
      }
      const upstream = (await tryCandidates(engine, call, candidates, openStream)).value;
      this.#upstream = upstream;
      rememberResponse(this, upstream.response);
      this.#ttftMs = call.elapsedMs();
      upstream.scope.onAbort = this.#onUpstreamAborted;
    } catch (error) {
      throw this.#fail(error);
    }
  }

  #replayStep(replay: { readonly answer: CachedAnswer; readonly chunks: readonly ChatCompletionChunk[]; next: number }): Step {
    if (this.#options?.signal?.aborted === true || this.#controller?.signal.aborted === true) {
      throw this.#fail(abortError('The stream was aborted.', this.#options?.signal?.reason ?? this.#controller?.signal.reason));
    }
    const chunk = replay.chunks[replay.next++];
    if (chunk !== undefined) return { done: false, value: chunk };
    this.#settle({ result: accountHit(this.#engine, this.#call!, replay.answer, this.#ttftMs) });
    return finished;
  }

  /** The upstream was aborted (deadline, caller) while nobody was reading: end the call now, not at the next read. */
  readonly #onUpstreamAborted = (): void => {
    const upstream = this.#upstream;
    if (upstream === undefined || upstream.pulling || this.#outcome !== undefined) return;
    const error = this.#fail(interruption(this.#engine, this.#call!, upstream, undefined));
    this.#undelivered = { error };
  };

  readonly #onChunk = (step: IteratorResult<ChatCompletionChunk>): Step | Promise<Step> => {
    const upstream = this.#upstream!;
    upstream.received();
    if (step.done) return this.#complete(upstream);
    try {
      upstream.check(step.value);
    } catch (malformed) {
      throw this.#fail(interruption(this.#engine, this.#call!, upstream, malformed));
    }
    upstream.assembler.add(step.value);
    if (this.#hideUsage && step.value.choices.length === 0) return this.next();
    return step;
  };

  readonly #onUpstreamError = (error: unknown): never => {
    this.#upstream?.received();
    throw this.#fail(interruption(this.#engine, this.#call!, this.#upstream!, error));
  };

  #complete(upstream: UpstreamStream): Step {
    const call = this.#call!;
    // openai's iterator ends quietly when aborted or cut short: an end is only an end with a finish reason.
    if (call.scope.abortReason !== undefined || upstream.scope.timedOut || !upstream.assembler.finished) {
      throw this.#fail(interruption(this.#engine, call, upstream, undefined));
    }
    upstream.finish();
    call.scope.dispose();
    const answer = price(call, upstream.live, upstream.assembler.completion());
    const result = account(this.#engine, call, answer, this.#ttftMs);
    // openai's iterator cannot tell a [DONE] from a connection that closed after the finish chunk: a
    // stream that owes us usage and did not deliver it may have been cut, so it is not stored.
    // Written behind: the reader has had every chunk, and close() waits for the write.
    void this.#lead?.settle(answer, upstream.assembler.usage !== undefined || upstream.live.deployment.model.streamUsage === false);
    this.#admission?.settle(result.costUsd);
    this.#settle({ result });
    return finished;
  }

  /** Ends the call with `error`: closes the upstream, reports it with what was billed, and settles `final()`. */
  #fail(error: unknown): unknown {
    if (this.#outcome !== undefined) return error;
    this.#lead?.fail(error);
    // What an interrupted stream generated was billed: the budget counts it (estimated).
    this.#admission?.settle(
      this.#upstream === undefined || this.#call === undefined
        ? 0
        : costOf(estimatedUsage(this.#call, this.#upstream.assembler.text), this.#upstream.live.deployment.model),
    );
    const upstream = this.#upstream;
    const call = this.#call;
    if (upstream !== undefined && call !== undefined) {
      const cause = breakerView(error);
      upstream.abandon(cause);
      markInterrupted(call, upstream, cause);
    }
    if (call !== undefined) {
      call.scope.dispose();
      reportFailure(this.#engine, call, error, upstream && { model: upstream.live.deployment.model, text: upstream.assembler.text });
    }
    this.#settle({ error });
    return error;
  }

  #settle(outcome: Outcome): void {
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

/** The audit trail said 'ok' at the first token; the stream failed after it: say so. */
function markInterrupted(call: Call, upstream: UpstreamStream, cause: unknown): void {
  const { model, provider } = upstream.live.deployment;
  for (let i = call.attempts.length - 1; i >= 0; i--) {
    const attempt = call.attempts[i]!;
    if (attempt.outcome !== 'ok' || attempt.model !== model.id || attempt.provider !== provider) continue;
    call.attempts[i] = { ...attempt, outcome: 'error', errorCode: classifyFailure(cause).code, error: cause };
    return;
  }
}
