import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

/**
 * A cached answer as the chunks a live stream would have sent: per choice, the role, the content,
 * the tool calls and the finish reason; then the usage when the caller asked for it. A cache hit
 * then serves streaming calls like any other.
 */
export function replayChunks(completion: ChatCompletion, includeUsage: boolean): ChatCompletionChunk[] {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: completion.model,
    ...(completion.system_fingerprint === undefined ? {} : { system_fingerprint: completion.system_fingerprint }),
    ...(completion.service_tier === undefined || completion.service_tier === null ? {} : { service_tier: completion.service_tier }),
  };
  const chunk = (choice: ChatCompletionChunk.Choice): ChatCompletionChunk => ({ ...base, choices: [choice] });
  const chunks: ChatCompletionChunk[] = [];
  for (const { index, message, finish_reason } of completion.choices) {
    chunks.push(chunk({ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }));
    if (message.content) chunks.push(chunk({ index, delta: { content: message.content }, logprobs: null, finish_reason: null }));
    if (message.refusal) chunks.push(chunk({ index, delta: { refusal: message.refusal }, logprobs: null, finish_reason: null }));
    if (message.tool_calls?.length) {
      const toolCalls = message.tool_calls.flatMap((toolCall, position) =>
        toolCall.type === 'function'
          ? [
              {
                index: position,
                id: toolCall.id,
                type: 'function' as const,
                function: { name: toolCall.function.name, arguments: toolCall.function.arguments },
              },
            ]
          : [],
      );
      chunks.push(chunk({ index, delta: { tool_calls: toolCalls }, logprobs: null, finish_reason: null }));
    }
    chunks.push(chunk({ index, delta: {}, logprobs: null, finish_reason }));
  }
  if (includeUsage && completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}
