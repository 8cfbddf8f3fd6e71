/**
 * OpenTelemetry: a span per call with a child span per try (GenAI semantic conventions), and the
 * duration, token and cost metrics. Here the spans go to an in-memory exporter and are printed;
 * in an app, register your SDK's providers globally and call `instrumentOpenTelemetry(client)`.
 *   npx tsx examples/opentelemetry.ts
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { instrumentOpenTelemetry } from 'tiered-llm/otel';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  // The economy model is down: its try fails, the warm tier answers.
  const mock = await startMockOpenAI({ models: { 'gpt-4o-mini': { status: 503 }, 'gpt-4.1': { content: 'Traced.' } } });
  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'warm'],
    models: [
      { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'gpt-4.1', provider: 'openai', tier: 'warm', inputCostPerMTok: 2, outputCostPerMTok: 8, contextWindow: 1_000_000 },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0 } });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const uninstrument = instrumentOpenTelemetry(client, { tracerProvider });

  await client.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content: 'Trace me.' }] });

  // Spans finish children first: print the call, then its tries in the order they started.
  const started = (span: (typeof finished)[number]) => span.startTime[0] * 1e9 + span.startTime[1];
  const finished = spans.getFinishedSpans();
  for (const span of [...finished].sort(
    (x, y) => Number(x.parentSpanContext !== undefined) - Number(y.parentSpanContext !== undefined) || started(x) - started(y),
  )) {
    const a = span.attributes;
    const indent = span.parentSpanContext === undefined ? '' : '  ';
    const outcome = a['error.type'] === undefined ? `${a['gen_ai.usage.output_tokens'] ?? '-'} output tokens` : `error ${a['error.type']}`;
    log(`${indent}${span.name} [${a['gen_ai.provider.name']}] ${outcome}`);
  }

  uninstrument();
  await tracerProvider.shutdown();
  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
