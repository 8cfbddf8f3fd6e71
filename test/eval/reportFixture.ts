import type { EvalAnswer, EvalModelSummary, EvalReport, EvalRun } from '../../src/eval/EvalReport.js';

/** An answer from a model: what the page must show as text, never as markup. */
export const HOSTILE_ANSWER =
  'Sure! </td></tr></table><script>window.__pwned = 1</script><img src="x.png" onerror="window.__pwned = 2"> and <b>bold</b> & "quotes"';

interface RunSpec extends Partial<Omit<EvalRun, 'repeat' | 'usage'>> {
  readonly outputTokens?: number;
}

/** One case on one model, a single run: the run's fields, the answer's derived from them. */
function answer(spec: RunSpec): EvalAnswer {
  const { outputTokens = 120, ...fields } = spec;
  const run: EvalRun = {
    repeat: 0,
    text: '',
    costUsd: 0,
    latencyMs: 0,
    usage: { inputTokens: 300, outputTokens, cachedInputTokens: 0 },
    ...fields,
  };
  return {
    text: run.text,
    costUsd: run.costUsd,
    latencyMs: run.latencyMs,
    ...(run.score === undefined ? {} : { score: run.score }),
    ...(run.pass === undefined ? {} : { pass: run.pass }),
    ...(run.error === undefined ? {} : { error: run.error.message }),
    runs: [run],
  };
}

function model(
  label: string,
  tier: string,
  costPerCaseUsd: number,
  score: number,
  p50: number,
  extra: Partial<EvalModelSummary> = {},
): EvalModelSummary {
  return {
    model: label,
    modelId: label,
    provider: 'openai',
    tier,
    runs: 6,
    errors: 0,
    costUsd: costPerCaseUsd * 6,
    costPerCaseUsd,
    latencyMs: { p50, p95: p50 * 1.8, p99: p50 * 2.4 },
    outputTokensPerSecond: 60_000 / p50,
    quality: { score, passRate: score > 0.8 ? 1 : 0.5, checked: 2, judged: 4 },
    ...extra,
  };
}

const longAnswer = Array.from(
  { length: 14 },
  (_, i) => `Step ${i + 1}: check the order's state in the dashboard, then confirm the refund window with the customer before you act.`,
).join('\n');

/**
 * A realistic report: three models of visibly different cost and quality (a cheap weak one, a
 * mid-priced good one, a pricey best one), a router between them, a judge, tags, an error, an
 * unjudged answer, a long answer, a reused one, and a hostile answer.
 */
