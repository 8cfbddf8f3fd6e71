import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { Call } from '../call/Call.js';
import { chunkProblem } from '../resilience/answerShape.js';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';
import { CompletionAssembler } from './CompletionAssembler.js';
import type { StreamReading } from './UpstreamStream.js';

/** How a chat completion stream is read: with usage asked for, its chunks checked and assembled into a completion. */
export const chatStreamReading = Object.freeze<StreamReading<ChatCompletionChunk, CompletionAssembler>>({
  open(call, live, options) {
    const body = { ...call.params, model: live.deployment.model.id, stream: true } as ChatCompletionCreateParamsStreaming;
    // A provider that cannot report stream usage may refuse stream_options altogether.
    if (live.deployment.model.streamUsage === false) delete body.stream_options;
    else body.stream_options = { ...call.params.stream_options, include_usage: true };
    return live.client.chat.completions.create(body, options);
  },
  assembler: (call: Call) => new CompletionAssembler(choicesOf(call)),
  /**
   * Throws `InvalidResponseError` for a chunk the stream cannot use (no `choices` array, a choice
   * index the request did not ask for, text that is not text).
   */
  check(chunk: ChatCompletionChunk, assembler: CompletionAssembler): void {
    const problem = chunkProblem(chunk, assembler.expectedChoices);
    if (problem !== undefined) throw new InvalidResponseError(`The provider streamed a malformed chunk: ${problem}.`);
  },
  isToken,
});

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
