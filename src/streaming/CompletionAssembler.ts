import type { ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

interface ChoiceState {
  content: string;
  refusal: string | null;
  logprobs: ChatCompletion.Choice['logprobs'];
  toolCalls: { id: string; name: string; arguments: string }[] | undefined;
  finishReason: ChatCompletion.Choice['finish_reason'] | null;
}

/**
 * Folds stream chunks into the `ChatCompletion` a non-streaming call would have returned, as the
 * chunks pass: little work per chunk, and the whole answer ready when the stream ends.
 */
export class CompletionAssembler {
  private id = '';
  private created = 0;
  private model = '';
  private systemFingerprint: string | undefined;
  private serviceTier: ChatCompletion['service_tier'];
  private readonly choices: ChoiceState[] = [];
  usage: CompletionUsage | undefined;

  /** @param expectedChoices the request's `n`: the answer is complete only when all of them finished. */
  constructor(readonly expectedChoices = 1) {}

  add(chunk: ChatCompletionChunk): void {
    if (this.id === '') {
      this.id = chunk.id;
      this.created = chunk.created;
      this.model = chunk.model;
    }
    if (chunk.system_fingerprint) this.systemFingerprint = chunk.system_fingerprint;
    if (chunk.service_tier) this.serviceTier = chunk.service_tier;
    if (chunk.usage) this.usage = chunk.usage;
    // Chunks are checked first (answerShape.ts): every choice has a delta; a missing index means 0.
    for (const { index = 0, delta, finish_reason, logprobs } of chunk.choices) {
      const choice = (this.choices[index] ??= { content: '', refusal: null, logprobs: null, toolCalls: undefined, finishReason: null });
      if (delta.content) choice.content += delta.content;
      if (delta.refusal) choice.refusal = (choice.refusal ?? '') + delta.refusal;
      if (delta.tool_calls) {
        const calls = (choice.toolCalls ??= []);
        for (const toolCall of delta.tool_calls) {
          const state = (calls[toolCall.index ?? 0] ??= { id: '', name: '', arguments: '' });
          if (toolCall.id) state.id = toolCall.id;
          if (toolCall.function?.name) state.name += toolCall.function.name;
          if (toolCall.function?.arguments) state.arguments += toolCall.function.arguments;
        }
      }
      if (finish_reason) choice.finishReason = finish_reason;
      if (logprobs) {
        // Appended in place: copying the list per chunk would make a long stream quadratic.
        const kept = (choice.logprobs ??= { content: [], refusal: null });
        if (logprobs.content) (kept.content ??= []).push(...logprobs.content);
        if (logprobs.refusal) (kept.refusal ??= []).push(...logprobs.refusal);
      }
    }
  }

  /** The first choice's text so far. */
  get text(): string {
    return this.choices[0]?.content ?? '';
  }

  /** True once every choice has its finish reason: the answer is complete. */
  get finished(): boolean {
    if (this.choices.length < this.expectedChoices) return false;
    // A plain loop: every() would skip the hole of a choice that never came.
    for (let i = 0; i < this.choices.length; i++) if (this.choices[i]?.finishReason == null) return false;
    return true;
  }

  completion(): ChatCompletion {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: this.choices.map((c, index) => ({
        index,
        message: {
          role: 'assistant',
          content: c.toolCalls !== undefined && c.content === '' ? null : c.content,
          refusal: c.refusal,
          ...(c.toolCalls === undefined
            ? {}
            : {
                tool_calls: c.toolCalls.map((t): ChatCompletionMessageToolCall => ({
                  id: t.id,
                  type: 'function',
                  function: { name: t.name, arguments: t.arguments },
                })),
              }),
        },
        logprobs: c.logprobs,
        finish_reason: c.finishReason ?? 'stop',
      })),
      ...(this.usage === undefined ? {} : { usage: this.usage }),
      ...(this.systemFingerprint === undefined ? {} : { system_fingerprint: this.systemFingerprint }),
      ...(this.serviceTier === undefined ? {} : { service_tier: this.serviceTier }),
    };
  }
}