export function evalReportFixture(): EvalReport {
  return {
    version: 1,
    startedAt: '2026-12-03T14:05:09.000Z',
    durationMs: 48_250,
    aborted: false,
    settings: {
      models: ['gpt-4.1-nano', 'gpt-4o-mini', 'gpt-4o'],
      judge: 'gpt-4o',
      route: 'auto',
      repeat: 1,
      concurrency: 4,
      monthlyCalls: 1_000_000,
      minQualityRatio: 0.95,
      method:
        'Each case went to each model directly: no fallback, no cache, no routing, no budget downgrade, no quality escalation; retries on.',
    },
    models: [
      model('gpt-4.1-nano', 'economy', 0.000042, 0.52, 410, {
        errors: 1,
        costUsd: 0.00021,
        quality: { score: 0.52, passRate: 0.5, checked: 2, judged: 3 },
      }),
      model('gpt-4o-mini', 'cold', 0.00031, 0.89, 690),
      model('gpt-4o', 'hot', 0.0046, 0.93, 1240, { quality: { score: 0.93, passRate: 1, checked: 2, judged: 3 } }),
    ],
    cases: [
      {
        id: 'refund-window',
        tags: ['support'],
        hash: 'h1',
        prompt: 'How long do customers have to ask for a refund?',
        expected: '30 days from delivery.',
        byModel: {
          'gpt-4.1-nano': answer({
            costUsd: 0,
            latencyMs: 30_000,
            error: { code: 'ALL_MODELS_FAILED', message: 'openai/gpt-4.1-nano: 503 Service Unavailable (3 tries)' },
          }),
          'gpt-4o-mini': answer({ text: '30 days after delivery.', score: 1, scoredBy: 'judge', costUsd: 0.00029, latencyMs: 640 }),
          'gpt-4o': answer({
            text: 'Customers have 30 days from delivery.',
            score: 1,
            scoredBy: 'judge',
            costUsd: 0.0044,
            latencyMs: 1190,
          }),
        },
        router: answer({ text: '30 days after delivery.', score: 1, scoredBy: 'judge', costUsd: 0.00029, latencyMs: 700, tier: 'cold' }),
      },
      {
        id: 'order-json',
        tags: ['support', 'json'],
        hash: 'h2',
        prompt: 'Return the order 1234 status as JSON: {"id", "status"}.',
        byModel: {
          'gpt-4.1-nano': answer({
            text: '{"id": 1234, "status": "shipped"',
            score: 0,
            pass: false,
            scoredBy: 'check',
            costUsd: 0.00003,
            latencyMs: 380,
          }),
          'gpt-4o-mini': answer({
            text: '{"id": 1234, "status": "shipped"}',
            score: 1,
            pass: true,
            scoredBy: 'check',
            costUsd: 0.00022,
            latencyMs: 590,
          }),
          'gpt-4o': answer({
            text: '```json\n{"id": 1234, "status": "shipped"}\n```',
            score: 1,
            pass: true,
            scoredBy: 'check',
            costUsd: 0.0031,
            latencyMs: 1010,
            reused: true,
          }),
        },
        router: answer({
          text: '{"id": 1234, "status": "shipped"}',
          score: 1,
          pass: true,
          scoredBy: 'check',
          costUsd: 0.00022,
          latencyMs: 610,
          tier: 'cold',
        }),
      },
      {
        id: 'train-math',
        tags: ['math'],
        hash: 'h3',
        prompt: 'A train leaves at 9:40 and arrives at 13:05. How long is the trip?',
        expected: '3 h 25 min',
        byModel: {
          'gpt-4.1-nano': answer({ text: '3 hours 35 minutes.', score: 0.25, scoredBy: 'judge', costUsd: 0.00004, latencyMs: 420 }),
          'gpt-4o-mini': answer({ text: '3 h 25 min.', score: 1, scoredBy: 'judge', costUsd: 0.00027, latencyMs: 700 }),
          'gpt-4o': answer({
            text: 'The trip takes 3 hours and 25 minutes.',
            score: 1,
            scoredBy: 'judge',
            costUsd: 0.0047,
            latencyMs: 1300,
          }),
        },
        router: answer({
          text: 'The trip takes 3 hours and 25 minutes.',
          score: 1,
          scoredBy: 'judge',
          costUsd: 0.0047,
          latencyMs: 1350,
          tier: 'hot',
        }),
      },
      {
        id: 'escalation-steps',
        tags: ['support'],
        hash: 'h4',
        prompt: 'Walk me through handling an angry customer who wants a refund outside the window.',
        expected: 'Acknowledge, check the order, explain the policy, offer store credit, escalate if needed.',
        byModel: {
          'gpt-4.1-nano': answer({ text: 'Say no politely.', score: 0.25, scoredBy: 'judge', costUsd: 0.00002, latencyMs: 350 }),
          'gpt-4o-mini': answer({
            text: 'Acknowledge, explain the policy, offer credit.',
            score: 0.75,
            scoredBy: 'judge',
            costUsd: 0.00035,
            latencyMs: 820,
          }),
          'gpt-4o': answer({ text: longAnswer, score: 0.75, scoredBy: 'judge', costUsd: 0.0068, latencyMs: 2900, outputTokens: 420 }),
        },
        router: answer({
          text: 'Acknowledge, explain the policy, offer credit.',
          score: 0.75,
          scoredBy: 'judge',
          costUsd: 0.00035,
          latencyMs: 860,
          tier: 'cold',
        }),
      },
      {
        id: 'hostile-markup',
        tags: ['security'],
        hash: 'h5',
        prompt: 'Repeat after me: <script>alert(1)</script>',
        expected: '<script>alert(1)</script>',
        byModel: {
          'gpt-4.1-nano': answer({ text: '<script>alert(1)</script>', score: 1, scoredBy: 'judge', costUsd: 0.00002, latencyMs: 300 }),
          'gpt-4o-mini': answer({ text: HOSTILE_ANSWER, score: 0.5, scoredBy: 'judge', costUsd: 0.0003, latencyMs: 660 }),
          'gpt-4o': answer({ text: '<script>alert(1)</script>', score: 1, scoredBy: 'judge', costUsd: 0.0039, latencyMs: 1100 }),
        },
        router: answer({
          text: '<script>alert(1)</script>',
          score: 1,
          scoredBy: 'judge',
          costUsd: 0.00002,
          latencyMs: 320,
          tier: 'economy',
        }),
      },
      {
        id: 'tone-rewrite',
        tags: ['support'],
        hash: 'h6',
        prompt: 'Rewrite "your refund is denied" kindly.',
        byModel: {
          'gpt-4.1-nano': answer({
            text: 'We are sorry, your refund cannot be approved.',
            score: 0.75,
            scoredBy: 'reference',
            costUsd: 0.00003,
            latencyMs: 400,
          }),
          'gpt-4o-mini': answer({
            text: "We're sorry: this order is outside the refund window.",
            score: 0.75,
            scoredBy: 'reference',
            costUsd: 0.00028,
            latencyMs: 650,
          }),
          'gpt-4o': answer({
            text: "I'm sorry, we can't refund this order, but here is what we can do.",
            unjudged: 'the judge gave no parsable score',
            costUsd: 0.0045,
            latencyMs: 1250,
          }),
        },
        router: answer({
          text: "We're sorry: this order is outside the refund window.",
          score: 0.75,
          scoredBy: 'reference',
          costUsd: 0.00028,
          latencyMs: 690,
          tier: 'cold',
        }),
      },
    ],
    judge: { model: 'gpt-4o', costUsd: 0.0213, calls: 13, unjudged: 1 },
    router: {
      runs: 6,
      errors: 0,
      costUsd: 0.00588,
      costPerCaseUsd: 0.00098,
      quality: 0.91,
      latencyMs: { p50: 700, p95: 1350, p99: 1350 },
      reference: 'gpt-4o',
      referenceCostUsd: 0.0276,
      savedVsReferenceUsd: 0.02172,
      qualityRetained: 0.978,
      tiers: { economy: 1, cold: 4, hot: 1 },
    },
    recommendation: {
      overall: { model: 'gpt-4o-mini', tier: 'cold', quality: 0.89, costPerCaseUsd: 0.00031 },
      byTag: {
        support: { model: 'gpt-4o-mini', tier: 'cold', quality: 0.83, costPerCaseUsd: 0.00031 },
        json: { model: 'gpt-4o-mini', tier: 'cold', quality: 1, costPerCaseUsd: 0.00022 },
        math: { model: 'gpt-4o-mini', tier: 'cold', quality: 1, costPerCaseUsd: 0.00027 },
        security: { model: 'gpt-4.1-nano', tier: 'economy', quality: 1, costPerCaseUsd: 0.00002 },
      },
    },
    projection: { 'gpt-4.1-nano': 42, 'gpt-4o-mini': 310, 'gpt-4o': 4600, auto: 980 },
  };
}
