import type { TieredMetrics } from 'tiered-llm';

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Horizontal bars as inline SVG: no script, no external asset. */
function bars(title: string, rows: readonly { label: string; value: number; text: string }[]): string {
  const max = Math.max(1e-12, ...rows.map((r) => r.value));
  const height = rows.length * 28 + 10;
  const body = rows
    .map((r, i) => {
      const y = i * 28 + 5;
      const width = Math.max(1, (r.value / max) * 420);
      return `<text x="0" y="${y + 17}" font-size="13">${escape(r.label)}</text><rect x="170" y="${y}" width="${width.toFixed(1)}" height="20" fill="#4f7bd9"/><text x="${(175 + width).toFixed(1)}" y="${y + 15}" font-size="12">${escape(r.text)}</text>`;
    })
    .join('');
  return `<h2>${escape(title)}</h2><svg width="700" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** A self-contained HTML page of the run: latency per model, cost per tier, and the savings. */
export function htmlReport(m: TieredMetrics): string {
  const models = Object.entries(m.byModel);
  const tiers = Object.entries(m.byTier);
  const allHot = m.total.costUsd + m.total.savedUsd;
  return `<!doctype html><html><head><meta charset="utf-8"><title>tiered-llm demo</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:760px}</style></head><body>
<h1>tiered-llm demo</h1>
<p>${m.total.requests} calls, ${m.total.errors} failed. Cost $${m.total.costUsd.toFixed(4)} against $${allHot.toFixed(4)} on ${escape(m.baselineModel)} alone.</p>
${bars(
  'p95 latency per model (ms)',
  models.map(([model, e]) => ({
    label: model,
    value: e.latencyMs.p95,
    text: `p50 ${e.latencyMs.p50.toFixed(0)} / p95 ${e.latencyMs.p95.toFixed(0)} / p99 ${e.latencyMs.p99.toFixed(0)}`,
  })),
)}
${bars(
  'Cost per tier (USD)',
  tiers.map(([tier, e]) => ({ label: tier, value: e.costUsd, text: `$${e.costUsd.toFixed(4)}` })),
)}
${bars('Spent against the priciest tier alone (USD)', [
  { label: 'tiered-llm', value: m.total.costUsd, text: `$${m.total.costUsd.toFixed(4)}` },
  { label: `${m.baselineModel} alone`, value: allHot, text: `$${allHot.toFixed(4)}` },
])}
</body></html>`;
}
