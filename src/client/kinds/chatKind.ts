import type { ChatCompletion } from 'openai/resources/chat/completions';
import { isStorable } from '../../cache/CachedAnswer.js';
import type { TieredChatParams } from '../../call/requests.js';
import type { RequestKind } from '../../call/RequestKind.js';
import { judgeAnswer } from '../../routing/judgeAnswer.js';
import { estimatePromptTokens } from '../../routing/promptTokens.js';
import { checkParams } from '../checkRequest.js';

/** Chat completions: `chat.completions.create()`, `tieredChat()`, and `openai`'s helpers over them. */
export const chatKind: RequestKind = Object.freeze({
  operation: 'chat',
  checkParams,
  promptTokens: (params: object) => estimatePromptTokens((params as TieredChatParams).messages),
  maxOutputTokens: (params: object) =>
    (params as TieredChatParams).max_completion_tokens ?? (params as TieredChatParams).max_tokens ?? undefined,
  text: (body: object) => (body as ChatCompletion).choices[0]?.message?.content ?? '',
  finishReasons: (body: object) => (body as ChatCompletion).choices.map((choice) => choice.finish_reason),
  // A poor answer (not the JSON asked for) is served, never stored: the next call asks afresh.
  storable: (body: object, params: object) =>
    isStorable(body as ChatCompletion) && judgeAnswer(body as ChatCompletion, (params as TieredChatParams).response_format) === undefined,
  isAnswer: (body: unknown) =>
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as ChatCompletion).choices) &&
    (body as ChatCompletion).choices.length > 0 &&
    (body as ChatCompletion).choices.every(
      (choice) => typeof choice === 'object' && choice !== null && typeof choice.message === 'object' && choice.message !== null,
    ),
});
