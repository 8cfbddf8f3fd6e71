import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { Call } from '../call/Call.js';
import { AttemptScope } from '../call/AttemptScope.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { attemptOptions } from '../catalog/ProviderClient.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { CompletionAssembler } from './CompletionAssembler.js';
import { StreamEndedEarlyError } from './StreamEndedEarlyError.js';
import { chunkProblem } from '../resilience/answerShape.js';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';

const noop = (): void => {};

/**
 * One deployment's stream, from the request to its end. Up to the first token it is an attempt like any
 * other (retried, breaker-counted, fallen back from); the caller sees nothing of it until then.
 * Its breaker call spans the whole stream, so a failure after the first token counts too.
 */
export class UpstreamStream {
  /** Chunks read up to and including the first token, not yet given to the caller. */
  readonly held: ChatCompletionChunk[] = [];
  readonly assembler: CompletionAssembler;
  readonly scope: AttemptScope;
  /** The HTTP response of the stream, once its headers came. */
  response: Response | undefined;
  private upstream: AsyncIterator<ChatCompletionChunk> | undefined;
  private settle: ((error?: unknown) => void) | undefined;

  constructor(
    private readonly redactor: Redactor,
    private readonly call: Call,
    readonly live: LiveDeployment,
  ) {
    this.scope = new AttemptScope(call.scope, call.firstTokenMs);
    this.assembler = new CompletionAssembler(choicesOf(call));
  }

  /** Runs inside the breaker: resolves `started` at the first token, then settles when the stream ends. */
  async run(started: (stream: UpstreamStream) => void): Promise<void> {
    const { call, live, scope } = this;
    try {
      const body = { ...call.params, model: live.deployment.model.id, stream: true } as ChatCompletionCreateParamsStreaming;
      // A provider that cannot report stream usage may refuse stream_options altogether.
      if (live.deployment.model.streamUsage === false) delete body.stream_options;
      else body.stream_options = { ...call.params.stream_options, include_usage: true };
      const { data: stream, response } = await live.client.chat.completions
        .create(body, attemptOptions(live.client, call.upstream, scope))
        .withResponse();
      this.response = response;
      this.upstream = stream[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.upstream.next();
        if (next.done) throw this.endedEarly();
        this.check(next.value);
        this.assembler.add(next.value);
        this.held.push(next.value);
        if (isToken(next.value)) break;
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

  /** The next chunk after the first token; the idle limit runs while we wait for it. */
  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    this.scope.beginWait();
    return this.upstream!.next();
  }

  /**
   * Throws `InvalidResponseError` for a chunk the stream cannot use (no `choices` array, a choice
   * index the request did not ask for, text that is not text): read before anything else reads it.
   */
  check(chunk: unknown): void {
    const problem = chunkProblem(chunk, this.assembler.expectedChoices);
    if (problem !== undefined) throw new InvalidResponseError(`The provider streamed a malformed chunk: ${problem}.`);
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

  private settleWith(error: unknown): void {
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
 * The call stage of a stream (a `Send` for the fallback stage): resolves at the first token. Made
 * once per client: the redactor is the client's.
 */
export function streamSender(redactor: Redactor): (call: Call, live: LiveDeployment) => Promise<UpstreamStream> {
  return (call, live) =>
    new Promise((resolve, reject) => {
      const stream = new UpstreamStream(redactor, call, live);
      // Before the first token a rejection fails this attempt; after it, `reject` is a no-op and the
      // breaker alone hears how the stream ended.
      live.fire(() => stream.run(resolve)).then(noop, reject);
    });
}

/** How many choices the request asked for (`n`); what the provider sends beyond is malformed. */
function choicesOf(call: Call): number {
  const { n } = call.params;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/** A chunk that carries part of the answer (or its end), as opposed to the role-only preamble. */
function isToken(chunk: ChatCompletionChunk): boolean {
  if (chunk.choices.length === 0) return chunk.usage !== undefined && chunk.usage !== null;
  for (const { delta, finish_reason } of chunk.choices) {
    if (finish_reason || delta.content || delta.refusal || delta.tool_calls) return true;
  }
  return false;
}
