import { createHash } from 'node:crypto';
import { messageChars } from './completionBodies.js';
import type { MockReply } from './MockReply.js';
import { textChars } from './responseRequest.js';

/** Prompts shorter than this many tokens are never cached (OpenAI's threshold). */
export const minCachedTokens = 1_024;
/** Cached tokens come in blocks of this many (OpenAI's increment). */
export const cachedTokenBlock = 128;

/**
 * The mock's prompt cache (`startMockOpenAI({ promptCache: true })`), shaped like OpenAI's: a prompt
 * is cached by prefixes of whole items (chat messages; a Responses request's instructions, then its
 * input items), per model, once a request with it was answered. A request's cached tokens are the
 * tokens of the longest prefix this mock has already seen for that model, rounded down to
 * {@link cachedTokenBlock}-token blocks, and 0 under {@link minCachedTokens}. Tokens are the mock's
 * usual estimate (characters of text / 4), so cached tokens never exceed the prompt's.
 *
 * Bounded: it remembers the last `max` prefixes (hashes, no text), the least recently used forgotten first.
 */
export class PromptCache {
  readonly #seen = new Set<string>();

  constructor(private readonly max = 100_000) {}

  /** The cached tokens of a chat request's messages; a successful `reply` caches its prefixes for the requests that follow. */
  chat(model: string, body: Record<string, unknown>, reply: MockReply): number {
    const messages = body['messages'];
    return this.#cachedTokens(model, Array.isArray(messages) ? messages : [], messageOfChars, answers(reply));
  }

  /** The same for a Responses request: its instructions, then its input items (a previous response's are not counted). */
  response(model: string, body: Record<string, unknown>, reply: MockReply): number {
    const { instructions, input } = body;
    const items = [...itemsOf(instructions), ...itemsOf(input)];
    return this.#cachedTokens(model, items, itemChars, answers(reply));
  }

  #cachedTokens(model: string, items: readonly unknown[], charsOf: (item: unknown) => number, remember: boolean): number {
    let hash = createHash('sha1').update(model).digest('base64');
    let chars = 0;
    let cachedChars = 0;
    const prefixes: string[] = [];
    for (const item of items) {
      hash = createHash('sha1')
        .update(hash)
        .update(JSON.stringify(item) ?? '')
        .digest('base64');
      chars += charsOf(item);
      prefixes.push(hash);
      if (this.#seen.has(hash)) cachedChars = chars;
    }
    if (remember) for (const prefix of prefixes) this.#touch(prefix);
    const tokens = Math.ceil(cachedChars / 4);
    return tokens < minCachedTokens ? 0 : tokens - (tokens % cachedTokenBlock);
  }

  #touch(prefix: string): void {
    // Deleted first: a prefix seen again is the most recently used.
    this.#seen.delete(prefix);
    this.#seen.add(prefix);
    if (this.#seen.size > this.max) this.#seen.delete(this.#seen.values().next().value as string);
  }
}

/** A reply that answers (no error status, no fault): only then does the provider cache the prompt. */
function answers(reply: MockReply): boolean {
  return (reply.status ?? 200) < 300 && reply.fault === undefined;
}

const messageOfChars = (message: unknown): number => messageChars([message]);
const itemChars = (item: unknown): number => textChars(typeof item === 'string' ? item : [item]);

function itemsOf(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
