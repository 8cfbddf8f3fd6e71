import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/** A message's text: its string content, or its text parts joined (images and audio left out). */
export function messageText(message: ChatCompletionMessageParam): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}

/** The text a report shows for a case: its last user message. */
export function promptOf(messages: readonly ChatCompletionMessageParam[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messageText(messages[i]!);
  return messageText(messages[messages.length - 1]!);
}

/** The conversation as the judge reads it: the question alone, or every message under its role. */
export function conversationText(messages: readonly ChatCompletionMessageParam[]): string {
  if (messages.length === 1) return messageText(messages[0]!);
  return messages.map((message) => `${message.role}: ${messageText(message)}`).join('\n\n');
}
