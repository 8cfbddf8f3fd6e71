import type { EvalPick, EvalReport } from '../EvalReport.js';
import { escapeHtml, formatMs, formatNumber, formatPercent, formatScore, formatUsd, formatWhen } from './format.js';

/** When, how, on what, and what it cost: the models' spend, the router's and the judge's apart. */
export function header(report: EvalReport): string {
  const s = report.settings;
  const modelsUsd = report.models.reduce((sum, m) => sum + m.costUsd, 0);
  const runs = report.models.reduce((sum, m) => sum + m.runs, 0);
  const errors = report.models.reduce((sum, m) => sum + m.errors, 0);
  const judge = report.judge;
  const total = modelsUsd + (report.router?.costUsd ?? 0) + (judge?.costUsd ?? 0);

  const facts: [string, string][] = [
    ['started', `${escapeHtml(formatWhen(report.startedAt))}, ran ${formatMs(report.durationMs)}`],
    ['models', s.models.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')],
    [
      'cases',
      `${formatNumber(report.cases.length)} × ${formatNumber(s.repeat)} repeat${s.repeat === 1 ? '' : 's'}, ${formatNumber(s.concurrency)} at a time`,
    ],
    ['model runs', `${formatNumber(runs)}, ${errors > 0 ? `<span class="bad">${formatNumber(errors)} failed</span>` : 'none failed'}`],
    ['spent on the models', formatUsd(modelsUsd)],
  ];
  if (report.router !== undefined) facts.push(['spent on the router', formatUsd(report.router.costUsd)]);
  facts.push([
    'judge',
    judge === undefined
      ? 'none (only cases with a check are scored)'
      : `<code>${escapeHtml(judge.model)}</code>: ${formatUsd(judge.costUsd)} for ${formatNumber(judge.calls)} judgements` +
        `${judge.unjudged > 0 ? `, <span class="warn">${formatNumber(judge.unjudged)} unjudged</span>` : ''} (not in the models' costs)`,
  ]);
  facts.push(['total spent', `<strong>${formatUsd(total)}</strong>`]);

  const aborted = report.aborted
    ? '<p class="banner bad">This evaluation was aborted: the report holds only what was answered before.</p>'
    : '';
  return (
    `<header><h1>tiered-llm eval</h1>${aborted}` +
    `<dl class="facts">${facts.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>` +
    `<p class="method">${escapeHtml(s.method)}</p></header>`
  );
}

/** The cheapest model within reach of the best quality, overall and per tag. */
export function recommendation(report: EvalReport): string {
  const { overall, byTag } = report.recommendation;
  const within = `within ${formatPercent(1 - report.settings.minQualityRatio)} of the best quality`;
  const best = report.models.reduce<number | null>(
    (top, m) => (m.quality.score !== null && (top === null || m.quality.score > top) ? m.quality.score : top),
    null,
  );
  const lead =
    overall === undefined
      ? '<p class="pick-none">No recommendation: no model has a quality score. Give cases a <code>check</code>, or run with <code>--judge</code>.</p>'
      : `<p class="pick" data-pick="${escapeHtml(overall.model)}">Use <strong>${escapeHtml(overall.model)}</strong> (${escapeHtml(overall.tier)}): ` +
        `quality ${formatScore(overall.quality)} at ${formatUsd(overall.costPerCaseUsd)} per case, the cheapest ${within}` +
        `${best === null ? '' : ` (best: ${formatScore(best)})`}.</p>`;
  const tags = Object.entries(byTag);
  const perTag =
    tags.length === 0
      ? ''
      : `<table class="by-tag"><thead><tr><th>tag</th><th>model</th><th>tier</th><th class="num">quality</th><th class="num">cost per case</th></tr></thead><tbody>` +
        tags.map(([tag, pick]) => pickRow(tag, pick)).join('') +
        '</tbody></table>';
  return `${lead}${perTag}`;
}

function pickRow(tag: string, pick: EvalPick): string {
  return (
    `<tr data-tag="${escapeHtml(tag)}"><th scope="row"><span class="tag">${escapeHtml(tag)}</span></th><td>${escapeHtml(pick.model)}</td>` +
    `<td>${escapeHtml(pick.tier)}</td><td class="num">${formatScore(pick.quality)}</td><td class="num">${formatUsd(pick.costPerCaseUsd)}</td></tr>`
  );
}

/** With `monthlyCalls`: what a month of this workload costs on each model and on the router. */
export function projection(report: EvalReport): string {
  const monthly = report.projection;
  if (monthly === undefined) return '';
  const entries = Object.entries(monthly);
  const priciest = Math.max(0, ...entries.map(([, usd]) => usd));
  const rows = entries
    .map(([label, usd]) => {
      const name = label === 'auto' ? 'router (auto)' : label;
      const share = priciest > 0 ? `${((usd / priciest) * 100).toFixed(1)}%` : '0%';
      return (
        `<tr data-projection="${escapeHtml(label)}"><th scope="row">${escapeHtml(name)}</th><td class="num">${formatUsd(usd)}</td>` +
        `<td class="bar-cell"><div class="cost-bar" style="width:${share}"></div></td></tr>`
      );
    })
    .join('');
  const calls = report.settings.monthlyCalls;
  return (
    `<h2>Monthly projection</h2><p>At ${calls === undefined ? 'the given' : formatNumber(calls)} calls a month like these cases:</p>` +
    `<table class="projection"><thead><tr><th>model</th><th class="num">per month</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
  );
}
