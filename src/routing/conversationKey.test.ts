import { describe, expect, it } from 'vitest';
import { conversationKey } from './conversationKey.js';

const system = { role: 'system', content: 'You are the support agent of ACME.' };
const user = { role: 'user', content: 'My parcel is late.' };

describe('conversationKey', () => {
  it('is the same for every turn of a conversation: only its opening counts', () => {
    const turn1 = conversationKey([system, user]);
    const turn3 = conversationKey([
      system,
      user,
      { role: 'assistant', content: 'Sorry!' },
      { role: 'user', content: 'Where is it?' },
      // A system message after the first user message is not part of the opening.
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Well?' },
    ]);

    expect(turn1).toMatch(/^[A-Za-z0-9+/]{27}$/);
    expect(turn3).toBe(turn1);
  });

  it('differs when the system message, the first user message or where one ends and the other begins differs', () => {
    const keys = [
      conversationKey([system, user]),
      conversationKey([{ ...system, content: 'You are a poet.' }, user]),
      conversationKey([system, { role: 'user', content: 'My parcel is early.' }]),
      conversationKey([
        { role: 'developer', content: 'ab' },
        { role: 'user', content: 'c' },
      ]),
      conversationKey([
        { role: 'developer', content: 'a' },
        { role: 'user', content: 'bc' },
      ]),
      conversationKey([user]),
    ];

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads content parts: text, and the reference of an image or a file, each part apart', () => {
    const withImage = (url: string) => [
      system,
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ];

    expect(conversationKey(withImage('https://example.com/a.png'))).not.toBe(conversationKey(withImage('https://example.com/b.png')));
    expect(conversationKey(withImage('https://example.com/a.png'))).toBe(conversationKey(withImage('https://example.com/a.png')));
    expect(
      conversationKey([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'ab' },
            { type: 'text', text: 'c' },
          ],
        },
      ]),
    ).not.toBe(
      conversationKey([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'bc' },
          ],
        },
      ]),
    );
  });

  it('hashes a long text by its length and ends: a data URL costs no more than a short prompt', () => {
    const data = (middle: string, tail: string) => `data:image/png;base64,${'A'.repeat(2_000)}${middle}${'B'.repeat(2_000)}${tail}`;
    const key = (url: string) => conversationKey([{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }]);

    expect(key(data('x', 'end1'))).not.toBe(key(data('x', 'end2')));
    expect(key(data('x', 'end1'))).not.toBe(key(data('xy', 'end1')));
    // Told apart only in the middle: one key (they only share a deployment).
    expect(key(data('x', 'end1'))).toBe(key(data('y', 'end1')));
  });

  it('is undefined for messages with neither a system nor a user message', () => {
    expect(conversationKey([{ role: 'assistant', content: 'Hi' }, 'junk', null])).toBeUndefined();
    expect(conversationKey([])).toBeUndefined();
  });
});
