/**
 * A rough token count for text, used only where a provider reported no usage: about four
 * characters per token for English prose and code, rounded up.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
