import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import { open } from '../client/pipeline.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../client/requests.js';
import { StreamInterruptedError } from '../errors/StreamInterruptedError.js';
import { tryCandidates } from '../resilience/tryCandidates.js';
import { route } from '../routing/route.js';
import { account, reportFailure } from '../telemetry/account.js';
import { StreamEndedEarlyError } from './StreamEndedEarlyError.js';
import { openStream, type UpstreamStream } from './UpstreamStream.js';

/** Called once the call exists, so that a `TieredStream` can link its `controller` to it. */
export type OnOpen = (call: Call) => void;

/**
 * A streaming call through the pipeline (see client/pipeline.ts): the same stages, with the call
 * stage split in two. Up to the first token, failures fall back like any other; after it, chunks
 * pass straight through, and a failure throws `StreamInterruptedError` with the text so far.
 * Returning early (the caller's `break`) closes the upstream connection.
 */
export async function* streamChat(
  engine: Engine,
  params: TieredChatParams,
  options: TieredRequestOptions | undefined,
  onOpen?: OnOpen,
): AsyncGenerator<ChatCompletionChunk, TieredChatResult, undefined> {
  const call = open(engine, params, options);
  onOpen?.(call);
  // We ask for usage so cost is exact; a caller who did not ask must not see the usage-only chunk.
  const hideUsageChunk = params.stream_options?.include_usage !== true;
  let stream: UpstreamStream | undefined;
  let settled = false;
  try {
    const candidates = await route(engine, call);
    stream = (await tryCandidates(engine, call, candidates, openStream)).value;
    const ttftMs = call.elapsedMs();
    for (const chunk of stream.held) if (!(hideUsageChunk && chunk.choices.length === 0)) yield chunk;
    for (;;) {
      let next: IteratorResult<ChatCompletionChunk>;
      try {
        next = await stream.next();
      } catch (error) {
        throw interruption(engine, call, stream, error);
      }
      if (next.done) break;
      stream.touch();
      stream.assembler.add(next.value);
      if (!(hideUsageChunk && next.value.choices.length === 0)) yield next.value;
    }
    // openai's iterator ends quietly when aborted or cut short: an end is only an end with a finish reason.
    if (call.scope.signal.aborted || stream.scope.timedOut || !stream.assembler.finished)
      throw interruption(engine, call, stream, undefined);
    stream.close();
    settled = true;
    return account(engine, call, stream.live, stream.assembler.completion(), ttftMs);
  } catch (error) {
    settled = true;
    stream?.close(breakerView(error));
    reportFailure(engine, call, error, stream && { model: stream.live.deployment.model, text: stream.assembler.text });
    throw error;
  } finally {
    if (!settled) {
      // The caller stopped reading (break, or a throw in its loop): close quietly, bill what was generated.
      stream?.close();
      reportFailure(
        engine,
        call,
        abortError('The caller stopped reading the stream.'),
        stream && { model: stream.live.deployment.model, text: stream.assembler.text },
      );
    }
    call.scope.dispose();
  }
}

/** The error a mid-stream failure surfaces as. */
function interruption(engine: Engine, call: Call, stream: UpstreamStream, cause: unknown): Error {
  const { model, provider } = stream.live.deployment;
  if (call.scope.abortReason === 'caller') return abortError('The stream was aborted.', call.scope.signal.reason);
  let reason: string;
  if (call.scope.abortReason === 'deadline') {
    reason = 'the call deadline passed (timeouts.deadlineMs)';
    cause ??= new Error(reason);
  } else if (stream.scope.timedOut) {
    reason = `no chunk for ${call.idleMs} ms (timeouts.idleMs)`;
    cause = new APIConnectionTimeoutError({ message: `Stream idle for ${call.idleMs} ms.` });
  } else if (cause === undefined) {
    reason = 'it ended without a finish reason';
    cause = new StreamEndedEarlyError('The stream ended without a finish reason.');
  } else reason = engine.redactor.text(cause instanceof Error ? cause.message : String(cause));
  return new StreamInterruptedError({ partialText: stream.assembler.text, model: model.id, provider, reason, cause });
}

/** An error named `AbortError`, as the platform's own aborts are: a quiet end would look like a complete answer. */
function abortError(message: string, cause?: unknown): Error {
  const error = new DOMException(message, 'AbortError');
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}

/** What the breaker hears of a failed stream: its underlying cause; an abort is not the deployment's fault. */
function breakerView(error: unknown): unknown {
  if (error instanceof DOMException && error.name === 'AbortError') return new APIUserAbortError();
  return StreamInterruptedError.isInstance(error) ? error.cause : error;
}
