/**
 * npm run bench: tiered-llm against the raw openai client on the same mock provider (its own
 * process, loopback), in one run, interleaved. Prints the figures with their goals and writes
 * bench/RESULTS.md. Ratios, not absolute times, are what carry from one machine to another.
 *   npm run bench [-- iterations]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchCache } from './cache.js';
import { benchMemory } from './memory.js';
import { benchNonStreaming } from './nonStreaming.js';
import { benchOpenBreaker } from './openBreaker.js';
import { startRemoteMock } from './stats.js';
import { benchStreaming } from './streaming.js';
import { benchThroughput } from './throughput.js';

const iterations = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(iterations) || iterations < 1) throw new Error('bench: the iterations argument takes a positive integer');

const ms = (n: number) => `${n.toFixed(3)} ms`;
const us = (n: number) => `${n.toFixed(1)} µs`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ratio = (tiered: number, raw: number) => `${(tiered / raw).toFixed(3)}x`;
// A markdown table: the first column and goals aligned left, figures right.
const table = (header: string, rows: string[][]) => {
  const names = header.split(',');
  const rule = names.map((name, i) => (i === 0 || name === 'goal' ? '---' : '---:'));
  return [names, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
};

const mock = await startRemoteMock();
try {
  const nonStreaming = await benchNonStreaming(mock.url, iterations);
  const streaming = await benchStreaming(mock.url, iterations);
  const throughput = await benchThroughput(mock.url, Math.max(256, iterations * 2));
  const breaker = await benchOpenBreaker(mock.url, iterations);
  const cache = await benchCache(mock.url, iterations);
  const memory = await benchMemory(mock.url);

  const overhead = table(
    'measure,raw openai,tiered-llm,ratio,goal',
    [
      ['non-streaming latency, median', nonStreaming.raw.medianMs, nonStreaming.tiered.medianMs, '<= 1.05x'],
      ['non-streaming latency, p99', nonStreaming.raw.p99Ms, nonStreaming.tiered.p99Ms, '<= 1.05x'],
      ['streaming time to first token, median', streaming.raw.ttftMs, streaming.tiered.ttftMs, '<= 1.05x'],
      ['streaming time to first token, p99', streaming.raw.ttftP99Ms, streaming.tiered.ttftP99Ms, ''],
      ['streaming total time, median', streaming.raw.totalMs, streaming.tiered.totalMs, '<= 1.05x'],
      ['streaming total time, p99', streaming.raw.totalP99Ms, streaming.tiered.totalP99Ms, ''],
    ]
      .map(([name, raw, tiered, goal]) => [
        name as string,
        ms(raw as number),
        ms(tiered as number),
        ratio(tiered as number, raw as number),
        goal as string,
      ])
      .concat([
        [
          `throughput at ${throughput.concurrency} concurrent calls (calls/s, median of 8 rounds)`,
          throughput.raw.toFixed(0),
          throughput.tiered.toFixed(0),
          ratio(throughput.tiered, throughput.raw),
          '>= 0.95x',
        ],
        [
          `CPU time of the client's process per call, at ${throughput.concurrency} concurrent calls`,
          us(throughput.cpuUs.raw),
          us(throughput.cpuUs.tiered),
          ratio(throughput.cpuUs.tiered, throughput.cpuUs.raw),
          '',
        ],
      ]),
  );
  const resilience = table('measure,value,goal', [
    ['call to the healthy deployment alone, median', ms(breaker.directMs), ''],
    ['same call, first skipping a deployment whose breaker is open, median', ms(breaker.skippingMs), ''],
    [
      'cost of skipping an open breaker',
      `${us((breaker.skippingMs - breaker.directMs) * 1000)} (${ratio(breaker.skippingMs, breaker.directMs)})`,
      '',
    ],
  ]);
  const cacheTable = table('cache measure,value,goal', [
    ['hit, in process, median', us(cache.hitUs), '< 25 µs'],
    [`hit against a raw loopback call (${ms(cache.rawMs)})`, `${(cache.hitUs / 1000 / cache.rawMs).toFixed(4)}x`, ''],
    ['hit with a 100 KB prompt (hashing it), median', us(cache.bigHitUs), ''],
    ['heap per cached 1 KB answer', kib(cache.bytesPerAnswer), ''],
  ]);
  const memoryTable = table('memory,raw openai,tiered-llm', [
    ['heap of one client after its first call (one deployment; mean of 100)', kib(memory.raw.clientBytes), kib(memory.tiered.clientBytes)],
    [
      `heap growth over ${memory.calls.toLocaleString('en')} calls after a warm-up, collected`,
      kib(memory.raw.growthBytes),
      kib(memory.tiered.growthBytes),
    ],
  ]);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const versions = `node ${process.version}, openai ${(await import('openai/version')).VERSION}, tiered-llm ${(await import('tiered-llm/package.json', { with: { type: 'json' } })).default.version}`;
  const machine = `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
  const tables = `${overhead}\n\n${resilience}\n\n${cacheTable}\n\n${memoryTable}`;
  console.log(`${iterations} interleaved calls each; ${versions}; ${machine}\n\n${tables}`);
  // The tables are this run's; what follows the marker (ranges over several runs, the soak) is written by hand and kept.
  const results = new URL('./RESULTS.md', import.meta.url);
  const marker = '<!-- npm run bench rewrites everything above this line and keeps everything below it -->';
  const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
  const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n`;
  writeFileSync(
    results,
    `# Benchmark results\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${versions}; ${machine}.\n\n` +
      `Both clients call the same embedded mock provider, in its own process, on loopback, with no latency of its own: ` +
      `what is measured is pure client overhead, the worst case for a ratio. ${iterations} calls each, interleaved, after a warm-up. ` +
      `The answer is about 1 KB, streamed in 52 chunks. The cache is off except in the cache table. ` +
      `Heap growth over many calls moves by a megabyte or two either way from run to run, for both clients (connection pools, compiled code): compare the two side by side; \`npm run soak\` is the leak check, over 50,000 calls.\n\n${tables}\n\n${kept}`,
  );
} finally {
  await mock.stop();
}
