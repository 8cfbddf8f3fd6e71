import type { CostReport, TieredMetrics } from 'tiered-llm';
import { costLines, usd } from './costLines.js';
import type { DeploymentRow } from './deploymentRows.js';
import type { ShadowTally } from './quality.js';

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Horizontal bars as inline SVG: no script, no external asset. */
function bars(title: string, rows: readonly { label: string; value: number; text: string }[]): string {
  const max = Math.max(1e-12, ...rows.map((r) => r.value));
  const height = rows.length * 28 + 10;
  const body = rows
    .map((r, i) => {
      const y = i * 28 + 5;
      const width = Math.max(1, (r.value / max) * 360);
      return `<text x="0" y="${y + 17}" font-size="13">${escape(r.label)}</text><rect x="230" y="${y}" width="${width.toFixed(1)}" height="20" fill="#4f7bd9"/><text x="${(235 + width).toFixed(1)}" y="${y + 15}" font-size="12">${escape(r.text)}</text>`;
    })
    .join('');
  return `<h2>${escape(title)}</h2><svg width="760" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** A tier's quality, as a bar of `value` (0..1) with its sample size, or "no sample". */
function qualityBar(tier: string, value: number | null, samples: number, of: string): { label: string; value: number; text: string } {
  return { label: tier, value: value ?? 0, text: value === null ? `no ${of}` : `${value.toFixed(2)} (${samples} ${of})` };
}

/**
 * A self-contained HTML page of the run: latency and failed tries per deployment and cost per tier,
 * cheapest tier first, and the savings; the cost report's monthly projection; then quality per tier (the users' thumbs, the shadows'
 * scores) and what the shadows cost apart.
 */
export function htmlReport(
  m: TieredMetrics,
  rows: readonly DeploymentRow[],
  tiers: readonly string[],
  shadows: ShadowTally,
  costs: CostReport,
): string {
  const label = (r: DeploymentRow) => `${r.tier} ${r.deployment} (${r.region})`;
  const allHot = m.total.costUsd + m.total.savedVsBaselineUsd;
  return `<!doctype html><html><head><meta charset="utf-8"><title>tiered-llm demo</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:820px}</style></head><body>
<h1>tiered-llm demo</h1>
<p>${m.total.requests} calls, ${m.total.errors} failed. Cost $${m.total.costUsd.toFixed(4)} against $${allHot.toFixed(4)} on ${escape(m.baselineModel)} alone.</p>
${bars(
  'p95 latency per deployment (ms)',
  rows.map((r) => {
    const latency = r.entry !== undefined && r.entry.requests > r.entry.errors ? r.entry.latencyMs : undefined;
    return {
      label: label(r),
      value: latency?.p95 ?? 0,
      text:
        latency === undefined
          ? 'no call served'
          : `p50 ${latency.p50.toFixed(0)} / p95 ${latency.p95.toFixed(0)} / p99 ${latency.p99.toFixed(0)}`,
    };
  }),
)}
${bars(
  'Failed tries per deployment',
  rows.map((r) => ({
    label: label(r),
    value: r.failedTries,
    text: `${r.failedTries} failed, breaker opens: ${r.entry?.breakerOpens ?? 0}`,
  })),
)}
${bars(
  'Cost per tier (USD)',
  tiers.map((tier) => {
    const cost = m.byTier[tier]?.costUsd ?? 0;
    return { label: tier, value: cost, text: `$${cost.toFixed(4)}` };
  }),
)}
${bars('Spent against the priciest tier alone (USD)', [
  { label: 'tiered-llm', value: m.total.costUsd, text: `$${m.total.costUsd.toFixed(4)}` },
  { label: `${m.baselineModel} alone`, value: allHot, text: `$${allHot.toFixed(4)}` },
])}
<section class="cost-report">
${bars('Your tokens a month, as spent and on each tier alone (USD)', [
  { label: 'as spent', value: costs.actual.monthlyUsd, text: usd(costs.actual.monthlyUsd) },
  ...Object.entries(costs.byTier).map(([tier, r]) => ({ label: `${tier} (${r.model})`, value: r.monthlyUsd, text: usd(r.monthlyUsd) })),
])}
<p>${costLines(costs).map(escape).join('<br>')}</p>
</section>
<section class="quality">
${bars(
  'Thumbs-up rate per tier (simulated users)',
  tiers.map((tier) => {
    const q = m.byTier[tier]?.quality;
    return qualityBar(tier, q?.thumbsUpRate ?? null, q?.feedbackCount ?? 0, 'thumbs');
  }),
)}
${bars(
  `Shadow score per tier (graded by ${shadows.judge} against its own answer)`,
  tiers.map((tier) => {
    const q = m.byTier[tier]?.quality;
    return qualityBar(tier, q?.shadowScore ?? null, q?.shadowCount ?? 0, 'shadows');
  }),
)}
<p class="shadow-spend">${escape(shadows.line(m.total.costUsd))}</p>
</section>
</body></html>`;
}
