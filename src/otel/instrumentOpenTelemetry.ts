import { context, metrics, SpanKind, SpanStatusCode, trace, type MeterProvider, type Span, type TracerProvider } from '@opentelemetry/api';
import type { TieredClient } from '../client/TieredClient.js';
import type { Catalog } from '../catalog/types.js';
import { operationAttributes, type OperationAttributes } from './operationAttributes.js';

/** Options of `instrumentOpenTelemetry`. */
export interface OpenTelemetryOptions {
  /** @default the global tracer provider */
  readonly tracerProvider?: TracerProvider;
  /** @default the global meter provider */
  readonly meterProvider?: MeterProvider;
  /** Put prompts and answers on spans (`gen_ai.input.messages`, `gen_ai.output.messages`). Needs the client's `telemetry.captureContent` too. @default false */
  readonly captureContent?: boolean;
}

interface Flight {
  readonly span: Span;
  /** `gen_ai.operation.name` (and `openai.api.type`) of the call. */
  readonly operation: OperationAttributes;
  attempt: Span | undefined;
  attemptStartedAt: number;
  attemptModel: string | undefined;
  attemptProvider: string | undefined;
  readonly requested: string;
}

const scope = 'tiered-llm';

/**
 * Instruments a client with OpenTelemetry, after the GenAI semantic conventions: a span per call
 * (`<operation> <model field>`) with a child span per attempt (`<operation> <model id>`), where the
 * operation is `chat` or `embeddings` (a Responses API call is `chat` with `openai.api.type:
 * 'responses'`, as the conventions' OpenAI inference span has it), the client metrics
 * `gen_ai.client.operation.duration` and `gen_ai.client.token.usage`, a cost counter
 * `tiered_llm.client.cost` (USD), and a histogram of the scores of `client.feedback()`,
 * `tiered_llm.feedback.score` (0 to 1; a replaced feedback stays recorded), by provider, model, tier
 * and label. Built on `client.events`; returns the function that removes it.
 */
