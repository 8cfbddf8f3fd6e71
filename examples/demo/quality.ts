import { JUDGE_RUBRIC, type ShadowDropReason, type TieredChatResult, type TieredClient, type TieredMetrics } from 'tiered-llm';
import type { MockOpenAI, MockReply, MockRequest } from 'tiered-llm/testing';

/**
 * How the mock gpt-4o grades each cheaper model's answer when it judges a shadow: a fixed table, so
 * that the demo shows the gap the shadow sampling is there to measure, the same on every run.
 */
const shadowGrades: Readonly<Record<string, number>> = { 'gpt-4.1-nano': 0.6, 'gpt-4o-mini': 0.75, 'gpt-4.1': 0.9 };

/**
 * The mock gpt-4o's replies: a judge's request (the rubric as its system message) gets the grade of
 * the model named in the answer (the mocks answer "Hello from <model>."); any other request, an answer.
 */
export function judgingReply(answer: MockReply): (request: MockRequest) => MockReply {
  return (request) => {
    const messages = (request.body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
    if (messages[0]?.role !== 'system' || messages[0].content !== JUDGE_RUBRIC) return answer;
    const graded = String(messages[1]?.content ?? '').match(/<answer>\nHello from (.+?)\.\n<\/answer>/)?.[1];
    return { ...answer, content: JSON.stringify({ score: shadowGrades[graded ?? ''] ?? 0, reason: 'graded by the demo table' }) };
  };
}

/** The share of thumbs up the demo's simulated users give each tier's answers. */
const thumbsUpRate: Readonly<Record<string, number>> = { economy: 0.7, cold: 0.8, warm: 0.9, hot: 0.95 };

/**
 * A simulated stream of user feedback: every second answered call gets a thumb, up at its tier's
 * rate, spread evenly (the k-th thumb of a tier is down when the running total of the down rate
 * crosses an integer: up, up, up, down, ... at 70 %), so a run gives the same thumbs for the same answers.
 */
export class FeedbackStream {
  readonly #client: TieredClient;
  readonly #given = new Map<string, number>();
  sent = 0;

  constructor(client: TieredClient) {
    this.#client = client;
  }

  /** The `i`-th call of the workload was answered with `result`. */
  answered(i: number, result: TieredChatResult): void {
    if (i % 2 !== 0) return;
    const down = 1 - (thumbsUpRate[result.tier] ?? 0.5);
    const k = this.#given.get(result.tier) ?? 0;
    this.#given.set(result.tier, k + 1);
    const thumbs = Math.floor((k + 1) * down) > Math.floor(k * down) ? 'down' : 'up';
    if (this.#client.feedback(result.requestId, { thumbs })) this.sent++;
  }
}

/** What the shadow sampling did, from its events: its spend is its own, never in the callers' cost. */
export class ShadowTally {
  scored = 0;
  costUsd = 0;
  readonly dropped = new Map<ShadowDropReason, number>();
  /** The model that answers the shadows and grades the answers against its own. */
  readonly judge: string;

  constructor(client: TieredClient, judge: string) {
    this.judge = judge;
    client.on('shadow:result', ({ costUsd }) => {
      this.scored++;
      this.costUsd += costUsd;
    });
    client.on('shadow:dropped', ({ reason }) => void this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1));
  }

  /** "shadow sampling: 13 shadows scored by gpt-4o, $0.0101 of their own, not in the callers' $0.0050." */
  line(callersUsd: number): string {
    const drops = [...this.dropped].map(([reason, n]) => `${reason} x${n}`).join(', ');
    return (
      `shadow sampling: ${this.scored} shadows scored by ${this.judge}${drops === '' ? '' : ` (dropped: ${drops})`}, ` +
      `$${this.costUsd.toFixed(4)} of their own, not in the callers' $${callersUsd.toFixed(4)}.`
    );
  }
}

const two = (value: number | null): string => (value === null ? '-' : value.toFixed(2));

/** "quality (feedback / shadow): economy 0.70 / 0.60, ...": per tier, cheapest first; '-' without a sample. */
export function qualityLine(m: TieredMetrics, tiers: readonly string[]): string {
  const parts = tiers.flatMap((tier) => {
    const q = m.byTier[tier]?.quality;
    if (q === undefined || (q.feedbackCount === 0 && q.shadowCount === 0)) return [];
    return [`${tier} ${two(q.meanScore)} / ${two(q.shadowScore)}`];
  });
  return `quality (feedback / shadow): ${parts.length === 0 ? 'no sample' : parts.join(', ')}.`;
}

/**
 * Waits until the mock has answered everything asked of it and nothing new arrives for a moment:
 * the shadows and their judges run after the callers have their answers, so the report waits for
 * them rather than having close() drop them.
 */
export async function quiet(mock: MockOpenAI, graceMs = 150): Promise<void> {
  for (;;) {
    const seen = mock.requests.length;
    await Promise.all(mock.requests.map((request) => request.settled));
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    if (mock.requests.length === seen) return;
  }
}
