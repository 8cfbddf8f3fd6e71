import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The text of the first choice of a stream of chunks, piece by piece; closing it closes the chunks. */
export function textStream(chunks: () => AsyncIterator<ChatCompletionChunk, undefined>): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => {
      const source = chunks();
      return {
        next: async (): Promise<IteratorResult<string, undefined>> => {
          for (;;) {
            const step = await source.next();
            if (step.done) return finished;
            const text = step.value.choices[0]?.delta.content;
            if (text) return { done: false, value: text };
          }
        },
        return: async (): Promise<IteratorResult<string, undefined>> => {
          await source.return?.();
          return finished;
        },
      };
    },
  };
}
