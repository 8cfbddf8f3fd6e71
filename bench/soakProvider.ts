/**
 * A soak provider in a process of its own: `healthy` answers every request; `faulty` serves a
 * rotating mix of faults (500s, 503s, 429s with retry-after, resets, hangs, streams cut before
 * their first token) between normal answers. Its request log is cleared as it goes, so a long
 * soak measures the client's memory, not the mock's.
 */
import { startMockOpenAI, type MockReply } from 'tiered-llm/testing';

const role = process.argv[2];
if (role !== 'healthy' && role !== 'faulty') throw new Error(`soakProvider: unknown role ${role}`);

const answer: MockReply = { content: 'A soak answer: short, complete, and the same every time.', latencyMs: 2, chunkChars: 16 };
const faults: MockReply[] = [
  { status: 500 },
  answer,
  { status: 429, headers: { 'retry-after-ms': '50' } },
  { fault: 'reset' },
  answer,
  { status: 503, latencyMs: 20 },
  { fault: 'hang' },
  { ...answer, cutAfterChunks: 0 },
  { status: 429, headers: { 'retry-after': '0' } },
  answer,
];
const pattern = Array.from({ length: 2_000 }, (_, i) => faults[i % faults.length]!);

const mock = await startMockOpenAI({ defaultReply: role === 'healthy' ? answer : { status: 500 } });
const refill = (): void => {
  mock.reset();
  if (role === 'faulty') mock.enqueue('soak-mini', ...pattern);
};
refill();
const timer = setInterval(refill, 250);
process.send?.({ url: mock.url });
process.on('disconnect', () => {
  clearInterval(timer);
  void mock.close().then(() => process.exit(0));
});
