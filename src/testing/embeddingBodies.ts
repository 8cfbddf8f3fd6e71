import { hashedEmbedding } from './hashedEmbedding.js';
import type { MockReply } from './MockReply.js';

/** Dimensions when the request does not ask for any: small, so tests stay fast. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 256;
/** The largest `dimensions` any OpenAI embedding model offers (text-embedding-3-large). */
export const MAX_EMBEDDING_DIMENSIONS = 3072;
/** OpenAI's limit on the inputs of one request. */
const MAX_INPUTS = 2048;

/** A valid embeddings request, resolved once its body has been checked. */
export interface EmbeddingsPlan {
  /** The texts to embed, in order; token arrays become one word per token. */
  readonly texts: readonly string[];
  readonly dimensions: number;
  readonly encoding: 'float' | 'base64';
  /** Estimated like chat prompts: ceil(characters / 4) per text (at least 1), or one per token. */
  readonly promptTokens: number;
}

/** The `CreateEmbeddingResponse` body; `embedding` is a base64 string when that encoding was asked for. */
export interface EmbeddingsBody {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage?: { prompt_tokens: number; total_tokens: number };
}

/**
 * Checks the body of a `POST /v1/embeddings` the way OpenAI does (`input` a non-empty string, or
 * 1 to 2048 of them, or token arrays; `encoding_format` `'float'` or `'base64'`; `dimensions` an
 * integer from 1 to 3072) and resolves its defaults, or says what is wrong as an error body's fields.
 */
export function planEmbeddings(body: Record<string, unknown>): EmbeddingsPlan | { error: NonNullable<MockReply['error']> } {
  const { input, encoding_format: encoding = 'float', dimensions = DEFAULT_EMBEDDING_DIMENSIONS } = body;
  if (input === undefined) {
    return { error: { message: "Missing required parameter: 'input'.", param: 'input', code: 'missing_required_parameter' } };
  }
  const inputs = parseInput(input);
  if (inputs === undefined) {
    const message = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
    return { error: { message, param: 'input', code: null } };
  }
  if (encoding !== 'float' && encoding !== 'base64') {
    const message = `Invalid value: '${String(encoding)}'. Supported values are: 'float' and 'base64'.`;
    return { error: { message, param: 'encoding_format', code: 'invalid_value' } };
  }
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_EMBEDDING_DIMENSIONS) {
    const message = `Invalid value for 'dimensions' = ${String(dimensions)}. Must be an integer from 1 to ${MAX_EMBEDDING_DIMENSIONS}.`;
    return { error: { message, param: 'dimensions', code: 'invalid_value' } };
  }
  const texts = inputs.map(({ text }) => text);
  const promptTokens = inputs.reduce((sum, { tokens }) => sum + tokens, 0);
  return { texts, dimensions, encoding, promptTokens };
}

/** The response for a plan: one hashed bag-of-words embedding per text (see `hashedEmbedding`). */
export function embeddingsBody(plan: EmbeddingsPlan, model: string, reply: MockReply): EmbeddingsBody {
  const data = plan.texts.map((text, index) => {
    const vector = hashedEmbedding(text, plan.dimensions);
    // The float32s' bytes (little-endian wherever Node runs): what the openai client asks for by default, and decodes.
    const embedding = plan.encoding === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
    return { object: 'embedding' as const, index, embedding };
  });
  const body: EmbeddingsBody = { object: 'list', data, model };
  if (reply.usage === null) return body;
  const promptTokens = reply.usage?.promptTokens ?? plan.promptTokens;
  return { ...body, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
}

/** One input to embed, with its token count. */
type Input = { text: string; tokens: number };

/** The inputs of an `input`, or `undefined` when it is not one of the shapes OpenAI accepts. */
function parseInput(input: unknown): Input[] | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [fromText(input)];
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS) return undefined;
  if (input.every((item) => typeof item === 'string' && item !== '')) return (input as string[]).map(fromText);
  if (input.every(isToken)) return [fromTokens(input)];
  if (input.every((item) => Array.isArray(item) && item.length > 0 && item.every(isToken))) return (input as number[][]).map(fromTokens);
  return undefined;
}

function isToken(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function fromText(text: string): Input {
  return { text, tokens: Math.max(1, Math.ceil(text.length / 4)) };
}

/** Token ids become words, so equal token sequences embed alike. */
function fromTokens(tokens: readonly number[]): Input {
  return { text: tokens.map((token) => `t${token}`).join(' '), tokens: tokens.length };
}
