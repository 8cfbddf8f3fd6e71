import type { EvalReport } from '../EvalReport.js';
import { caseAnswers } from './caseAnswers.js';
import { costQualityChart } from './costQualityChart.js';
import { escapeHtml, formatWhen } from './format.js';
import { latencyTable } from './latencyTable.js';
import { modelTable, routerSummary } from './modelTables.js';
import { REPORT_CSS } from './styles.js';
import { header, projection, recommendation } from './summarySections.js';

/**
 * The policy the page runs under: nothing may load (no request leaves the page) and no script may
 * run. Every value is escaped already; this is the second lock, should an answer ever slip through.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * The evaluation as one self-contained HTML page (what `tiered-llm eval` writes to `report.html`):
 * the settings and spend, the recommendation and monthly projection, cost against quality per model
 * and for the router as an inline SVG chart, latency, the per-model table, and every case's answers
 * side by side. It loads nothing and runs no script; every text from the report is escaped, since
 * answers are untrusted model output.
 */
export function renderReport(report: EvalReport): string {
  const router =
    report.router === undefined
      ? ''
      : `<h2>Router (<code>route: 'auto'</code>) against ${escapeHtml(report.router.reference)} alone</h2>${routerSummary(report.router)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tiered-llm eval, ${escapeHtml(formatWhen(report.startedAt))}</title>
<style>${REPORT_CSS}</style></head>
<body>
${header(report)}
<h2>Recommendation</h2>
${recommendation(report)}
${projection(report)}
<h2>Cost against quality</h2>
${costQualityChart(report)}
<h2>Models</h2>
${modelTable(report)}
${router}
<h2>Latency</h2>
${latencyTable(report)}
<h2>Answers, case by case</h2>
${caseAnswers(report)}
</body></html>
`;
}
