import { describe, expect, it } from 'vitest';
import { main as basic } from '../examples/basic.js';
import { main as cache } from '../examples/cache.js';
import { main as embeddings } from '../examples/embeddings.js';
import { main as fallbackAndEvents } from '../examples/fallback-and-events.js';
import { main as fleet } from '../examples/fleet.js';
import { main as logging } from '../examples/logging.js';
import { main as openaiDropIn } from '../examples/openai-drop-in.js';
import { main as opentelemetry } from '../examples/opentelemetry.js';
import { main as prometheus } from '../examples/prometheus.js';
import { main as redisCache } from '../examples/redis-cache.js';
import { main as responses } from '../examples/responses.js';
import { main as routeHandler } from '../examples/route-handler.js';
import { main as routing } from '../examples/routing.js';
import { main as streaming } from '../examples/streaming.js';
import { main as structuredOutput } from '../examples/structured-output.js';
import { main as toolLoop } from '../examples/tool-loop.js';
import { noRedisServer, startRedis } from './support/redisServer.js';

// The examples are documentation: running them here keeps them from rotting.
const run = async (main: (log: (line: string) => void) => Promise<void>): Promise<string[]> => {
  const lines: string[] = [];
  await main((line) => lines.push(line));
  return lines;
};

describe('examples', () => {
  it('basic.ts answers from the economy tier and prices the call', async () => {
    const lines = await run(basic);

    expect(lines[0]).toBe('answer: Paris.');
    expect(lines[1]).toMatch(/^model: openai\/gpt-4o-mini \(economy\), cost: \$0\.0000\d+, tries: 1$/);
  });

  it('fallback-and-events.ts escalates to the hot tier and reports every step', async () => {
    const lines = await run(fallbackAndEvents);

    expect(lines).toEqual([
      '  cheap-model: rate_limited (429)',
      '  fallback cheap-model -> mid-model (rate_limited)',
      expect.stringMatching(/^ {2}mid-model: server_error \(503\), retrying in \d+ ms$/),
      '  mid-model: server_error (503)',
      '  fallback mid-model -> best-model (server_error)',
      expect.stringMatching(/^ {2}done on best-model in 4 tries, \$0\.\d{6}$/),
      'answer: Answered by the hot tier.',
      expect.stringMatching(/^failed: ALL_MODELS_FAILED, 1 try, hint: /),
    ]);
  });

  it('fleet.ts skips a region its health check found dead, keeps to a quota and a region, refuses an unknown one', async () => {
    const lines = await run(fleet);

    expect(lines).toEqual([
      'health: apac down (server_error)',
      'turn 1: eu (skipped: apac breaker_open)',
      'turn 2: eu (skipped: apac breaker_open)',
      'turn 3: eu (skipped: apac breaker_open)',
      'turn 4: us (skipped: apac breaker_open, eu rate_limited)',
      'apac received 0 chat requests',
      'in the EU only: AllModelsFailedError',
      'refused: options.region: unknown region "mars"',
    ]);
  });

  it('streaming.ts falls back before the first token, streams, and shows an interruption', async () => {
    let out = '';
    await streaming((text) => (out += text));

    const story = 'Once upon a time, a request found the cheapest model that could answer it.';
    expect(out.split('\n')).toEqual([
      story,
      story,
      expect.stringMatching(/^eu\/fast-model: \d+ tokens, \$0\.\d{8}$/),
      `interrupted after: "${story.slice(0, 24)}"`,
      '',
    ]);
  });

  it('responses.ts falls back, pins the follow-up to the deployment that answered, and streams', async () => {
    const lines = await run(responses);

    expect(lines).toEqual([
      expect.stringMatching(/^ {2}responses on eu\/smart-model: \$0\.\d{6}$/),
      'answer: Paris.',
      expect.stringMatching(/^ {2}responses on eu\/smart-model: \$0\.\d{6}$/),
      'follow-up: About 2.1 million people.',
      expect.stringMatching(/^ {2}responses on us\/smart-model: \$0\.\d{6}$/),
      'streamed: Streamed, event by event.',
    ]);
  });

  it('cache.ts answers repeats for free, coalesces a burst, and keeps tenants apart', async () => {
    const lines = await run(cache);

    expect(lines).toEqual([
      expect.stringMatching(/^first: {2}cached=false cost=\$0\.0000\d\d$/),
      expect.stringMatching(/^second: cached=true cost=\$0\.000000 saved=\$0\.0000\d\d$/),
      'burst of 10 identical calls: 1 upstream call',
      'another tenant: cached=false',
      'provider saw 3 requests for 13 calls',
    ]);
  });

  it('routing.ts routes by difficulty, by context window and by budget', async () => {
    const lines = await run(routing);

    expect(lines).toEqual([
      expect.stringMatching(/^ {2}route: economy \(heuristic: /),
      expect.stringMatching(/^mini answered for \$0\.\d{6}$/),
      expect.stringMatching(/^ {2}route: hot \(heuristic: .*code/),
      expect.stringMatching(/^best answered for \$0\.\d{6}$/),
      'a long document went to mid',
      'refused: could cost $1.00, limit $0.05',
    ]);
  });

  it('prometheus.ts serves the calls on a /metrics endpoint', async () => {
    const lines = await run(prometheus);

    expect(lines).toEqual([
      'llm_calls_total{tier="economy",model="mini",provider="local",cached="false"} 1',
      'llm_calls_total{tier="economy",model="mini",provider="local",cached="true"} 2',
    ]);
  });

  it('logging.ts writes one structured line per call and per fallback', async () => {
    const out: string[] = [];
    await logging((line) => out.push(line));

    const records = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({ level: 40, msg: 'llm fallback', from: 'local/flaky', to: 'local/steady', reason: 'server_error' }),
      expect.objectContaining({ level: 30, msg: 'llm call', tier: 'hot', model: 'steady', tries: 2, cached: false }),
    ]);
  });

  it.skipIf(noRedisServer)('redis-cache.ts shares one answer between two machines through Redis', async () => {
    const lines: string[] = [];
    const redis = await startRedis();
    await redisCache((line) => lines.push(line), redis.url).finally(() => redis.stop());

    expect(lines).toEqual([
      expect.stringMatching(/^machine a: cached=false cost=\$0\.0000\d\d$/),
      expect.stringMatching(/^machine b: cached=true cost=\$0\.000000 saved=\$0\.0000\d\d$/),
      'upstream calls: 1',
    ]);
  });

  it('opentelemetry.ts traces a call and each of its attempts', async () => {
    const lines = await run(opentelemetry);

    expect(lines).toEqual([
      'chat economy [openai] 2 output tokens',
      '  chat gpt-4o-mini [openai] error server_error',
      '  chat gpt-4.1 [openai] 2 output tokens',
    ]);
  });

  it('structured-output.ts parses a zod schema through parse(), escalating past an answer that is not JSON', async () => {
    const lines = await run(structuredOutput);

    expect(lines).toEqual([
      '  gpt-4o-mini -> gpt-4o (invalid_json)',
      expect.stringMatching(/^ {2}answered by gpt-4o \(hot\) in 2 tries, \$0\.\d{6}$/),
      'parsed: Paris, 21 C, clear',
    ]);
  });

  it('tool-loop.ts runs each round of runTools() as a routed call, priced on its own', async () => {
    const lines = await run(toolLoop);

    expect(lines).toEqual([
      expect.stringMatching(/^round 1: gpt-4o-mini \(economy\), tool_calls, 2 tries, \$0\.\d{8}$/),
      '  get_weather(Oslo)',
      expect.stringMatching(/^round 2: gpt-4o-mini \(economy\), stop, 1 try, \$0\.\d{8}$/),
      'answer: It is 4 C in Oslo.',
      expect.stringMatching(/^2 rounds, \$0\.\d{8} in all$/),
    ]);
    const cost = (line: string) => Number(/\$([\d.]+)/.exec(line)![1]);
    expect(cost(lines[4]!)).toBeCloseTo(cost(lines[0]!) + cost(lines[2]!), 8);
  });

  it("route-handler.ts streams a routed completion from POST to openai's ChatCompletionStream, and answers 503 when all fail", async () => {
    const lines = await run(routeHandler);

    expect(lines).toEqual([
      'server: us/fast-model -> eu/fast-model (connection_error)',
      'status: 200 application/x-ndjson',
      expect.stringMatching(/^server: answered by eu\/fast-model, \$0\.\d{8}$/),
      'browser: 6 deltas, "Streamed from the route handler."',
      // Conversation affinity: the same conversation tries eu, where it was answered, first.
      'server: eu/fast-model -> us/fast-model (server_error)',
      'status: 503 {"error":"ALL_MODELS_FAILED"}',
    ]);
  });

  it('openai-drop-in.ts passes the client to code typed for OpenAI, passes unknown models through, and lists models', async () => {
    const lines = await run(openaiDropIn);

    expect(lines).toEqual([
      'instanceof OpenAI: true',
      expect.stringMatching(/^ {2}local\/llama-3\.1-8b \(tier economy\), \$0\.0000\d{4}$/),
      'summary: Tiers save money.',
      '  openai/gpt-4.1-nano (tier passthrough), $0.00000000',
      'summary: Summarized by a model the catalog does not list.',
      'models of openai: gpt-4o, gpt-4.1-nano',
    ]);
  });

  it('embeddings.ts falls back to the same model in another region, caches, and never answers with another model', async () => {
    const lines = await run(embeddings);

    expect(lines).toEqual([
      '  fallback: text-embedding-3-small in the next region (server_error)',
      '  embeddings: eu/text-embedding-3-small, 11 tokens, $0.00000022',
      '2 vectors of 256 dimensions',
      '  embeddings: eu/text-embedding-3-small, 11 tokens, $0.00000000, cached',
      '  fallback: text-embedding-3-small in the next region (server_error)',
      'failed over us, eu: 0 calls to another model',
    ]);
  });
});
