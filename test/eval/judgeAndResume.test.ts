import { afterEach, describe, expect, it } from 'vitest';
import { defineCatalog } from 'tiered-llm';
import { evaluate, type EvalCaseInput } from 'tiered-llm/eval';
import { chatRequests, startEvalFixture } from './evalFixture.js';

const haiku = 'Write a haiku about rain.';
const capital = 'Capital of France?';
const answers = {
  mini: { [haiku]: 'Rain.', [capital]: 'Paris.' },
  mid: { [haiku]: 'Soft rain on the roof', [capital]: 'Paris.' },
  max: { [haiku]: 'Grey clouds gather low', [capital]: 'Lyon.' },
};
const cases: EvalCaseInput[] = [
  { id: 'haiku', prompt: haiku },
  { id: 'capital', prompt: capital, check: { contains: 'Paris' } },
];

let fixture: Awaited<ReturnType<typeof startEvalFixture>>;
afterEach(async () => fixture?.close());

describe('evaluate() scoring', () => {
  it('without a judge scores no model on a case without a check, the highest tier included', async () => {
    fixture = await startEvalFixture(answers);
    const report = await evaluate({ client: fixture.options, cases, models: ['mini', 'max'] });
    expect(report.models.map((m) => [m.model, m.quality.score])).toEqual([
      ['mini', 1],
      ['max', 0],
    ]);
    expect(report.cases[0]!.byModel['max']!.runs[0]!.scoredBy).toBeUndefined();
    expect(report.recommendation.overall).toMatchObject({ model: 'mini' });
  });

  it("a judge named by its tier grades on that tier's first model only, never on another by fallback", async () => {
    fixture = await startEvalFixture(answers, { 'Rain.': '{"score": 0.25}' });
    const report = await evaluate({
      client: { ...fixture.options, loadBalancing: 'weighted' },
      cases: [{ id: 'haiku', prompt: haiku, expected: 'A haiku about rain.' }],
      models: ['mini', 'mid'],
      judge: 'hot',
      repeat: 4,
    });
    // hot holds max, then grader: every judgement goes to max, which answers no score here.
    expect(chatRequests(fixture.mock, 'max')).toHaveLength(8);
    expect(chatRequests(fixture.mock, 'grader')).toHaveLength(0);
    expect(report.judge).toMatchObject({ model: 'hot', calls: 8, unjudged: 8 });
  });

  it('accepts two cases whose JSON Schemas share an $id', async () => {
    fixture = await startEvalFixture(answers);
    const schema = { $id: 'https://example.com/answer.json', type: 'string' };
    const report = await evaluate({
      client: fixture.options,
      cases: [
        { id: 'a', prompt: capital, check: { jsonSchema: schema } },
        { id: 'b', prompt: haiku, check: { jsonSchema: { ...schema } } },
      ],
      models: ['mini'],
    });
    expect(report.models[0]!.quality.checked).toBe(2);
  });
});

describe('evaluate() with an earlier report', () => {
  it("reuses the router's answers too, sending nothing for answered cases", async () => {
    fixture = await startEvalFixture(answers);
    const first = await evaluate({ client: fixture.options, cases, models: ['mini', 'max'], route: 'auto' });
    fixture.mock.reset();
    const second = await evaluate({ client: fixture.options, cases, models: ['mini', 'max'], route: 'auto', previous: first });
    expect(fixture.mock.requests).toHaveLength(0);
    expect(second.router).toMatchObject({ runs: 2, costUsd: first.router!.costUsd, tiers: first.router!.tiers });
    expect(second.cases.every((c) => c.router?.runs[0]?.reused === true)).toBe(true);
  });

  it('keeps the judgements it reused when stopped before the judge runs', async () => {
    fixture = await startEvalFixture(answers, { 'Rain.': '{"score": 0.25}' });
    const first = await evaluate({ client: fixture.options, cases: cases.slice(0, 1), models: ['mini', 'max'], judge: 'grader' });
    expect(first.models[0]!.quality.score).toBe(0.25);
    fixture.mock.reset();
    fixture.mock.setReply('mini', { fault: 'hang' });
    const controller = new AbortController();
    void fixture.mock.waitForRequests(1).then(() => controller.abort());
    const second = await evaluate({
      client: fixture.options,
      cases,
      models: ['mini', 'max'],
      judge: 'grader',
      previous: first,
      signal: controller.signal,
      concurrency: 1,
    });
    expect(second.aborted).toBe(true);
    expect(chatRequests(fixture.mock, 'grader')).toHaveLength(0);
    expect(second.cases[0]!.byModel['mini']!.runs[0]).toMatchObject({ reused: true, score: 0.25, scoredBy: 'judge' });
    expect(second.models[0]!.quality.score).toBe(0.25);
  });

  it('asks again when the model is now served by another provider', async () => {
    fixture = await startEvalFixture(answers);
    const first = await evaluate({ client: fixture.options, cases, models: ['mini'] });
    fixture.mock.reset();
    const moved = defineCatalog({
      providers: { backup: { apiKey: 'sk-eval-test-backup-0123', baseURL: fixture.mock.url } },
      tiers: ['economy'],
      models: [{ id: 'mini', provider: 'backup', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 }],
    });
    const second = await evaluate({ client: { catalog: moved }, cases, models: ['mini'], previous: first });
    expect(chatRequests(fixture.mock, 'mini')).toHaveLength(2);
    expect(second.cases.map((c) => c.byModel['mini']!.runs[0]!.answeredBy)).toEqual(['backup/mini', 'backup/mini']);
  });
});
