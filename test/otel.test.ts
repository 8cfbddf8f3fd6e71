import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentOpenTelemetry } from '../src/otel/index.js';
import { ask, startFleet, type Fleet } from './fleet.js';

/** Metrics read on demand, for assertions. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let fleet: Fleet;
let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let reader: TestReader;
let meterProvider: MeterProvider;
beforeEach(async () => {
  fleet = await startFleet();
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  reader = new TestReader();
  meterProvider = new MeterProvider({ readers: [reader] });
});
afterEach(async () => {
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  await fleet.close();
});

const metricsOf = async (): Promise<ResourceMetrics> => (await reader.collect()).resourceMetrics;
const metric = (all: ResourceMetrics, name: string) => all.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);

describe('instrumentOpenTelemetry()', () => {
  it('makes a span per call with a child span per attempt, in the GenAI conventions', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { usage: { promptTokens: 12, completionTokens: 5 } });

    await client.tieredChat({ model: 'economy', messages: ask() });
    stop();

    const finished = spans.getFinishedSpans();
    const call = finished.find((s) => s.name === 'chat economy')!;
    const tries = finished.filter((s) => s.name === 'chat eco-mini');
    expect(tries).toHaveLength(2);
    expect(tries.every((t) => t.parentSpanContext?.spanId === call.spanContext().spanId)).toBe(true);
    expect(tries[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'primary',
      'error.type': 'server_error',
      'server.address': '127.0.0.1',
    });
    expect(tries[0]!.status.code).toBe(2); // ERROR
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'secondary',
      'gen_ai.request.model': 'eco-mini',
      'gen_ai.response.model': 'eco-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(call.attributes['gen_ai.input.messages']).toBeUndefined();
  });

  it('records the GenAI client metrics and the cost', async () => {
    const client = fleet.client();
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });
    fleet.primary.setReply('eco-mini', { usage: { promptTokens: 1_000, completionTokens: 100 } });

    await client.tieredChat({ model: 'economy', messages: ask() });
    stop();

    const all = await metricsOf();
    const usage = metric(all, 'gen_ai.client.token.usage')!;
    const byType = Object.fromEntries(usage.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], (p.value as { sum: number }).sum]));
    expect(byType).toEqual({ input: 1_000, output: 100 });
    expect(metric(all, 'gen_ai.client.operation.duration')?.dataPoints).toHaveLength(1);
    expect((metric(all, 'tiered_llm.client.cost')?.dataPoints[0]?.value as number) ?? 0).toBeCloseTo((1_000 * 0.1 + 100 * 0.4) / 1e6, 12);
  });

  it("names the spans and every metric point after the call's operation: a chat call is chat, on the Chat Completions API", async () => {
    const client = fleet.client();
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });
    const chat = { 'gen_ai.operation.name': 'chat', 'openai.api.type': 'chat_completions' };

    await client.tieredChat({ model: 'economy', messages: ask() });
    stop();

    expect(spans.getFinishedSpans().map((s) => [s.name, s.attributes])).toEqual([
      ['chat eco-mini', expect.objectContaining(chat)],
      ['chat economy', expect.objectContaining(chat)],
    ]);
    const all = await metricsOf();
    const attributes = ['gen_ai.client.operation.duration', 'gen_ai.client.token.usage', 'tiered_llm.client.cost'].flatMap((name) =>
      (metric(all, name)?.dataPoints ?? []).map((p: { attributes: object }) => p.attributes),
    );
    expect(attributes).toHaveLength(4); // one duration, input and output tokens, one cost
    expect(attributes).toEqual(attributes.map(() => expect.objectContaining(chat)));
  });

  it('names an embeddings call embeddings, in its spans and metric points', async () => {
    await fleet.close();
    fleet = await startFleet({ embeddings: true });
    const client = fleet.client();
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });

    await client.embeddings.create({ model: 'embed-small', input: 'hello' });
    stop();

    expect(spans.getFinishedSpans().map((s) => [s.name, s.attributes['gen_ai.operation.name']])).toEqual([
      ['embeddings embed-small', 'embeddings'],
      ['embeddings embed-small', 'embeddings'],
    ]);
    const cost = metric(await metricsOf(), 'tiered_llm.client.cost')?.dataPoints ?? [];
    expect(cost.map((p: { attributes: object }) => p.attributes)).toEqual([
      expect.objectContaining({ 'gen_ai.operation.name': 'embeddings' }),
    ]);
  });

  it('records each feedback as a score in tiered_llm.feedback.score, by operation, provider, model, tier and label', async () => {
    const client = fleet.client();
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });
    const economy = await client.tieredChat({ model: 'economy', messages: ask() });
    const warm = await client.tieredChat({ model: 'warm', messages: ask() });

    client.feedback(economy.requestId, { score: 0.25, label: 'tone' });
    client.feedback(warm.requestId, { thumbs: 'up' });
    client.feedback('unknown', { thumbs: 'down' });
    stop();

    const points = metric(await metricsOf(), 'tiered_llm.feedback.score')!.dataPoints;
    const byModel = Object.fromEntries(
      points.map((p) => [p.attributes['gen_ai.request.model'], { ...p.attributes, sum: (p.value as { sum: number }).sum }]),
    );
    expect(byModel).toEqual({
      'eco-mini': {
        'gen_ai.operation.name': 'chat',
        'openai.api.type': 'chat_completions',
        'gen_ai.provider.name': 'primary',
        'gen_ai.request.model': 'eco-mini',
        'tiered_llm.tier': 'economy',
        'tiered_llm.feedback.label': 'tone',
        sum: 0.25,
      },
      'warm-std': {
        'gen_ai.operation.name': 'chat',
        'openai.api.type': 'chat_completions',
        'gen_ai.provider.name': 'primary',
        'gen_ai.request.model': 'warm-std',
        'tiered_llm.tier': 'warm',
        sum: 1,
      },
    });
  });

  it('records a failed call as an error, and puts content on spans only when asked', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 }, telemetry: { captureContent: true } });
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider, captureContent: true });
    fleet.primary.setReply('eco-mini', { status: 400 });

    await client.tieredChat({ model: 'economy', messages: ask('secret prompt') }).catch(() => undefined);
    stop();

    const call = spans.getFinishedSpans().find((s) => s.name === 'chat economy')!;
    expect(call.status.code).toBe(2);
    expect(call.attributes['error.type']).toBe('BadRequestError');
    expect(String(call.attributes['gen_ai.input.messages'])).toContain('secret prompt');
  });

  it('stops when the returned function is called', async () => {
    const client = fleet.client();
    const stop = instrumentOpenTelemetry(client, { tracerProvider, meterProvider });
    stop();

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(spans.getFinishedSpans()).toHaveLength(0);
    expect(client.events.listenerCount('request:start')).toBe(0);
    expect(client.events.listenerCount('feedback')).toBe(0);
  });
});
