/**
 * A soak provider in a process of its own: `healthy` answers every request; `faulty` serves a
 * rotating mix of faults (500s, 503s, 429s with retry-after, resets, hangs, streams cut before
 * their first token) between normal answers, and goes down altogether for 1.5 s in every 4. Its request log is cleared as it goes, so a long
 * soak measures the client's memory, not the mock's.
 */
import { startMockOpenAI, type MockReply } from 'tiered-llm/testing';

const role = process.argv[2];
if (role !== 'healthy' && role !== 'faulty') throw new Error(`soakProvider: unknown role ${role}`);

const answer: MockReply = { content: 'A soak answer: short, complete, and the same every time.', latencyMs: 2, chunkChars: 16 };
// Six faults in fifteen replies (the cut only breaks streams): often enough that every call may meet
// several, seldom enough that the breakers (opening at 50% failures) mostly stay closed and the
// faults keep reaching the client, rather than a breaker that is open all along.
const faults: MockReply[] = [
  answer,
  { status: 500 },
  answer,
  { status: 429, headers: { 'retry-after-ms': '50' } },
  answer,
  { fault: 'reset' },
  answer,
  answer,
  { fault: 'hang' },
  answer,
  { ...answer, cutAfterChunks: 0 },
  answer,
  { status: 503, latencyMs: 20 },
  answer,
  answer,
];
const pattern = Array.from({ length: 3_000 }, (_, i) => faults[i % faults.length]!);

const mock = await startMockOpenAI({ defaultReply: role === 'healthy' ? answer : { status: 500 } });
let tick = 0;
const refill = (): void => {
  mock.reset();
  if (role !== 'faulty') return;
  // Each 4 s, an outage of 1.5 s: every reply fails (the default reply), so the breakers open,
  // probe and close again as the soak runs. The rest of the time, the rotating mix.
  const outage = tick++ % 16 < 6;
  if (!outage) mock.enqueue('soak-mini', ...pattern);
};
refill();
const timer = setInterval(refill, 250);
process.send?.({ url: mock.url });
process.on('disconnect', () => {
  clearInterval(timer);
  void mock.close().then(() => process.exit(0));
});
