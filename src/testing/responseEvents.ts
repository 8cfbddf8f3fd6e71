import type { ResponseError } from 'openai/resources/responses/responses';
import { splitText } from './completionBodies.js';
import type { MockReply } from './MockReply.js';
import type { SseEvent } from './playStream.js';
import { functionCallItem, messageItem, outputText, responseBody, type ResponsePlan } from './responseBodies.js';

/**
 * The events of a streamed response, in OpenAI's order, each named by an `event:` line after its
 * `type` and numbered by `sequence_number` from 0: `response.created` and `response.in_progress`;
 * for the message, `response.output_item.added`, `response.content_part.added`, text deltas of
 * `chunkChars` characters, `response.output_text.done`, `response.content_part.done` and
 * `response.output_item.done`; for each function call, its item added, argument deltas, arguments
 * done and item done; and last `response.completed`, or `response.incomplete` when the response
 * stops short. The deltas are the content events stream faults count.
 */
export function responseEvents(plan: ResponsePlan, chunkChars: number): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (kind: SseEvent['kind'], type: string, fields: Record<string, unknown>): void => {
    events.push({ kind, name: type, data: { type, sequence_number: events.length, ...fields } });
  };

  push('opening', 'response.created', { response: responseBody(plan, 'in_progress') });
  push('opening', 'response.in_progress', { response: responseBody(plan, 'in_progress') });
  let outputIndex = 0;
  if (plan.message) {
    const at = { item_id: plan.message.id, output_index: outputIndex, content_index: 0 };
    push('opening', 'response.output_item.added', { output_index: outputIndex, item: messageItem(plan, 'added') });
    push('opening', 'response.content_part.added', { ...at, part: outputText('') });
    for (const delta of splitText(plan.message.text, chunkChars))
      push('content', 'response.output_text.delta', { ...at, delta, logprobs: [] });
    push('closing', 'response.output_text.done', { ...at, text: plan.message.text, logprobs: [] });
    push('closing', 'response.content_part.done', { ...at, part: outputText(plan.message.text) });
    push('closing', 'response.output_item.done', { output_index: outputIndex, item: messageItem(plan, 'done') });
    outputIndex++;
  }
  for (const call of plan.functionCalls) {
    const at = { item_id: call.id, output_index: outputIndex };
    push('opening', 'response.output_item.added', { output_index: outputIndex, item: functionCallItem(call, 'added') });
    for (const delta of splitText(call.arguments, chunkChars)) push('content', 'response.function_call_arguments.delta', { ...at, delta });
    push('closing', 'response.function_call_arguments.done', { ...at, name: call.name, arguments: call.arguments });
    push('closing', 'response.output_item.done', { output_index: outputIndex, item: functionCallItem(call, 'done') });
    outputIndex++;
  }
  const type = plan.incomplete === undefined ? 'response.completed' : 'response.incomplete';
  push('closing', type, { response: responseBody(plan, 'final') });
  return events;
}

/**
 * The `response.failed` event that ends a stream scripted with `failAfterChunks`: the response,
 * status `failed`, with the reply's `error` code (`server_error` by default) and message.
 */
export function failedEvent(plan: ResponsePlan, reply: MockReply, sequence: number): SseEvent {
  const error = {
    // A scripted code outside OpenAI's enum is sent as it is: the test asked for it.
    code: (reply.error?.code ?? 'server_error') as ResponseError['code'],
    message: reply.error?.message ?? 'The model failed to generate a response.',
  };
  const data = { type: 'response.failed', sequence_number: sequence, response: responseBody(plan, 'failed', error) };
  return { kind: 'closing', name: data.type, data };
}
