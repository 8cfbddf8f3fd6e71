import type { EvalLatency, EvalReport } from '../EvalReport.js';
import { escapeHtml, formatMs, formatNumber } from './format.js';

interface Row {
  readonly label: string;
  readonly latency: EvalLatency;
  readonly tokensPerSecond: number | null | undefined;
}

/**
 * Latency per model (and the router): p50, p95 and p99 as nested CSS bars on one scale, the
 * slowest p99 filling the cell, then output tokens per second.
 */
export function latencyTable(report: EvalReport): string {
  const rows: Row[] = report.models.map((m) => ({ label: m.model, latency: m.latencyMs, tokensPerSecond: m.outputTokensPerSecond }));
  // The router's summary has no throughput of its own: its runs mix tiers.
  if (report.router !== undefined) rows.push({ label: 'router (auto)', latency: report.router.latencyMs, tokensPerSecond: undefined });
  const slowest = Math.max(1, ...rows.map((r) => r.latency.p99 ?? r.latency.p95 ?? r.latency.p50 ?? 0));
  const width = (ms: number | null): string => `${(((ms ?? 0) / slowest) * 100).toFixed(1)}%`;

  const body = rows
    .map((r) => {
      const { p50, p95, p99 } = r.latency;
      const bars =
        p50 === null
          ? '<span class="muted">no answer</span>'
          : `<div class="latency-bar" title="p50 ${formatMs(p50)} · p95 ${formatMs(p95)} · p99 ${formatMs(p99)}">` +
            `<span class="p99" style="width:${width(p99)}"></span><span class="p95" style="width:${width(p95)}"></span>` +
            `<span class="p50" style="width:${width(p50)}"></span></div>`;
      const throughput = r.tokensPerSecond === undefined ? '<span class="muted">mixed</span>' : formatNumber(r.tokensPerSecond, 1);
      return (
        `<tr data-latency="${escapeHtml(r.label)}"><th scope="row">${escapeHtml(r.label)}</th>` +
        `<td class="num">${formatMs(p50)}</td><td class="num">${formatMs(p95)}</td><td class="num">${formatMs(p99)}</td>` +
        `<td class="bar-cell">${bars}</td><td class="num">${throughput}</td></tr>`
      );
    })
    .join('');
  return (
    '<div class="wide"><table class="latency"><thead><tr><th>model</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th>' +
    '<th>p50 <span class="key p50"></span> p95 <span class="key p95"></span> p99 <span class="key p99"></span></th>' +
    `<th class="num">output tokens/s</th></tr></thead><tbody>${body}</tbody></table></div>`
  );
}
