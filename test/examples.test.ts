import { describe, expect, it } from 'vitest';
import { main as basic } from '../examples/basic.js';
import { main as cache } from '../examples/cache.js';
import { main as fallbackAndEvents } from '../examples/fallback-and-events.js';
import { main as logging } from '../examples/logging.js';
import { main as opentelemetry } from '../examples/opentelemetry.js';
import { main as prometheus } from '../examples/prometheus.js';
import { main as redisCache } from '../examples/redis-cache.js';
import { main as responses } from '../examples/responses.js';
import { main as routing } from '../examples/routing.js';
import { main as streaming } from '../examples/streaming.js';
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
});
