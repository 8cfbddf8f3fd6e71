/**
 * A soak provider in a process of its own: `healthy` answers every request; `faulty` serves a
 * rotating mix of faults (500s, 503s, 429s with retry-after, resets, hangs, streams cut before
 * their first token) between normal answers, and goes down altogether for 1.5 s in every 4 (its
 * `GET /v1/models` too, so that health checks see the outage). Its request log is cleared as it
 * goes, so a long soak measures the client's memory, not the mock's; what the soak checks of the
 * client's limits is counted first: requests per second, and the most in flight at once. Asked
 * `'stats'`, it answers with them (see {@link ProviderStats}).
 */
import { startMockOpenAI, type MockReply } from 'tiered-llm/testing';

/** What a soak provider saw of the client's traffic. */
export interface ProviderStats {
  /** Model requests (chat completions) received. */
  readonly requests: number;
  /** The most model requests received in any 59 consecutive seconds (see soak.ts for why 59). */
  readonly mostIn59s: number;
  /** The most model requests being answered at once. */
  readonly peakInFlight: number;
}

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
/** Model requests received, by epoch second. */
const perSecond = new Map<number, number>();
let requests = 0;
let peakInFlight = 0;
/** Counts what arrived since the last reset, before the reset forgets it. */
const count = (): void => {
  for (const request of mock.requests) {
    if (request.model === undefined) continue;
    requests++;
    const second = Math.floor(request.receivedAt / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  peakInFlight = Math.max(peakInFlight, mock.inFlight.peak);
};
let tick = 0;
const refill = (): void => {
  count();
  mock.reset();
  if (role !== 'faulty') return;
  // Each 4 s, an outage of 1.5 s: every reply fails (the default reply), so the breakers open,
  // probe and close again as the soak runs. The rest of the time, the rotating mix.
  const outage = tick++ % 16 < 6;
  mock.setModelsReply(outage ? { status: 503 } : {});
  if (!outage) mock.enqueue('soak-mini', ...pattern);
};
refill();
const timer = setInterval(refill, 250);
process.send?.({ url: mock.url });
process.on('message', (question) => {
  if (question !== 'stats') return;
  count();
  mock.reset();
  const seconds = [...perSecond.keys()];
  let mostIn59s = 0;
  for (const last of seconds) {
    let sum = 0;
    for (let s = last - 58; s <= last; s++) sum += perSecond.get(s) ?? 0;
    mostIn59s = Math.max(mostIn59s, sum);
  }
  const stats: ProviderStats = { requests, mostIn59s, peakInFlight };
  process.send?.(stats);
});
process.on('disconnect', () => {
  clearInterval(timer);
  void mock.close().then(() => process.exit(0));
});
