import type { EvalReport, EvalRouterSummary } from '../EvalReport.js';
import { escapeHtml, formatMs, formatNumber, formatPercent, formatScore, formatUsd } from './format.js';

/** Every model's runs, errors, spend, latency and quality, the recommended one marked. */
export function modelTable(report: EvalReport): string {
  const pick = report.recommendation.overall?.model;
  const rows = report.models
    .map((m) => {
      const q = m.quality;
      return (
        `<tr data-summary="${escapeHtml(m.model)}"${m.model === pick ? ' class="picked"' : ''}>` +
        `<th scope="row">${escapeHtml(m.model)}${m.model === pick ? ' ★' : ''}<div class="muted">${escapeHtml(m.tier)} · ${escapeHtml(m.provider)}</div></th>` +
        `<td class="num">${formatNumber(m.runs)}</td>` +
        `<td class="num${m.errors > 0 ? ' bad' : ''}">${formatNumber(m.errors)}</td>` +
        `<td class="num">${formatUsd(m.costUsd)}</td><td class="num">${formatUsd(m.costPerCaseUsd)}</td>` +
        `<td class="num">${formatMs(m.latencyMs.p50)}</td>` +
        `<td class="num strong">${formatScore(q.score)}</td><td class="num">${formatPercent(q.passRate)}</td>` +
        `<td class="num">${formatNumber(q.checked)}</td><td class="num">${formatNumber(q.judged)}</td></tr>`
      );
    })
    .join('');
  return (
    '<div class="wide"><table class="models"><thead><tr><th>model</th><th class="num">runs</th><th class="num">errors</th>' +
    '<th class="num">cost</th><th class="num">cost per case</th><th class="num">p50 latency</th>' +
    '<th class="num">quality</th><th class="num">pass rate</th><th class="num">checked</th><th class="num">judged</th>' +
    `</tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

/** The router's spend and quality against its reference model alone, and the tiers it chose. */
export function routerSummary(router: EvalRouterSummary): string {
  const saved = router.savedVsReferenceUsd;
  const tiers = Object.entries(router.tiers)
    .map(([tier, runs]) => `${escapeHtml(tier)} ${formatNumber(runs)}`)
    .join(', ');
  const cells: readonly [string, string][] = [
    ['runs', `${formatNumber(router.runs)}${router.errors > 0 ? `, <span class="bad">${formatNumber(router.errors)} failed</span>` : ''}`],
    ['cost', `${formatUsd(router.costUsd)} (${formatUsd(router.costPerCaseUsd)} per case)`],
    ['on the reference alone', `${formatUsd(router.referenceCostUsd)} on ${escapeHtml(router.reference)}`],
    [
      'saved vs reference',
      saved === null
        ? formatUsd(saved)
        : `<span class="${saved >= 0 ? 'good' : 'bad'}">${formatUsd(saved)}</span>${
            router.referenceCostUsd ? ` (${formatPercent(saved / router.referenceCostUsd)})` : ''
          }`,
    ],
    ['quality', formatScore(router.quality)],
    ['quality retained', formatPercent(router.qualityRetained)],
    ['tiers used', tiers === '' ? '–' : tiers],
  ];
  return `<table class="router"><tbody>${cells.map(([name, value]) => `<tr><th scope="row">${name}</th><td>${value}</td></tr>`).join('')}</tbody></table>`;
}
