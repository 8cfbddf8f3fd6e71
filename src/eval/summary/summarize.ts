import type { EvalAnswer, EvalCaseResult, EvalModelSummary, EvalRouterSummary } from '../EvalReport.js';
import type { EvalTarget } from '../EvalTarget.js';
import { promptOf } from '../run/conversationText.js';
import { ROUTER, type RunRecord } from '../run/RunRecord.js';
import type { RunTable } from '../run/RunTable.js';
import { costOf, latencyOf, percentile, qualityOf, round, tokensPerSecond } from './stats.js';

/** One model's line of the report. */
export function modelSummary(target: EvalTarget, runs: readonly RunRecord[]): EvalModelSummary {
  const answered = runs.filter((run) => run.error === undefined);
  const { deployment } = target;
  return {
    model: target.label,
    modelId: deployment.model.id,
    provider: deployment.provider,
    tier: deployment.tier,
    runs: runs.length,
    errors: runs.length - answered.length,
    ...costOf(runs),
    latencyMs: latencyOf(answered),
    outputTokensPerSecond: tokensPerSecond(answered),
    quality: qualityOf(runs),
  };
}

/** Every case with each model's (and the router's) answer side by side. */
export function caseResults(table: RunTable, labels: readonly string[], routed: boolean): EvalCaseResult[] {
  return table.cases.map((c) => {
    const byModel: Record<string, EvalAnswer> = {};
    for (const label of labels) {
      const runs = table.of(c, label);
      if (runs.length > 0) byModel[label] = answerOf(runs);
    }
    const routerRuns = routed ? table.of(c, ROUTER) : [];
    return {
      id: c.id,
      tags: c.tags,
      hash: c.hash,
      prompt: promptOf(c.messages),
      ...(c.expected === undefined ? {} : { expected: c.expected }),
      byModel,
      ...(routerRuns.length === 0 ? {} : { router: answerOf(routerRuns) }),
    };
  });
}

function answerOf(runs: readonly RunRecord[]): EvalAnswer {
  const answered = runs.filter((run) => run.error === undefined);
  const { score, passRate } = qualityOf(runs);
  const latencies = (answered.length > 0 ? answered : runs).map((run) => run.latencyMs).sort((a, b) => a - b);
  return {
    text: answered[0]?.text ?? '',
    ...(score === null ? {} : { score }),
    ...(passRate === null ? {} : { pass: passRate === 1 }),
    costUsd: costOf(runs).costUsd,
    latencyMs: percentile(latencies, 50),
    ...(answered.length === 0 && runs[0]?.error !== undefined ? { error: runs[0].error.message } : {}),
    runs: runs.map((run) => ({ ...run })),
  };
}

/** The router against the reference model alone. */
export function routerSummary(runs: readonly RunRecord[], reference: EvalModelSummary): EvalRouterSummary {
  const answered = runs.filter((run) => run.error === undefined);
  const { costUsd, costPerCaseUsd } = costOf(runs);
  const { score } = qualityOf(runs);
  const referenceCostUsd = reference.costPerCaseUsd === null ? null : reference.costPerCaseUsd * answered.length;
  const tiers: Record<string, number> = {};
  for (const run of answered) if (run.tier !== undefined) tiers[run.tier] = (tiers[run.tier] ?? 0) + 1;
  const referenceScore = reference.quality.score;
  return {
    runs: runs.length,
    errors: runs.length - answered.length,
    costUsd,
    costPerCaseUsd,
    quality: score,
    latencyMs: latencyOf(answered),
    reference: reference.model,
    referenceCostUsd,
    savedVsReferenceUsd: referenceCostUsd === null ? null : referenceCostUsd - costUsd,
    qualityRetained: score === null || referenceScore === null || referenceScore === 0 ? null : round(score / referenceScore),
    tiers,
  };
}
