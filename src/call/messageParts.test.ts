import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkMessages, type MessageVisitor } from './messageParts.js';

type Seen = unknown[][];

// Writes down every report, in order, as [handler, ...arguments].
const recorder: MessageVisitor<Seen> = {
  message: (seen, role, name) => void seen.push(['message', role, name]),
  text: (seen, text) => void seen.push(['text', text]),
  refusal: (seen, refusal) => void seen.push(['refusal', refusal]),
  image: (seen, detail) => void seen.push(['image', detail]),
  audio: (seen) => void seen.push(['audio']),
  file: (seen) => void seen.push(['file']),
  other: (seen) => void seen.push(['other']),
  toolCall: (seen, name, input) => void seen.push(['toolCall', name, input]),
  end: (seen) => void seen.push(['end']),
};

const walk = (messages: readonly unknown[]): Seen => walkMessages(messages, recorder, []);

describe('walkMessages', () => {
  it('reports each message, then its content parts by type, then its tool calls, in order', () => {
    const messages = [
      { role: 'system', content: 'Be terse.' },
      {
        role: 'user',
        name: 'ada',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.test/a.png', detail: 'low' } },
          { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          { type: 'file', file: { file_id: 'file-1' } },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'refusal', refusal: 'I cannot.' }],
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'look', arguments: '{"at":"a.png"}' } },
          { id: 'c2', type: 'custom', custom: { name: 'grep', input: 'cat' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a cat' },
    ];
    expect(walk(messages)).toEqual([
      ['message', 'system', undefined],
      ['text', 'Be terse.'],
      ['end'],
      ['message', 'user', 'ada'],
      ['text', 'What is this?'],
      ['image', 'low'],
      ['audio'],
      ['file'],
      ['end'],
      ['message', 'assistant', undefined],
      ['refusal', 'I cannot.'],
      ['toolCall', 'look', '{"at":"a.png"}'],
      ['toolCall', 'grep', 'cat'],
      ['end'],
      ['message', 'tool', undefined],
      ['text', 'a cat'],
      ['end'],
    ]);
  });

  it('skips what is not a message, and reads junk inside a message as little as it can', () => {
    const messages = [
      null,
      42,
      'hi',
      { role: 7, name: ['x'], content: { type: 'text', text: 'not a list' }, tool_calls: 'none' },
      {
        role: 'user',
        content: [
          null,
          3,
          'text',
          { text: 'no type' },
          { type: 'video' },
          { type: 'text', text: 5 },
          { type: 'image_url', image_url: { detail: 'max' } },
        ],
        tool_calls: [null, { function: 'f' }, { function: { name: 1, arguments: { a: 1 } } }],
      },
    ];
    expect(walk(messages)).toEqual([
      ['message', undefined, undefined],
      ['end'],
      ['message', 'user', undefined],
      ...Array.from({ length: 5 }, () => ['other']),
      ['text', ''],
      ['image', undefined],
      ['toolCall', '', ''],
      ['end'],
    ]);
  });

  it('calls only the handlers a visitor has, and returns its state', () => {
    const state = { texts: 0 };
    const visitor: MessageVisitor<typeof state> = { text: (s) => void s.texts++ };
    expect(walkMessages([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url' }, 'b'] }], visitor, state)).toBe(
      state,
    );
    expect(state.texts).toBe(1);
  });
});

// Messages as a careless or hostile caller might send them: any JSON anywhere, and near-misses of real parts.
const json = fc.jsonValue({ maxDepth: 3 });
const part = fc.oneof(
  json,
  fc.record(
    { type: fc.constantFrom('text', 'image_url', 'refusal', 'input_audio', 'file', 'video'), text: json, refusal: json, image_url: json },
    { requiredKeys: ['type'] },
  ),
);
const toolCall = fc.oneof(json, fc.record({ function: json, custom: json }, { requiredKeys: [] }));
const message = fc.oneof(
  json,
  fc.record(
    { role: json, name: json, content: fc.oneof(json, fc.array(part)), tool_calls: fc.oneof(json, fc.array(toolCall)) },
    { requiredKeys: [] },
  ),
);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const partHandlers = new Set(['text', 'refusal', 'image', 'audio', 'file', 'other']);
// A fixed seed keeps the suite deterministic; a failure prints its counterexample.
const runs = { seed: 20_260_312, numRuns: 300 };

describe('walkMessages on any input', () => {
  it('never throws on any JSON value or any value at all', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(json, fc.anything())), (messages) => {
        walk(messages);
      }),
      runs,
    );
  });

  it('reports every object as a message, begun and ended, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(message), (messages) => {
        const seen = walk(messages);
        const objects = messages.filter(isObject).length;
        expect(seen.filter(([handler]) => handler === 'message')).toHaveLength(objects);
        expect(seen.filter(([handler]) => handler === 'end')).toHaveLength(objects);
      }),
      runs,
    );
  });

  it('reports one part for each element of list content, and string content as one text', () => {
    fc.assert(
      fc.property(fc.array(message), (messages) => {
        const parts = walk(messages).filter(([handler]) => partHandlers.has(String(handler))).length;
        const expected = messages
          .filter(isObject)
          .reduce((sum, m) => sum + (Array.isArray(m['content']) ? m['content'].length : typeof m['content'] === 'string' ? 1 : 0), 0);
        expect(parts).toBe(expected);
      }),
      runs,
    );
  });

  it('reports only strings as text, names, roles and tool call inputs', () => {
    fc.assert(
      fc.property(fc.array(message), (messages) => {
        for (const [, ...values] of walk(messages)) for (const value of values) expect(['string', 'undefined']).toContain(typeof value);
      }),
      runs,
    );
  });
});
