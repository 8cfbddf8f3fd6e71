import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { RequestKind } from '../../call/RequestKind.js';
import { estimateTokens } from '../../catalog/estimateTokens.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { showValue } from '../../errors/showValue.js';

const noReasons: readonly string[] = Object.freeze([]);

/** `embeddings.create()`: one model's vectors, priced from `usage.prompt_tokens`. */
export const embeddingsKind: RequestKind = Object.freeze({
  operation: 'embeddings',
  checkParams,
  promptTokens: (params: object) => inputTokens((params as EmbeddingCreateParams).input),
  maxOutputTokens: () => 0,
  text: () => '',
  finishReasons: () => noReasons,
  storable: (body: object) => (body as CreateEmbeddingResponse).data.length > 0,
  isAnswer: (body: unknown) =>
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as CreateEmbeddingResponse).data) &&
    (body as CreateEmbeddingResponse).data.every((item) => typeof item === 'object' && item !== null && 'embedding' in item),
});

/** Tokens of an input: text estimated, token arrays counted. */
function inputTokens(input: EmbeddingCreateParams['input']): number {
  if (typeof input === 'string') return estimateTokens(input);
  let tokens = 0;
  for (const item of input as readonly unknown[]) {
    if (typeof item === 'string') tokens += estimateTokens(item);
    else if (Array.isArray(item)) tokens += item.length;
    else tokens += 1;
  }
  return tokens;
}

/** `model` a non-empty string; `input` a non-empty string, or a non-empty array of strings, tokens or token arrays. */
function checkParams(params: unknown): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ConfigError(
      'params',
      `must be an object, got ${showValue(params)}`,
      'Pass the same parameters as to openai.embeddings.create().',
    );
  }
  const { model, input } = params as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') {
    throw new ConfigError(
      'params.model',
      `must be a tier name or a catalog embedding model id, got ${showValue(model)}`,
      "E.g. model: 'text-embedding-3-small'.",
    );
  }
  const empty = input === '' || (Array.isArray(input) && input.length === 0);
  if (empty || (typeof input !== 'string' && !Array.isArray(input))) {
    throw new ConfigError(
      'params.input',
      `must be a non-empty string or array, got ${empty ? 'an empty one' : showValue(input)}`,
      "E.g. input: 'The food was delicious.' or input: ['first text', 'second text'].",
    );
  }
}
