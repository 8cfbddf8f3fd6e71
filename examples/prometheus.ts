/**
 * A Prometheus endpoint fed from the client's events (prom-client): calls, cost, savings and
 * latency by tier and model, on http://127.0.0.1:<port>/metrics. Runs on the embedded mock:
 *   npx tsx examples/prometheus.ts
 */
import { createServer } from 'node:http';
import { Counter, Histogram, Registry } from 'prom-client';
import { createTieredClient, defineCatalog, type TieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

/** Wires a client's events into a prom-client registry; returns the function that unwires them. */
export function exportToPrometheus(client: TieredClient, registry: Registry): () => void {
  const labelNames = ['tier', 'model', 'provider', 'cached'] as const;
  const calls = new Counter({ name: 'llm_calls_total', help: 'Calls answered', labelNames, registers: [registry] });
  const failures = new Counter({ name: 'llm_call_failures_total', help: 'Calls that failed', registers: [registry] });
  const cost = new Counter({ name: 'llm_cost_usd_total', help: 'Spend at catalog prices', labelNames, registers: [registry] });
  const saved = new Counter({ name: 'llm_saved_usd_total', help: 'Saved by the cache', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'llm_call_duration_seconds',
    help: 'Call latency',
    labelNames,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const offs = [
    client.on('request:end', (e) => {
      const labels = { tier: e.tier, model: e.model, provider: e.provider, cached: String(e.cached) };
      calls.inc(labels);
      cost.inc(labels, e.costUsd);
      saved.inc(labels, e.savedUsd);
      latency.observe(labels, e.latencyMs / 1000);
    }),
    client.on('request:error', () => failures.inc()),
  ];
  return () => offs.forEach((off) => off());
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({ models: { mini: { latencyMs: 5 } } });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy'],
    models: [{ id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 }],
  });
  const client = createTieredClient({ catalog, cache: {} });
  const registry = new Registry();
  const unwire = exportToPrometheus(client, registry);
  const server = createServer(
    (_request, res) => void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  for (let i = 0; i < 3; i++) await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Hello?' }] });
  const scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const line of scraped.split('\n')) if (line.startsWith('llm_calls_total{')) log(line);

  unwire();
  await new Promise((resolve) => server.close(resolve));
  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
