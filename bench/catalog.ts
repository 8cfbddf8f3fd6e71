import OpenAI from 'openai';
import { createTieredClient, defineCatalog } from 'tiered-llm';

// Benchmarks measure what users run, the built package: run under bench/tsconfig.json, whose empty
// `paths` keep tsx from mapping 'tiered-llm' to the sources as the root tsconfig does.
if (!import.meta.resolve('tiered-llm').includes('/dist/'))
  throw new Error(
    `bench: tiered-llm resolves to ${import.meta.resolve('tiered-llm')}, not the built package (dist): run with --tsconfig bench/tsconfig.json`,
  );

/** A one-deployment catalog on the mock, so that tiered-llm and the raw client hit the same model. */
export const benchCatalog = (url: string) =>
  defineCatalog({
    providers: { local: { apiKey: 'sk-bench', baseURL: url } },
    tiers: ['economy'],
    models: [
      {
        id: 'bench-model',
        provider: 'local',
        tier: 'economy',
        inputCostPerMTok: 0.1,
        outputCostPerMTok: 0.4,
        contextWindow: 128_000,
        capabilities: ['tools', 'vision', 'json_schema', 'json_object', 'audio', 'responses'],
      },
      { id: 'bench-embed', provider: 'local', tier: 'economy', inputCostPerMTok: 0.02, contextWindow: 8_191, capabilities: ['embeddings'] },
    ],
  });

export const messages = [{ role: 'user' as const, content: 'Tell me about benchmarks.' }];

/** What a streaming bench reads: the chunks of either client's stream. */
export type Chunks = AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>;

/** A call that reads a whole stream, for measures that only count calls. */
export const drain = (start: () => Promise<Chunks>) => async (): Promise<void> => {
  for await (const chunk of await start()) void chunk;
};

/** One call per contender: the raw openai client and tiered-llm, doing the same thing. */
export interface Pair<T> {
  readonly raw: () => Promise<T>;
  readonly tiered: () => Promise<T>;
}

/**
 * The two contenders on the mock at `url`: the raw openai client (no retries of its own) and
 * tiered-llm as shipped (cache off, one deployment); a call each way, non-streaming and streaming
 * (both ask for usage in the stream: same bytes on the wire).
 */
export function benchClients(url: string) {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(url) });
  const complete: Pair<unknown> = {
    raw: () => raw.chat.completions.create({ model: 'bench-model', messages }),
    tiered: () => tiered.chat.completions.create({ model: 'economy', messages }),
  };
  const stream: Pair<Chunks> = {
    raw: () => raw.chat.completions.create({ model: 'bench-model', messages, stream: true, stream_options: { include_usage: true } }),
    tiered: () => tiered.chat.completions.create({ model: 'economy', messages, stream: true }),
  };
  const input = 'Tell me about benchmarks.';
  const embed: Pair<unknown> = {
    raw: () => raw.embeddings.create({ model: 'bench-embed', input }),
    tiered: () => tiered.embeddings.create({ model: 'bench-embed', input }),
  };
  const respond: Pair<unknown> = {
    raw: () => raw.responses.create({ model: 'bench-model', input }),
    tiered: () => tiered.responses.create({ model: 'economy', input }),
  };
  return { complete, stream, embed, respond, close: () => tiered.close() };
}
