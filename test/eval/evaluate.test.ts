import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, defineCatalog } from 'tiered-llm';
import { evaluate, type EvalCaseInput } from 'tiered-llm/eval';
import { chatRequests, runCost, startEvalFixture } from './evalFixture.js';

const models = ['mini', 'mid', 'max'];
const checked: EvalCaseInput[] = [
  { id: 'capital', prompt: 'Capital of France?', check: { contains: 'Paris' }, tags: ['geo'] },
  { id: 'yes-no', prompt: 'Is water wet? Answer yes or no.', check: { regex: '/^(yes|no)$/i' }, tags: ['format'] },
  { id: 'sum', prompt: 'What is 17 + 25? Answer with the number only.', check: { equals: '42' }, tags: ['math'] },
  {
    id: 'order',
    prompt: 'Order 1234 as JSON.',
    check: { jsonSchema: { type: 'object', required: ['order'], properties: { order: { type: 'integer' } } } },
    tags: ['format'],
  },
];
const good = {
  'Capital of France?': 'Paris.',
  'Is water wet? Answer yes or no.': 'Yes',
  'What is 17 + 25? Answer with the number only.': '42',
  'Order 1234 as JSON.': 'Here it is:\n```json\n{"order": 1234}\n```',
};
const answers = {
  max: good,
  mid: { ...good, 'Order 1234 as JSON.': '{"order": "1234"}' },
  mini: { ...good, 'What is 17 + 25? Answer with the number only.': 'The answer is 42.', 'Order 1234 as JSON.': 'order 1234' },
};

let fixture: Awaited<ReturnType<typeof startEvalFixture>>;
afterEach(async () => fixture?.close());

