/**
 * How the mock answers one chat completion, Responses or embeddings request. Every field is
 * optional: `{}` is a normal, successful answer, so a test only states what it cares about.
 *
 * Responses requests (`POST /v1/responses`) heed every field but `streamUsage` and `omitDone`:
 * `content` becomes a `message` item with one `output_text` part, `toolCalls` become
 * `function_call` items, `finishReason` `'length'` or `'content_filter'` makes the response
 * `incomplete` (its `incomplete_details.reason` `max_output_tokens` or `content_filter`), `usage`
 * fills `input_tokens` (with `cachedTokens` as `input_tokens_details.cached_tokens`) and
 * `output_tokens`, and the stream faults count the text and argument deltas as content chunks.
 * A Responses stream always ends with `response.completed` (or `response.incomplete`), which
 * carries the usage, and sends no `[DONE]`, as OpenAI's does.
 *
 * Embeddings requests heed `status`, `headers`, `error`, `latencyMs`, `fault` and `usage`
 * (`promptTokens`, or `null` for no usage); the other fields do not apply to them.
 */
export interface MockReply {
  /**
   * HTTP status. A non-2xx status sends an OpenAI-style error body
   * `{ error: { message, type, param, code } }`, also when the request asked for a stream.
   * @default 200
   */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }` or `{ 'retry-after-ms': '150' }`. */
  headers?: Record<string, string>;
  /**
   * Error body fields for a non-2xx status. Unset fields get defaults chosen per status
   * (429 → type and code `rate_limit_exceeded`, 5xx → `server_error`, other 4xx →
   * `invalid_request_error`), so `{ status: 400, error: { code: 'context_length_exceeded' } }`
   * is enough to script a context overflow.
   */
  error?: { message?: string; type?: string; code?: string | null; param?: string | null };
  /**
   * Assistant text. With `toolCalls` and no `content`, the message content is `null`.
   * @default `Hello from ${model}.`
   */
  content?: string;
  /**
   * Tool calls instead of, or besides, the content. `finishReason` then defaults to `'tool_calls'`.
   * `id` is the call's id (a Responses `function_call`'s `call_id`).
   */
  toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
  /** @default 'stop' ('tool_calls' when `toolCalls` is set) */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /**
   * Usage to report. Defaults: `promptTokens` = ceil(characters of all message contents / 4)
   * (for Responses: of the input's text and the instructions), `completionTokens` =
   * ceil(characters of the content and tool-call arguments / 4) per choice, each at least 1;
   * `cachedTokens` 0, or with the mock's `promptCache` the tokens its cache holds. `null`: report no
   * usage at all (no `usage` field, no usage chunk), as some OpenAI-compatible providers do.
   */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number } | null;
  /**
   * Delay before the response headers are sent. Uses the global `setTimeout` at call time, so
   * fake timers (vitest, sinon) drive it.
   * @default 0
   */
  latencyMs?: number;
  /**
   * A broken exchange, after `latencyMs`:
   * - `'reset'`: destroy the socket without any response (the client sees a connection error);
   * - `'hang'`: never answer, until the client goes away or the mock closes;
   * - `'malformed'`: a JSON content type with a body that is not JSON (status `status ?? 200`);
   *   when streaming, an SSE `data:` line that is not JSON, sent first unless
   *   `malformedAfterChunks` says when.
   */
  fault?: 'reset' | 'hang' | 'malformed';
  /** Streaming only: delay between SSE events (global `setTimeout`). @default 0 */
  chunkDelayMs?: number;
  /** Streaming only: characters of content (or tool-call arguments) per chunk. @default 8 */
  chunkChars?: number;
  /**
   * Streaming only: destroy the socket after N content chunks (a cut stream). Content chunks are
   * the ones carrying content or tool-call deltas, after the opening role chunk.
   */
  cutAfterChunks?: number;
  /**
   * Streaming only: end the response cleanly after N content chunks, with no finish chunk and no
   * `[DONE]` (for Responses, no `response.completed`).
   */
  endAfterChunks?: number;
  /** Streaming only: stop sending after N content chunks, socket left open (a silent stream). */
  hangAfterChunks?: number;
  /** Streaming only: send one malformed `data:` line after N content chunks, then carry on. */
  malformedAfterChunks?: number;
  /**
   * Streaming only: after N content chunks, report a failure in the stream and end it, as OpenAI
   * does when generation fails midway. Chat completions get a `data:` line holding an error body
   * (`{ error: { message, type, param, code } }`, from `error`, a 500's defaults otherwise), which
   * openai's client throws as an `APIError`; Responses get a `response.failed` event whose
   * response has status `failed` and `error: { code, message }` (code `error.code`, default
   * `server_error`).
   */
  failAfterChunks?: number;
  /**
   * Chat streaming only: send usage in a final chunk with `choices: []` (other chunks then carry
   * `usage: null`, as OpenAI does).
   * @default the request's `stream_options.include_usage`
   */
  streamUsage?: boolean;
  /** Chat streaming only: omit the terminating `data: [DONE]`. @default false */
  omitDone?: boolean;
}
