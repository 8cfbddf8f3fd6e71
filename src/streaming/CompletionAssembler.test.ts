import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { CompletionAssembler } from './CompletionAssembler.js';

const chunk = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices,
});

describe('CompletionAssembler', () => {
  it('assembles content, tool calls and log probabilities as a non-streaming call returns them', () => {
    const assembler = new CompletionAssembler();
    const logprob = (token: string) => ({ token, logprob: -0.1, bytes: null, top_logprobs: [] });
    assembler.add(
      chunk([
        {
          index: 0,
          delta: { role: 'assistant', content: 'Hel' },
          finish_reason: null,
          logprobs: { content: [logprob('Hel')], refusal: null },
        },
      ]),
    );
    assembler.add(
      chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: null, logprobs: { content: [logprob('lo')], refusal: null } }]),
    );
    assembler.add(
      chunk([
        { index: 0, delta: { tool_calls: [{ index: 0, id: 't1', function: { name: 'get_', arguments: '{"a"' } }] }, finish_reason: null },
      ]),
    );
    assembler.add(
      chunk([
        { index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'weather', arguments: ':1}' } }] }, finish_reason: 'tool_calls' },
      ]),
    );

    const [choice] = assembler.completion().choices;

    expect(choice?.message).toMatchObject({
      content: 'Hello',
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"a":1}' } }],
    });
    expect(choice?.logprobs?.content?.map((l) => l.token)).toEqual(['Hel', 'lo']);
    expect(assembler.finished).toBe(true);
  });

  it('is finished only when every expected choice has its finish reason, none missing', () => {
    const assembler = new CompletionAssembler(2);
    assembler.add(chunk([{ index: 1, delta: { content: 'b' }, finish_reason: 'stop' }]));
    expect(assembler.finished).toBe(false); // choice 0 never came
    assembler.add(chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }]));
    expect(assembler.finished).toBe(false);
    assembler.add(chunk([{ index: 0, delta: {}, finish_reason: 'length' }]));
    expect(assembler.finished).toBe(true);
  });
});
