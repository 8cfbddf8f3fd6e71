import { walkMessages, type MessageVisitor } from '../call/messageParts.js';
import { estimateTokens } from '../catalog/estimateTokens.js';
import { encodingOf, type EncodingName, textTokenCounter } from './tokenizer.js';

/**
 * Prompt token counts of chat messages, for routing and for the context-window check.
 *
 * Exact for the OpenAI model families whose encoding gpt-tokenizer ships, when that optional peer
 * dependency is installed (see tokenizer.ts), with OpenAI's chat framing (the openai-cookbook
 * recipe, which matches the API's `prompt_tokens` for string content):
 * 3 tokens a message, plus its role, content and name (a name costs 1 more), plus 3 priming the reply.
 * Array content is the sum of its text parts, plus a fixed cost per image. Tool calls of assistant
 * messages are counted as the text of their names and arguments (a custom tool's input), which is close, not exact.
 *
 * Any other model, and every model when gpt-tokenizer is not installed, gets {@link estimatePromptTokens}:
 * 4 characters a token is right within about 20% for English prose and code on the common
 * tokenizers, which is all a router needs.
 *
 * Tokenizing is synchronous and blocks the event loop: gpt-tokenizer takes up to ~1 µs a byte of
 * text, and BPE work grows with the square of a stretch it cannot split (letters without a space,
 * a line of '=', CJK without punctuation, emoji): 20,000 letters in a row take ~200 ms, 10 MB of
 * prose about a second. A prompt over {@link MAX_EXACT_PROMPT_BYTES}, or holding a stretch over
 * {@link MAX_EXACT_RUN_BYTES}, is estimated instead (`tooLarge`): a count then blocks for ~25 ms at
 * worst an encoding (measured on a 2-core VM, Node 20, with 24 KB of 500-letter words).
 */

/** How a request's prompt tokens were counted. */
export interface PromptTokens {
  readonly tokens: number;
  /** `true` when counted with the model's own tokenizer, `false` for the estimate. */
  readonly exact: boolean;
  /**
   * Set when the model has a tokenizer but the prompt was too large to tokenize quickly: `tokens` is
   * the estimate, which may be off either way (the context-window fit allows for it).
   */
  readonly tooLarge?: true;
}

/** Text (UTF-8 bytes: role, names, contents, tool calls) above which a prompt is estimated, not tokenized. */
export const MAX_EXACT_PROMPT_BYTES = 24_000;
/**
 * Longest stretch of letters (and marks), of white space, or of punctuation and symbols (UTF-8 bytes)
 * that is tokenized: every encoding splits text at those boundaries first, then merges each piece in
 * time that grows with its square.
 */
export const MAX_EXACT_RUN_BYTES = 512;

/** Tokens an image part costs: OpenAI's price of a 1024×1024 high-detail image (85 + 4 tiles × 170). */
export const IMAGE_TOKENS = 765;
/** Tokens an image part with `detail: 'low'` costs: OpenAI's flat low-detail price. */
export const LOW_DETAIL_IMAGE_TOKENS = 85;

/**
 * Counts the prompt tokens of `messages` for `modelId`: exactly, with gpt-tokenizer's encodings, for the
 * OpenAI families it knows (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3, o4 → o200k_base; gpt-4, gpt-3.5 →
 * cl100k_base; also behind a provider prefix such as 'openai/gpt-4o') when gpt-tokenizer is installed;
 * otherwise {@link estimatePromptTokens}.
 * Never throws on malformed messages: what is not text or an image counts nothing.
 */
export function countPromptTokens(modelId: string, messages: readonly unknown[]): PromptTokens {
  return promptTokenCounter(messages)(modelId);
}

/**
 * {@link countPromptTokens} for one request and many models: each encoding tokenizes the prompt at
 * most once, and whether it is small enough to tokenize is decided once.
 */
