import * as crypto from 'node:crypto';

/**
 * The key of a chat conversation, for affinity: a hash of its opening, the first user message and
 * the first system (or developer) message before it, so that every turn of one conversation, which
 * resends that opening, gets the key of its first turn. Nothing after the first user message is
 * read: a system message added later in the conversation does not change its key.
 *
 * What is hashed of a message: its text, and for content parts the text of text parts, the URL of
 * an image, the id (or data) of a file and the data of an audio clip, each in its own field. A
 * string longer than {@link sampledOver} characters (a long system prompt, an image's data URL) is
 * hashed by its length and its first and last {@link sampleChars}: a hash costs about as much for a
 * 100 KB prompt as for a short one (1-2 µs), and two openings told apart only in their middle share
 * a key, which only means they share a deployment. The key is 27 characters of SHA-1 (base64): no
 * prompt text stays in memory.
 *
 * @returns undefined when the messages have neither a system nor a user message
 */
export function conversationKey(messages: readonly unknown[]): string | undefined {
  let system: string | undefined;
  let user: string | undefined;
  for (let m = 0; m < messages.length && user === undefined; m++) {
    const message = messages[m];
    if (typeof message !== 'object' || message === null) continue;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role === 'user') user = contentPrint(content);
    else if (system === undefined && (role === 'system' || role === 'developer')) system = contentPrint(content);
  }
  if (system === undefined && user === undefined) return undefined;
  // The texts may hold anything, so the system text's length comes first: 'a' + 'bc' and 'ab' + 'c' differ.
  const opening = system ?? '';
  return sha1(`${opening.length}\u0000${opening}\u0000${user ?? ''}`);
}

/** Strings longer than this are hashed by their length and ends (see {@link conversationKey}). */
export const sampledOver = 2_048;
/** How much of each end of a long string is hashed. */
export const sampleChars = 1_024;

function sample(text: string): string {
  return text.length <= sampledOver ? text : `${text.length}:${text.slice(0, sampleChars)}${text.slice(-sampleChars)}`;
}

/** A message's content as hashed: its text, or its parts' text and references, each part in its own field. */
function contentPrint(content: unknown): string {
  if (typeof content === 'string') return sample(content);
  if (!Array.isArray(content)) return '';
  let print = '';
  for (let p = 0; p < content.length; p++) print += `\u0001${sample(partPrint(content[p]))}`;
  return print;
}

function partPrint(part: unknown): string {
  if (typeof part !== 'object' || part === null) return '';
  const record = part as Record<string, unknown>;
  switch (record['type']) {
    case 'text':
      return stringOr(record['text']);
    case 'image_url':
      return stringOr(field(record['image_url'], 'url'));
    case 'file':
      return stringOr(field(record['file'], 'file_id')) || stringOr(field(record['file'], 'file_data'));
    case 'input_audio':
      return stringOr(field(record['input_audio'], 'data'));
    default:
      return '';
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// crypto.hash (one call, no Hash object) is Node >= 20.12; createHash on older ones. Both about 1 µs
// for a kilobyte (measured with node 20: see bench/affinity.ts).
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

function sha1(text: string): string {
  const digest = oneShot === undefined ? crypto.createHash('sha1').update(text).digest('base64') : oneShot('sha1', text, 'base64');
  // 28 base64 characters, the last one padding.
  return digest.slice(0, 27);
}
