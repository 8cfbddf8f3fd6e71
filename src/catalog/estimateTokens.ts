/**
 * A rough token count for text, used only where a provider reported no usage: about four
 * characters per token for English prose and code, rounded up.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Estimated prompt tokens of chat messages: their text parts, plus a few tokens per message of framing. */
export function estimatePromptTokens(messages: readonly unknown[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += 4;
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') tokens += estimateTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') tokens += estimateTokens(text);
      }
    }
  }
  return tokens;
}