describe('evaluate()', () => {
  it('scores, pass rates and costs come out exactly as the scripted answers deserve', async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases: checked, models });
    const byModel = Object.fromEntries(report.models.map((m) => [m.model, m]));
    expect(byModel['max']!.quality).toEqual({ score: 1, passRate: 1, checked: 4, judged: 0 });
    expect(byModel['mid']!.quality).toEqual({ score: 0.75, passRate: 0.75, checked: 4, judged: 0 });
    expect(byModel['mini']!.quality).toEqual({ score: 0.5, passRate: 0.5, checked: 4, judged: 0 });
    expect(byModel['mini']!.costUsd).toBe(4 * runCost.mini);
    expect(byModel['max']!.costPerCaseUsd).toBe(runCost.max);
    expect(report.cases.find((c) => c.id === 'order')!.byModel['mid']!.runs[0]!.failedCheck).toMatch(/\/order must be integer/);
    expect(report.judge).toBeUndefined();
  });

  it('sends each case to each model directly, and a failing model does not fall back', async () => {
    fixture = await startEvalFixture(answers);
    fixture.mock.setReply('mid', { status: 500 });
    const report = await evaluate({ client: fixture.options, cases: checked, models });
    const mid = report.models.find((m) => m.model === 'mid')!;
    expect(mid).toMatchObject({ runs: 4, errors: 4, costPerCaseUsd: null, quality: { score: null } });
    expect(chatRequests(fixture.mock, 'mini')).toHaveLength(4);
    expect(chatRequests(fixture.mock, 'max')).toHaveLength(4);
    expect(report.cases[0]!.byModel['mid']!.error).toMatch(/500/);
  });

  it('runs each case --repeat times on each model', async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases: checked.slice(0, 2), models: ['mini'], repeat: 3 });
    expect(report.models[0]).toMatchObject({ runs: 6, errors: 0 });
    expect(report.cases[0]!.byModel['mini']!.runs.map((r) => r.repeat)).toEqual([0, 1, 2]);
    expect(chatRequests(fixture.mock, 'mini')).toHaveLength(6);
  });

  it('grades cases without a check with the judge, against expected, and reports its cost apart', async () => {
    const prompt = 'How long do refunds take?';
    fixture = await startEvalFixture(
      { mini: { [prompt]: 'A while.' }, mid: { [prompt]: 'About 5 days.' }, max: { [prompt]: 'Refunds take 5 business days.' } },
      {
        'A while.': '{"score": 0.25, "reason": "vague"}',
        'About 5 days.': 'Score: 3/4',
        'Refunds take 5 business days.': '```json\n{"score": 1}\n```',
      },
    );
    const report = await evaluate({
      client: fixture.options,
      cases: [{ id: 'refund', prompt, expected: '5 business days' }],
      models,
      judge: 'grader',
    });
    expect(report.models.map((m) => [m.model, m.quality.score, m.quality.judged])).toEqual([
      ['mini', 0.25, 1],
      ['mid', 0.75, 1],
      ['max', 1, 1],
    ]);
    expect(report.judge).toEqual({ model: 'grader', costUsd: 3 * runCost.grader, calls: 3, unjudged: 0 });
    expect(report.models.reduce((sum, m) => sum + m.costUsd, 0)).toBeCloseTo(runCost.mini + runCost.mid + runCost.max, 12);
  });

  it('leaves an answer unjudged, not 0, when the judge gives no parsable score', async () => {
    const prompt = 'Explain caching.';
    fixture = await startEvalFixture(
      {
        mini: { [prompt]: 'Caching keeps copies.' },
        mid: { [prompt]: 'It stores answers.' },
        max: { [prompt]: 'Keep results to reuse them.' },
      },
      { 'Caching keeps copies.': 'I would say it is fairly good.', 'It stores answers.': '{"score": 0.5}' },
    );
    const report = await evaluate({
      client: fixture.options,
      cases: [{ id: 'cache', prompt, expected: 'Reuse results.' }],
      models: ['mini', 'mid'],
      judge: 'grader',
    });
    const run = report.cases[0]!.byModel['mini']!.runs[0]!;
    expect(run.score).toBeUndefined();
    expect(run.unjudged).toMatch(/no parsable score/);
    expect(report.models[0]!.quality).toEqual({ score: null, passRate: null, checked: 0, judged: 0 });
    expect(report.judge?.unjudged).toBe(1);
  });

  it("judges a case without expected against the highest tier's answer, which scores 1", async () => {
    const prompt = 'Write a haiku about rain.';
    fixture = await startEvalFixture(
      {
        mini: { [prompt]: 'Rain.' },
        mid: { [prompt]: 'Soft rain on the roof' },
        max: { [prompt]: 'Grey clouds gather low / soft rain taps the window pane / the garden drinks deep' },
      },
      { 'Rain.': '{"score": 0}', 'Soft rain on the roof': '{"score": 0.5}' },
    );
    const report = await evaluate({ client: fixture.options, cases: [{ id: 'haiku', prompt }], models, judge: 'grader' });
    expect(report.cases[0]!.byModel['max']!.runs[0]).toMatchObject({ score: 1, scoredBy: 'reference' });
    expect(report.models.map((m) => m.quality.score)).toEqual([0, 0.5, 1]);
    const graded = chatRequests(fixture.mock, 'grader').map((r) => JSON.stringify(r.body));
    expect(graded).toHaveLength(2);
    expect(graded.every((body) => body.includes('Grey clouds gather low'))).toBe(true);
  });

  it('recommends the cheapest model within 5 % of the best quality, overall and per tag', async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases: checked, models, monthlyCalls: 1_000_000 });
    expect(report.recommendation.overall).toMatchObject({ model: 'max', quality: 1 });
    expect(report.recommendation.byTag['geo']).toMatchObject({ model: 'mini', quality: 1, costPerCaseUsd: runCost.mini });
    expect(report.recommendation.byTag['math']).toMatchObject({ model: 'mid' });
    expect(report.projection).toEqual({ mini: 210, mid: 560, max: 3500 });
    const lenient = await evaluate({ client: fixture.options, cases: checked, models, minQualityRatio: 0.7 });
    expect(lenient.recommendation.overall).toMatchObject({ model: 'mid', quality: 0.75 });
  });

  it("reports the router's cost and quality against the highest tier alone", async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases: checked, models, route: 'auto', monthlyCalls: 1000 });
    const { router } = report;
    expect(router?.runs).toBe(4);
    expect(router?.reference).toBe('max');
    expect(router?.referenceCostUsd).toBe(4 * runCost.max);
    expect(router!.savedVsReferenceUsd).toBeCloseTo(4 * runCost.max - router!.costUsd, 12);
    expect(router!.qualityRetained).toBe(router!.quality);
    expect(Object.values(router!.tiers).reduce((a, b) => a + b, 0)).toBe(4);
    expect(report.projection?.['auto']).toBeGreaterThan(0);
  });

  it("reuses the answers of an earlier report while a case's messages are unchanged, and scores them again", async () => {
    fixture = await startEvalFixture(answers);
    const first = await evaluate({ client: fixture.options, cases: checked, models });
    fixture.mock.reset();
    const changed = checked.map((c) =>
      c.id === 'sum' ? { ...c, check: { equals: 'The answer is 42.' } } : c.id === 'capital' ? { ...c, prompt: 'Capital of Italy?' } : c,
    );
    const second = await evaluate({ client: fixture.options, cases: changed, models, previous: first });
    // Only the case whose question changed is asked again; the one whose check changed is re-scored at no call.
    expect(fixture.mock.requests).toHaveLength(3);
    expect(fixture.mock.requests.every((r) => JSON.stringify(r.body).includes('Capital of Italy?'))).toBe(true);
    const sum = second.cases.find((c) => c.id === 'sum')!;
    expect(sum.byModel['mini']!.runs[0]).toMatchObject({ reused: true, pass: true, score: 1 });
    expect(sum.byModel['max']!.runs[0]).toMatchObject({ reused: true, pass: false, score: 0 });
    expect(second.cases.find((c) => c.id === 'capital')!.byModel['mini']!.runs[0]!.reused).toBeUndefined();
    expect(second.models.find((m) => m.model === 'max')!.costUsd).toBe(first.models.find((m) => m.model === 'max')!.costUsd);
  });

  it('expands a tier to its models, each on its first deployment', async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases: checked.slice(0, 1), models: ['hot', 'economy'] });
    expect(report.models.map((m) => [m.model, m.tier])).toEqual([
      ['max', 'hot'],
      ['grader', 'hot'],
      ['mini', 'economy'],
    ]);
  });

  it('labels a model id served by two selected deployments as provider/model', async () => {
    fixture = await startEvalFixture(answers);
    const url = fixture.mock.url;
    const catalog = defineCatalog({
      providers: { us: { apiKey: 'sk-eval-us-0123456789', baseURL: url }, eu: { apiKey: 'sk-eval-eu-0123456789', baseURL: url } },
      tiers: ['economy'],
      models: [
        { id: 'mini', provider: 'us', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
        { id: 'mini', provider: 'eu', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      ],
    });
    const byTier = await evaluate({ client: { catalog }, cases: checked.slice(0, 1) });
    expect(byTier.models.map((m) => [m.model, m.provider])).toEqual([['mini', 'us']]);
    const both = await evaluate({ client: { catalog }, cases: checked.slice(0, 1), models: ['us/mini', 'eu/mini'] });
    expect(both.models.map((m) => [m.model, m.modelId, m.provider])).toEqual([
      ['us/mini', 'mini', 'us'],
      ['eu/mini', 'mini', 'eu'],
    ]);
    expect(both.cases[0]!.byModel['eu/mini']!.runs[0]!.answeredBy).toBe('eu/mini');
    expect(fixture.mock.requests.map((r) => r.headers['authorization']).sort()).toEqual([
      'Bearer sk-eval-eu-0123456789',
      'Bearer sk-eval-us-0123456789',
      'Bearer sk-eval-us-0123456789',
    ]);
  });

  it('refuses an unknown model, judge or malformed case before sending anything', async () => {
    fixture = await startEvalFixture(answers);
    const attempts = [
      evaluate({ client: fixture.options, cases: checked, models: ['mini', 'gpt-7'] }),
      evaluate({ client: fixture.options, cases: checked, judge: 'oracle' }),
      evaluate({ client: fixture.options, cases: [...checked, { id: 'bad', prompt: 'x', check: { regex: '(' } }] }),
      evaluate({ client: fixture.options, cases: checked, repeat: 0 }),
    ];
    const errors = await Promise.all(
      attempts.map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    expect(errors.map((e) => (e as ConfigError).field)).toEqual(['models[1]', 'judge', 'cases[4]: check.regex', 'repeat']);
    expect(errors.every((e) => ConfigError.isInstance(e))).toBe(true);
    expect(fixture.mock.requests).toHaveLength(0);
  });

  it("stops calling, and rejects with the error, when the caller's onProgress throws", async () => {
    fixture = await startEvalFixture(answers);
    const failure = new Error('progress bar broke');
    const evaluation = evaluate({
      client: fixture.options,
      cases: checked,
      models,
      concurrency: 1,
      onProgress: ({ done }) => {
        if (done === 2) throw failure;
      },
    });
    await expect(evaluation).rejects.toBe(failure);
    expect(fixture.mock.requests).toHaveLength(2);
  });

  it('stops when aborted, cancelling the call in flight and keeping what was answered', async () => {
    fixture = await startEvalFixture(answers);
    fixture.mock.setReply('max', { fault: 'hang' });
    const controller = new AbortController();
    void fixture.mock.waitForRequests(3).then(() => controller.abort());
    const report = await evaluate({ client: fixture.options, cases: checked, models, concurrency: 1, signal: controller.signal });
    expect(report.aborted).toBe(true);
    expect(report.models.map((m) => [m.runs, m.errors])).toEqual([
      [1, 0],
      [1, 0],
      [0, 0],
    ]);
    expect(report.cases[0]!.byModel['max']).toBeUndefined();
    expect(fixture.mock.requests).toHaveLength(3);
  });
});
