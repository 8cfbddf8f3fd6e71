/**
 * A rough token count for text: about four characters per token for English prose and code, rounded
 * up. Used where a provider reported no usage, for the prompts of models without a known tokenizer,
 * and for prompts too large to tokenize without blocking the event loop. Reads only the length:
 * constant time, whatever the text.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