export function instrumentOpenTelemetry<C extends Catalog>(client: TieredClient<C>, options: OpenTelemetryOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(scope);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(scope);
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's', description: 'GenAI operation duration' });
  const tokens = meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    description: 'Number of input and output tokens used',
  });
  const cost = meter.createCounter('tiered_llm.client.cost', { unit: 'USD', description: 'What the calls cost at the catalog prices' });
  const feedback = meter.createHistogram('tiered_llm.feedback.score', {
    unit: '1',
    description: 'Scores given to answers with client.feedback(), from 0 to 1 (thumbs up 1, down 0)',
    advice: { explicitBucketBoundaries: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] },
  });
  const servers = serverAddresses(client.catalog);
  const flights = new Map<string, Flight>();
  const capture = options.captureContent === true;

  const endAttempt = (flight: Flight, error?: { code: string; message: string }): void => {
    const span = flight.attempt;
    if (span === undefined) return;
    if (error !== undefined) {
      span.setAttribute('error.type', error.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    span.end();
    flight.attempt = undefined;
  };

  const offs = [
    client.on('request:start', (e) => {
      const operation = operationAttributes(e.operation);
      const span = tracer.startSpan(`${operation['gen_ai.operation.name']} ${e.requested}`, {
        kind: SpanKind.INTERNAL,
        attributes: { ...operation, 'gen_ai.request.model': e.requested, 'tiered_llm.stream': e.stream },
      });
      if (capture && e.messages !== undefined) span.setAttribute('gen_ai.input.messages', JSON.stringify(e.messages));
      flights.set(e.requestId, {
        span,
        operation,
        attempt: undefined,
        attemptStartedAt: 0,
        attemptModel: undefined,
        attemptProvider: undefined,
        requested: e.requested,
      });
    }),
    client.on('attempt:start', (e) => {
      const flight = flights.get(e.requestId);
      if (flight === undefined) return;
      endAttempt(flight);
      const server = servers.get(e.provider);
      flight.attempt = tracer.startSpan(
        `${flight.operation['gen_ai.operation.name']} ${e.model}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            ...flight.operation,
            'gen_ai.provider.name': e.provider,
            'gen_ai.request.model': e.model,
            'tiered_llm.tier': e.tier,
            'tiered_llm.attempt': e.attempt,
            ...(server === undefined ? {} : { 'server.address': server.address, 'server.port': server.port }),
          },
        },
        trace.setSpan(context.active(), flight.span),
      );
      flight.attemptStartedAt = performance.now();
      flight.attemptModel = e.model;
      flight.attemptProvider = e.provider;
    }),
    client.on('attempt:error', (e) => {
      const flight = flights.get(e.requestId);
      if (flight === undefined) return;
      const seconds = (performance.now() - flight.attemptStartedAt) / 1000;
      duration.record(seconds, {
        ...flight.operation,
        'gen_ai.provider.name': e.provider,
        'gen_ai.request.model': e.model,
        'error.type': e.error.code,
      });
      endAttempt(flight, e.error);
    }),
    client.on('request:end', (e) => {
      const flight = flights.get(e.requestId);
      if (flight === undefined) return;
      flights.delete(e.requestId);
      const attributes = {
        ...flight.operation,
        'gen_ai.provider.name': e.provider,
        'gen_ai.request.model': e.model,
        'gen_ai.response.model': e.model,
      };
      for (const span of [flight.attempt, flight.span]) {
        span?.setAttributes({
          ...attributes,
          'gen_ai.usage.input_tokens': e.usage.inputTokens,
          'gen_ai.usage.output_tokens': e.usage.outputTokens,
          'gen_ai.response.finish_reasons': [...e.finishReasons],
          'tiered_llm.cost_usd': e.costUsd,
          'tiered_llm.cached': e.cached,
        });
      }
      if (capture && e.text !== undefined)
        flight.span.setAttribute('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', content: e.text }]));
      if (flight.attempt !== undefined) duration.record((performance.now() - flight.attemptStartedAt) / 1000, attributes);
      endAttempt(flight);
      flight.span.end();
      tokens.record(e.usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
      tokens.record(e.usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
      cost.add(e.costUsd, {
        ...flight.operation,
        'gen_ai.provider.name': e.provider,
        'gen_ai.request.model': e.model,
        'tiered_llm.tier': e.tier,
      });
    }),
    client.on('request:error', (e) => {
      const flight = flights.get(e.requestId);
      if (flight === undefined) return;
      flights.delete(e.requestId);
      const type = errorType(e.error);
      endAttempt(flight, flight.attempt === undefined ? undefined : { code: type, message: message(e.error) });
      flight.span.setAttribute('error.type', type);
      flight.span.setStatus({ code: SpanStatusCode.ERROR, message: message(e.error) });
      flight.span.end();
      if (e.costUsd > 0) cost.add(e.costUsd, { ...flight.operation, 'gen_ai.request.model': flight.requested });
    }),
    client.on('feedback', (e) => {
      feedback.record(e.score, {
        ...operationAttributes(e.operation),
        'gen_ai.provider.name': e.provider,
        'gen_ai.request.model': e.model,
        'tiered_llm.tier': e.tier,
        ...(e.label === undefined ? {} : { 'tiered_llm.feedback.label': e.label }),
      });
    }),
  ];

  return () => {
    for (const off of offs) off();
    for (const flight of flights.values()) {
      endAttempt(flight);
      flight.span.end();
    }
    flights.clear();
  };
}

function serverAddresses(catalog: Catalog): Map<string, { address: string; port: number }> {
  const out = new Map<string, { address: string; port: number }>();
  for (const [name, provider] of Object.entries(catalog.providers)) {
    const base = provider.client?.baseURL ?? provider.baseURL ?? 'https://api.openai.com/v1';
    try {
      const url = new URL(base);
      out.set(name, { address: url.hostname, port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port) });
    } catch {
      // An address that is not a URL: no server attributes.
    }
  }
  return out;
}

function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  return error instanceof Error ? error.constructor.name : '_OTHER';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