export function promptTokenCounter(messages: readonly unknown[]): (modelId: string) => PromptTokens {
  const counted = new Map<EncodingName, PromptTokens>();
  let quick: boolean | undefined;
  let estimate: PromptTokens | undefined;
  let tooLarge: PromptTokens | undefined;
  return (modelId) => {
    const encoding = encodingOf(modelId);
    // Without gpt-tokenizer installed, every model is one without a known tokenizer.
    const count = encoding === undefined ? undefined : textTokenCounter(encoding);
    if (encoding === undefined || count === undefined) return (estimate ??= { tokens: estimatePromptTokens(messages), exact: false });
    if (!(quick ??= quickToTokenize(messages)))
      return (tooLarge ??= { tokens: estimatePromptTokens(messages), exact: false, tooLarge: true });
    let tokens = counted.get(encoding);
    if (tokens === undefined) counted.set(encoding, (tokens = { tokens: tokenize(count, messages), exact: true }));
    return tokens;
  };
}

function tokenize(count: (text: string) => number, messages: readonly unknown[]): number {
  return tally(messages, { perMessage: 3, role: true, perName: 1, primer: 3, count });
}

// Maximal stretches of one kind each; every encoding's pieces lie within one of them (give or take a
// leading character and trailing line breaks). Digits need none: they are split in threes.
const STRETCHES = [/[\p{L}\p{M}]+/gu, /\s+/gu, /[^\s\p{L}\p{N}]+/gu];

/**
 * True when the messages' text is small enough to tokenize quickly. A huge prompt is told by its
 * length alone (a UTF-16 unit is at least one UTF-8 byte), without reading its text.
 */
function quickToTokenize(messages: readonly unknown[]): boolean {
  const framing = { perMessage: 0, role: true, perName: 0, primer: 0 };
  if (tally(messages, { ...framing, count: (text) => text.length }) > MAX_EXACT_PROMPT_BYTES) return false;
  let longStretch = false;
  const bytes = tally(messages, {
    ...framing,
    count: (text) => {
      // A stretch of fewer UTF-16 units than this holds at most 3 bytes a unit: too short to matter.
      const shortest = Math.floor(MAX_EXACT_RUN_BYTES / 3) + 1;
      if (!longStretch && text.length >= shortest) {
        for (const pattern of STRETCHES) {
          for (const [stretch] of text.matchAll(pattern)) {
            if (stretch.length >= shortest && Buffer.byteLength(stretch) > MAX_EXACT_RUN_BYTES) longStretch = true;
          }
        }
      }
      return Buffer.byteLength(text);
    },
  });
  return !longStretch && bytes <= MAX_EXACT_PROMPT_BYTES;
}

/**
 * The cheap estimate used for models without a known tokenizer: 4 characters a token for text
 * (rounded up per text), 4 tokens a message for its role and framing, 3 priming the reply, and
 * {@link IMAGE_TOKENS} per image part ({@link LOW_DETAIL_IMAGE_TOKENS} when its detail is 'low').
 */
export function estimatePromptTokens(messages: readonly unknown[]): number {
  return tally(messages, ESTIMATE);
}

interface Framing {
  readonly perMessage: number;
  /** Whether the role's own tokens are added to `perMessage` (the estimate's 4 include it). */
  readonly role: boolean;
  readonly perName: number;
  readonly primer: number;
  readonly count: (text: string) => number;
}

interface Tally {
  readonly framing: Framing;
  tokens: number;
}

const tallyVisitor: MessageVisitor<Tally> = {
  message(tally, role, name) {
    const { perMessage, perName, count } = tally.framing;
    tally.tokens += perMessage;
    if (tally.framing.role && role !== undefined) tally.tokens += count(role);
    if (name !== undefined) tally.tokens += count(name) + perName;
  },
  text(tally, text) {
    tally.tokens += tally.framing.count(text);
  },
  refusal(tally, refusal) {
    tally.tokens += tally.framing.count(refusal);
  },
  image(tally, detail) {
    tally.tokens += detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
  },
  // Close, not exact: the API also counts the call's framing.
  toolCall(tally, name, input) {
    tally.tokens += tally.framing.count(name) + tally.framing.count(input);
  },
};

// Defined once: the estimate runs on every budgeted or auto-routed request.
const ESTIMATE: Framing = { perMessage: 4, role: false, perName: 0, primer: 3, count: estimateTokens };

function tally(messages: readonly unknown[], framing: Framing): number {
  return walkMessages(messages, tallyVisitor, { framing, tokens: framing.primer }).tokens;
}
