import type { Operation } from '../call/Operation.js';

/** The GenAI semantic-convention attributes that name a kind of request. */
export interface OperationAttributes {
  readonly 'gen_ai.operation.name': string;
  readonly 'openai.api.type'?: string;
}

/**
 * Our operations in the GenAI semantic conventions, whose well-known value MUST be used where one
 * applies: `chat` for Chat Completions and `embeddings` for embeddings, as the conventions name them.
 * The Responses API has no operation of its own there: the conventions' OpenAI inference span covers
 * it as `chat`, told apart by `openai.api.type` (`responses`, against `chat_completions`). So a
 * Responses call is `chat` on dashboards built on the conventions, and `openai.api.type` separates it.
 */
const attributes: Readonly<Record<Operation, OperationAttributes>> = {
  chat: { 'gen_ai.operation.name': 'chat', 'openai.api.type': 'chat_completions' },
  embeddings: { 'gen_ai.operation.name': 'embeddings' },
  responses: { 'gen_ai.operation.name': 'chat', 'openai.api.type': 'responses' },
};

/** The attributes of `operation`: one shared object per operation, nothing built per call. */
export function operationAttributes(operation: Operation): OperationAttributes {
  return attributes[operation];
}
