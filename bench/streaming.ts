/**
 * Streaming overhead against the raw openai client, in one run, interleaved, same mock (in its own
 * process), same prompt: time to first token and total stream time, as ratios.
 *   npx tsx bench/streaming.ts [iterations]
 */
import OpenAI from 'openai';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { median, percentile, startRemoteMock } from './stats.js';

export interface StreamingResult {
  readonly iterations: number;
  readonly raw: { readonly ttftMs: number; readonly totalMs: number; readonly ttftP99Ms: number };
  readonly tiered: { readonly ttftMs: number; readonly totalMs: number; readonly ttftP99Ms: number };
  readonly ttftRatio: number;
  readonly totalRatio: number;
}

type Streamer = () => Promise<AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>>;

async function measure(start: Streamer): Promise<{ ttft: number; total: number }> {
  const t0 = performance.now();
  let ttft = Number.NaN;
  for await (const chunk of await start()) {
    if (Number.isNaN(ttft) && chunk.choices[0]?.delta.content) ttft = performance.now() - t0;
  }
  return { ttft, total: performance.now() - t0 };
}

export async function benchStreaming(iterations = 400): Promise<StreamingResult> {
  const mock = await startRemoteMock();
  try {
    const messages = [{ role: 'user' as const, content: 'Tell me about benchmarks.' }];
    const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: mock.url, maxRetries: 0 });
    const catalog = defineCatalog({
      providers: { local: { apiKey: 'sk-bench', baseURL: mock.url } },
      tiers: ['economy'],
      models: [
        { id: 'bench-model', provider: 'local', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      ],
    });
    const tiered = createTieredClient({ catalog });
    // Both ask for usage, so both read the same bytes.
    const runRaw: Streamer = () =>
      raw.chat.completions.create({ model: 'bench-model', messages, stream: true, stream_options: { include_usage: true } });
    const runTiered: Streamer = () => tiered.chat.completions.create({ model: 'economy', messages, stream: true });

    for (let i = 0; i < 50; i++) await Promise.all([measure(runRaw), measure(runTiered)]); // warm-up
    const samples = { raw: { ttft: [] as number[], total: [] as number[] }, tiered: { ttft: [] as number[], total: [] as number[] } };
    for (let i = 0; i < iterations; i++) {
      // Alternate which goes first, so neither always meets a warmer (or busier) machine.
      const order = i % 2 === 0 ? (['raw', 'tiered'] as const) : (['tiered', 'raw'] as const);
      for (const which of order) {
        const { ttft, total } = await measure(which === 'raw' ? runRaw : runTiered);
        samples[which].ttft.push(ttft);
        samples[which].total.push(total);
      }
    }
    await tiered.close();
    const summary = (s: { ttft: number[]; total: number[] }) => ({
      ttftMs: median(s.ttft),
      totalMs: median(s.total),
      ttftP99Ms: percentile(s.ttft, 0.99),
    });
    const rawSummary = summary(samples.raw);
    const tieredSummary = summary(samples.tiered);
    return {
      iterations,
      raw: rawSummary,
      tiered: tieredSummary,
      ttftRatio: tieredSummary.ttftMs / rawSummary.ttftMs,
      totalRatio: tieredSummary.totalMs / rawSummary.totalMs,
    };
  } finally {
    mock.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStreaming(Number(process.argv[2] ?? 400));
  const f = (n: number) => n.toFixed(3);
  console.log(`streaming, ${result.iterations} interleaved calls each, mock in its own process`);
  console.log(
    `  time to first token  raw ${f(result.raw.ttftMs)} ms  tiered ${f(result.tiered.ttftMs)} ms  ratio ${result.ttftRatio.toFixed(3)}x  (goal <= 1.05x)`,
  );
  console.log(
    `  total stream time    raw ${f(result.raw.totalMs)} ms  tiered ${f(result.tiered.totalMs)} ms  ratio ${result.totalRatio.toFixed(3)}x  (goal <= 1.05x)`,
  );
}
