import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from 'tiered-llm/eval';
import { DEMO_OUTCOMES } from '../../src/eval/demo/demoOutcomes.js';
import { startEvalDemo, type EvalDemo } from '../../src/eval/demo/startEvalDemo.js';

let demo: EvalDemo | undefined;
afterEach(async () => demo?.close());

describe('the eval demo', () => {
  it('scores every shipped case exactly as its scripted answers deserve', async () => {
    demo = await startEvalDemo();
    const report = await evaluate({ client: demo.options, cases: demo.cases, judge: demo.judge, route: 'auto', monthlyCalls: 1_000_000 });
    for (const [model, outcomes] of Object.entries(DEMO_OUTCOMES)) {
      for (const [caseId, outcome] of Object.entries(outcomes)) {
        const run = report.cases.find((c) => c.id === caseId)!.byModel[model]!.runs[0]!;
        expect({ model, caseId, score: run.score, pass: run.pass, unjudged: run.unjudged !== undefined }).toEqual({
          model,
          caseId,
          score: outcome.score,
          pass: outcome.pass,
          unjudged: outcome.unjudged === true,
        });
      }
    }
    expect(report.models.every((m) => m.errors === 0)).toBe(true);
    expect(report.judge?.costUsd).toBeGreaterThan(0);
    // The one rambling grade: mid's answer, and the router's where it sent that case to mid.
    const unjudged = report.cases
      .flatMap((c) => [...Object.values(c.byModel), c.router!].flatMap((a) => a.runs))
      .filter((r) => r.unjudged !== undefined);
    expect(unjudged.length).toBe(report.judge?.unjudged);
    expect(unjudged.every((r) => r.answeredBy === 'demo/mid')).toBe(true);
    expect(report.router?.runs).toBe(demo.cases.length);
    expect(Object.keys(report.projection ?? {})).toEqual(['mini', 'mid', 'max', 'auto']);
  });
});
