import type { EvalReport } from 'tiered-llm/eval';
import { formatMs as ms, formatNumber, formatPercent as percent, formatScore as score, formatUsd as usd, NONE } from '../html/format.js';
import { columns } from './columns.js';

/** The report as the terminal shows it: the models side by side, the router, the judge, the advice. */
export function summaryText(report: EvalReport): string {
  const rows = report.models.map((m) => [
    m.model,
    m.tier,
    String(m.runs),
    String(m.errors),
    usd(m.costPerCaseUsd),
    usd(m.costUsd),
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p95),
    formatNumber(m.outputTokensPerSecond),
    score(m.quality.score),
    percent(m.quality.passRate),
  ]);
  const { router } = report;
  if (router !== undefined) {
    const tiers = Object.entries(router.tiers)
      .map(([tier, n]) => `${tier} ${n}`)
      .join(', ');
    rows.push([
      'auto (router)',
      tiers,
      String(router.runs),
      String(router.errors),
      usd(router.costPerCaseUsd),
      usd(router.costUsd),
      ms(router.latencyMs.p50),
      ms(router.latencyMs.p95),
      NONE,
      score(router.quality),
      NONE,
    ]);
  }
  const header = ['model', 'tier', 'runs', 'errors', '$/case', 'total', 'p50', 'p95', 'tok/s', 'quality', 'pass'];
  const out = [columns(header, rows), '', report.settings.method];
  if (router !== undefined) {
    out.push(
      `Router against ${router.reference} alone: saved ${usd(router.savedVsReferenceUsd)} (${usd(router.costUsd)} instead of ${usd(router.referenceCostUsd)}), quality retained ${percent(router.qualityRetained)}.`,
    );
  }
  if (report.judge !== undefined) {
    const { judge } = report;
    out.push(
      `Judge ${judge.model}: ${judge.calls} judgements, ${usd(judge.costUsd)} (not in the models' costs)${judge.unjudged > 0 ? `, ${judge.unjudged} unjudged (no parsable score; not counted as 0)` : ''}.`,
    );
  }
  const reused = report.cases.reduce(
    (n, c) =>
      n +
      [...Object.values(c.byModel), ...(c.router === undefined ? [] : [c.router])].reduce(
        (k, a) => k + a.runs.filter((r) => r.reused === true).length,
        0,
      ),
    0,
  );
  if (reused > 0) out.push(`${reused} answers reused from the earlier results.json (not paid for again).`);
  const { overall, byTag } = report.recommendation;
  const ratio = percent(1 - report.settings.minQualityRatio);
  out.push('');
  out.push(
    overall === undefined
      ? 'No recommendation: no answer was scored (give cases a check, or --judge MODEL).'
      : `Recommended: ${overall.model} (${overall.tier}), the cheapest within ${ratio} of the best quality: ${score(overall.quality)} at ${usd(overall.costPerCaseUsd)} a case.`,
  );
  for (const [tag, pick] of Object.entries(byTag))
    out.push(`  ${tag}: ${pick.model} (${score(pick.quality)} at ${usd(pick.costPerCaseUsd)})`);
  if (report.projection !== undefined) {
    out.push('', `A month of ${report.settings.monthlyCalls?.toLocaleString('en-US')} calls:`);
    for (const [model, monthly] of Object.entries(report.projection))
      out.push(`  ${model === 'auto' ? 'auto (router)' : model}: ${usd(monthly)}`);
  }
  if (report.aborted) out.push('', 'Stopped before the end: the report holds what was answered; --resume goes on from there.');
  return out.join('\n');
}
