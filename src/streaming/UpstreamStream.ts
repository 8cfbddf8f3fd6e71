import { APIConnectionTimeoutError, APIUserAbortError, type APIPromise } from 'openai';
import type OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Call } from '../call/Call.js';
import { AttemptScope } from '../call/AttemptScope.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { attemptOptions } from '../catalog/ProviderClient.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { DeploymentRate, SlotHolder } from '../limits/DeploymentRate.js';
import { noteRateLimitHeaders } from '../limits/rateLimitHeaders.js';
import type { CompletionAssembler } from './CompletionAssembler.js';
import { StreamEndedEarlyError } from './StreamEndedEarlyError.js';

/** What a stream's items make up as they pass: the text so far (billed if it breaks), and whether it ended complete. */
export interface StreamAssembler<T> {
  add(item: T): void;
  readonly text: string;
  /** True once an item said the answer is complete (a finish reason, `response.completed`). */
  readonly finished: boolean;
}

/** A chat stream's assembler (the default of {@link UpstreamStream}); `T` is only ever ChatCompletionChunk there. */
type ChatAssembler<T> = CompletionAssembler & StreamAssembler<T>;

/** A stream of any kind, for what only reads its deployment, scope and text (interruption.ts). */
export type SomeUpstreamStream = UpstreamStream<unknown, StreamAssembler<unknown>>;

/** How one kind's stream is read (chat's: streaming/chatStreamReading.ts). One frozen object per kind. */
export interface StreamReading<T, A extends StreamAssembler<T>> {
  /** The upstream request, by the deployment's own `openai` client. */
  open(call: Call, live: LiveDeployment, options: OpenAI.RequestOptions): APIPromise<AsyncIterable<T>>;
  assembler(call: Call): A;
  /** Throws `InvalidResponseError` (or the failure it reports) for an item the stream cannot use, before anything reads it. */
  check(item: T, assembler: A): void;
  /** True for the item that ends the wait for the first token (the caller sees nothing before it). */
  isToken(item: T): boolean;
}

const noop = (): void => {};

/**
 * One deployment's stream, from the request to its end. Up to the first token it is an attempt like any
 * other (retried, breaker-counted, fallen back from); the caller sees nothing of it until then.
 * Its breaker call spans the whole stream, so a failure after the first token counts too.
 */
export class UpstreamStream<T = ChatCompletionChunk, A extends StreamAssembler<T> = ChatAssembler<T>> implements SlotHolder {
  /** Items read up to and including the first token, not yet given to the caller. */
  readonly held: T[] = [];
  readonly assembler: A;
  readonly scope: AttemptScope;
  /** The HTTP response of the stream, once its headers came. */
  response: Response | undefined;
  private upstream: AsyncIterator<T> | undefined;
  private settle: ((error?: unknown) => void) | undefined;
  /** The deployment's concurrency slot, held until the stream ends. */
  private slot: DeploymentRate | undefined;
  private ended = false;

  constructor(
    private readonly redactor: Redactor,
    private readonly call: Call,
    readonly live: LiveDeployment,
    private readonly reading: StreamReading<T, A>,
  ) {
    this.scope = new AttemptScope(call.scope, call.firstTokenMs);
    this.assembler = reading.assembler(call);
  }

  /** Runs inside the breaker: resolves `started` at the first token, then settles when the stream ends. */
  async run(started: (stream: UpstreamStream<T, A>) => void): Promise<void> {
    const { call, live, scope } = this;
    try {
      const { data: stream, response } = await this.reading
        .open(call, live, attemptOptions(live.client, call.upstream, scope))
        .withResponse();
      this.response = response;
      noteRateLimitHeaders(live, response.headers);
      this.upstream = stream[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.upstream.next();
        if (next.done) throw this.endedEarly();
        this.check(next.value);
        this.assembler.add(next.value);
        this.held.push(next.value);
        if (this.reading.isToken(next.value)) break;
      }
    } catch (error) {
      scope.cancel();
      // Cut off by us (the caller, the deadline, the time limit): say which, whatever openai made of
      // the abort, so that a caller's abort never counts against the breaker.
      if (call.scope.abortReason !== undefined || scope.timedOut) throw this.endedEarly();
      throw this.redactor.error(error);
    }
    // From here on the time limit is the silence between two chunks, and the caller sets the pace.
    scope.setLimit(call.idleMs);
    scope.endWait();
    const ended = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    started(this);
    return ended;
  }

  /** The next item after the first token; the idle limit runs while we wait for it. */
  next(): Promise<IteratorResult<T>> {
    this.scope.beginWait();
    return this.upstream!.next();
  }

  /** Throws for an item the stream cannot use (see {@link StreamReading.check}): read before anything else reads it. */
  check(item: T): void {
    this.reading.check(item, this.assembler);
  }

  /** A chunk (or the end) arrived: until the caller asks for the next one, silence is not the provider's. */
  received(): void {
    this.scope.endWait();
  }

  /** True while the caller waits on `next()`. */
  get pulling(): boolean {
    return this.scope.waiting;
  }

  /** The stream ended complete: releases its timer and tells the breaker it went well. */
  finish(): void {
    this.scope.dispose();
    this.settleWith(undefined);
  }

  /**
   * The stream is given up (a failure, an abort, a caller who stopped reading): closes the upstream
   * connection at once and tells the breaker `error` (which it ignores unless it is transient).
   */
  abandon(error: unknown): void {
    this.scope.cancel();
    this.settleWith(error);
  }

  /** Keeps the deployment's concurrency slot until the stream ends (see `limits.maxConcurrent`). */
  holdSlot(rate: DeploymentRate): void {
    if (this.ended) rate.release();
    else this.slot = rate;
  }

  private settleWith(error: unknown): void {
    this.ended = true;
    this.slot?.release();
    this.slot = undefined;
    const settle = this.settle;
    this.settle = undefined;
    settle?.(error);
  }

  private endedEarly(): Error {
    if (this.call.scope.abortReason === 'deadline')
      return new APIConnectionTimeoutError({ message: 'The call deadline passed (timeouts.deadlineMs).' });
    if (this.call.scope.abortReason !== undefined) return new APIUserAbortError();
    if (this.scope.timedOut)
      return new APIConnectionTimeoutError({ message: `No first token within ${this.call.firstTokenMs} ms (timeouts.firstTokenMs).` });
    return new StreamEndedEarlyError('The stream ended before its first token.');
  }
}

/**
 * The call stage of a stream of one kind (a `Send` for the fallback stage): resolves at the first
 * token. Made once per client and kind: the redactor is the client's.
 */
export function streamSender<T, A extends StreamAssembler<T>>(
  redactor: Redactor,
  reading: StreamReading<T, A>,
): (call: Call, live: LiveDeployment) => Promise<UpstreamStream<T, A>> {
  return (call, live) =>
    new Promise((resolve, reject) => {
      const stream = new UpstreamStream(redactor, call, live, reading);
      // Before the first token a rejection fails this attempt; after it, `reject` is a no-op and the
      // breaker alone hears how the stream ended.
      live.fire(() => stream.run(resolve)).then(noop, reject);
    });
}
