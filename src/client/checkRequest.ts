import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';

/*
 * What a request must be before any network call, where the API's rules are certain. Anything else
 * (a temperature of 7, an unknown parameter) stays the provider's to judge: a newer API may allow it.
 */

/** The keys of `openai`'s own request options (6.x), pinned by test/requestOptions.test-d.ts. */
export const openaiRequestOptionKeys = [
  'method',
  'path',
  'query',
  'body',
  'headers',
  'maxRetries',
  'stream',
  'timeout',
  'fetchOptions',
  'signal',
  'idempotencyKey',
  'defaultBaseURL',
  '__metadata',
  '__binaryResponse',
  '__streamClass',
  '__synthesizeEventData',
] as const;

/**
 * The keys `openai`'s helpers add to its request options and pass on to every `create()` they make
 * (`runTools()` spreads its `RunnerOptions`), pinned by test/requestOptions.test-d.ts. Read by the
 * helper, not by us; never sent upstream.
 */
export const openaiHelperOptionKeys = ['maxChatCompletions'] as const;

/** The keys of the second argument that tiered-llm adds to `openai`'s. */
export const tieredRequestOptionKeys = [
  'timeoutMs',
  'cache',
  'cacheNamespace',
  'qualityEscalation',
  'fallback',
  'providers',
  'region',
  'metadata',
] as const;

const knownOptionKeys: ReadonlySet<string> = new Set<string>([
  ...openaiRequestOptionKeys,
  ...openaiHelperOptionKeys,
  ...tieredRequestOptionKeys,
]);
const knownOptionsHint =
  "Request options are tiered-llm's (timeoutMs, cache, cacheNamespace, qualityEscalation, fallback, providers, region, metadata) and openai's " +
  '(signal, timeout, maxRetries, headers, query, idempotencyKey, fetchOptions).';

/** Checks the chat parameters: `model` a string, `messages` a non-empty list of messages with a role, `stream` a boolean. */
export function checkParams(params: unknown): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ConfigError(
      'params',
      `must be an object, got ${showValue(params)}`,
      'Pass the same parameters as to openai.chat.completions.create().',
    );
  }
  const { model, messages, stream } = params as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') {
    throw new ConfigError(
      'params.model',
      `must be a tier name, a catalog model id or 'auto', got ${showValue(model)}`,
      "E.g. model: 'auto'.",
    );
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ConfigError(
      'params.messages',
      `must be a non-empty array of messages, got ${Array.isArray(messages) ? 'an empty array' : showValue(messages)}`,
      "E.g. messages: [{ role: 'user', content: 'Hello' }].",
    );
  }
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new ConfigError(
        `params.messages[${i}]`,
        `must be a message object, got ${showValue(message)}`,
        "E.g. { role: 'user', content: 'Hello' }.",
      );
    }
    const role = 'role' in message ? message.role : undefined;
    if (typeof role !== 'string' || role === '') {
      throw new ConfigError(
        `params.messages[${i}].role`,
        `must be a non-empty string, got ${showValue(role)}`,
        "Every message names its author: 'system', 'developer', 'user', 'assistant' or 'tool'.",
      );
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    throw new ConfigError(
      'params.stream',
      `must be a boolean, got ${showValue(stream)}`,
      'stream: true for a stream of chunks; leave it out for one answer.',
    );
  }
}

/**
 * Checks the second argument of `create()` / `tieredChat()`: every key ours or `openai`'s (keys
 * starting with `__`, which `openai`'s own helpers pass, go through), each of the right type.
 * The numeric limits are checked where they are read (`Call`).
 */
export function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      'options',
      `must be an object, got ${showValue(options)}`,
      'Pass request options such as { signal, timeoutMs }, or nothing.',
    );
  }
  const record = options as Record<string, unknown>;
  for (const key in record) {
    if (!knownOptionKeys.has(key) && !key.startsWith('__')) {
      throw new ConfigError(`options.${key}`, 'is not a request option of tiered-llm or openai', knownOptionsHint);
    }
  }
  const { signal, metadata, headers, query, idempotencyKey, fetchOptions } = record;
  if (signal !== undefined && signal !== null && !isAbortSignal(signal)) {
    throw new ConfigError(
      'options.signal',
      `must be an AbortSignal, got ${showValue(signal)}`,
      'Pass controller.signal of an AbortController, or AbortSignal.timeout(ms).',
    );
  }
  if (metadata !== undefined && !isPlainObject(metadata)) {
    throw new ConfigError(
      'options.metadata',
      `must be an object, got ${showValue(metadata)}`,
      "E.g. metadata: { tenant: 'acme', feature: 'search' }.",
    );
  }
  objectOrNothing(headers, 'options.headers', "E.g. headers: { 'x-trace-id': id }.");
  objectOrNothing(query, 'options.query', 'E.g. query: { api_version: "2024-10-21" }.');
  objectOrNothing(fetchOptions, 'options.fetchOptions', 'A RequestInit, e.g. { keepalive: true }.');
  if (idempotencyKey !== undefined && typeof idempotencyKey !== 'string') {
    throw new ConfigError(
      'options.idempotencyKey',
      `must be a string, got ${showValue(idempotencyKey)}`,
      'E.g. a UUID per logical request.',
    );
  }
}

function objectOrNothing(value: unknown, field: string, hint: string): void {
  if (value !== undefined && value !== null && typeof value !== 'object')
    throw new ConfigError(field, `must be an object, got ${showValue(value)}`, hint);
}

/** An AbortSignal, from this realm or another (a polyfill, another copy of undici): by shape. */
function isAbortSignal(value: unknown): boolean {
  if (value instanceof AbortSignal) return true;
  const signal = value as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null;
  return (
    typeof value === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function'
  );
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
