import { walkMessages, type MessageVisitor } from '../call/messageParts.js';

interface Reading {
  readonly turns: { role: string; text: string }[];
  role: string;
  text: string;
}

const reader: MessageVisitor<Reading> = {
  message(state, role) {
    state.role = role ?? 'user';
    state.text = '';
  },
  text(state, text) {
    state.text += state.text === '' ? text : `\n${text}`;
  },
  end(state) {
    if (state.text !== '') state.turns.push({ role: state.role, text: state.text });
  },
};

/**
 * A request's messages as the question a judge reads: a lone message's text as it is; a conversation
 * as `role: text` turns, so the judge sees what the answer replies to. Images and files are left out.
 */
export function conversationText(messages: readonly unknown[]): string {
  const { turns } = walkMessages(messages, reader, { turns: [], role: 'user', text: '' });
  if (turns.length === 1) return turns[0]!.text;
  return turns.map((turn) => `${turn.role}: ${turn.text}`).join('\n\n');
}
