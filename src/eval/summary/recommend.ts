import type { EvalCase } from '../EvalCase.js';
import type { EvalPick, EvalRecommendation } from '../EvalReport.js';
import type { EvalTarget } from '../EvalTarget.js';
import type { RunTable } from '../run/RunTable.js';
import type { RunRecord } from '../run/RunRecord.js';
import { costOf, round } from './stats.js';

/**
 * The cheapest model whose quality is within `minQualityRatio` of the best, over every case and per
 * tag (on that tag's cases alone). Here a failed run counts as 0; models without a score there are
 * not candidates.
 */
export function recommend(table: RunTable, targets: readonly EvalTarget[], minQualityRatio: number): EvalRecommendation {
  const overall = pick(table, targets, table.cases, minQualityRatio);
  const byTag: Record<string, EvalPick> = {};
  const tags = [...new Set(table.cases.flatMap((c) => c.tags))].sort();
  for (const tag of tags) {
    const chosen = pick(
      table,
      targets,
      table.cases.filter((c) => c.tags.includes(tag)),
      minQualityRatio,
    );
    if (chosen !== undefined) byTag[tag] = chosen;
  }
  return { ...(overall === undefined ? {} : { overall }), byTag };
}

function pick(table: RunTable, targets: readonly EvalTarget[], cases: readonly EvalCase[], minQualityRatio: number): EvalPick | undefined {
  const candidates: EvalPick[] = [];
  for (const target of targets) {
    const runs = table.all(target.label, cases);
    const quality = dependableQuality(runs);
    const { costPerCaseUsd } = costOf(runs);
    if (quality !== null && costPerCaseUsd !== null)
      candidates.push({ model: target.label, tier: target.deployment.tier, quality, costPerCaseUsd });
  }
  if (candidates.length === 0) return undefined;
  const best = Math.max(...candidates.map((c) => c.quality));
  return candidates
    .filter((c) => c.quality >= best * minQualityRatio)
    .reduce((a, b) => (b.costPerCaseUsd < a.costPerCaseUsd || (b.costPerCaseUsd === a.costPerCaseUsd && b.quality > a.quality) ? b : a));
}

/**
 * The mean score with each failed run counted as 0: an answer that never came serves nobody, so a
 * model that fails half its calls and answers the rest well is not the cheap pick it looks like.
 * `null` when no run was scored (nothing to compare).
 */
function dependableQuality(runs: readonly RunRecord[]): number | null {
  let sum = 0;
  let counted = 0;
  let scored = 0;
  for (const run of runs) {
    if (run.error !== undefined) counted++;
    else if (run.score !== undefined) {
      sum += run.score;
      counted++;
      scored++;
    }
  }
  return scored === 0 ? null : round(sum / counted);
}
