import type { EvalReport } from '../EvalReport.js';
import { placeLabels } from './chartLabels.js';
import { costScale } from './costScale.js';
import { escapeHtml, formatMs, formatScore, formatUsd } from './format.js';

/** One plotted point: a model, or the router. */
interface Point {
  readonly label: string;
  readonly costPerCaseUsd: number;
  readonly quality: number;
  readonly p50Ms: number | null;
  readonly router: boolean;
}

const [WIDTH, HEIGHT] = [760, 400];
const PLOT = { left: 78, right: 690, top: 24, bottom: 340 };
/** One colour per model, in the order evaluated; the router is drawn apart, in black. */
export const MODEL_COLOURS = ['#2f6fdf', '#e07b00', '#1a9a5a', '#c2379a', '#7a52c7', '#b8860b', '#0f8a9d', '#d14b3c'];

/**
 * Cost per case (x) against quality (y), as inline SVG: one circle per scored model
 * (`data-model`), a diamond for the router (`data-router`), each with a tooltip. Models without a
 * quality score, or without an answer, are listed under the chart rather than plotted at 0.
 */
export function costQualityChart(report: EvalReport): string {
  const points: Point[] = [];
  const notScored: string[] = [];
  for (const m of report.models) {
    if (m.quality.score === null || m.costPerCaseUsd === null) {
      notScored.push(`${m.model} (${m.costPerCaseUsd === null ? 'no answer' : 'not scored'})`);
    } else {
      points.push({ label: m.model, costPerCaseUsd: m.costPerCaseUsd, quality: m.quality.score, p50Ms: m.latencyMs.p50, router: false });
    }
  }
  const router = report.router;
  if (router !== undefined) {
    if (router.quality === null || router.costPerCaseUsd === null) {
      notScored.push(`router (auto) (${router.costPerCaseUsd === null ? 'no answer' : 'not scored'})`);
    } else {
      points.push({
        label: 'router (auto)',
        costPerCaseUsd: router.costPerCaseUsd,
        quality: router.quality,
        p50Ms: router.latencyMs.p50,
        router: true,
      });
    }
  }
  const unplotted =
    notScored.length === 0
      ? ''
      : `<p class="not-scored">Not plotted: ${notScored.map(escapeHtml).join(', ')}. A model is scored by a case's check or by the judge.</p>`;
  if (points.length === 0) return `<p class="empty">No model has both an answer and a quality score to plot.</p>${unplotted}`;

  const scale = costScale(points.map((p) => p.costPerCaseUsd));
  const x = (usd: number): number => PLOT.left + scale.position(usd) * (PLOT.right - PLOT.left);
  const y = (quality: number): number => PLOT.bottom - quality * (PLOT.bottom - PLOT.top);
  const colourOf = (label: string): string => MODEL_COLOURS[report.models.findIndex((m) => m.model === label) % MODEL_COLOURS.length]!;

  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((q) => {
      const at = y(q).toFixed(1);
      return `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}"/><text class="tick" x="${PLOT.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${q.toFixed(2)}</text>`;
    })
    .join('');
  const xTicks = scale.ticks
    .map((usd) => {
      const at = x(usd).toFixed(1);
      return `<line class="grid" x1="${at}" x2="${at}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><text class="tick" x="${at}" y="${PLOT.bottom + 18}" text-anchor="middle">${formatUsd(usd)}</text>`;
    })
    .join('');
  const axes =
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>` +
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>` +
    `<text class="axis-title" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 18}" text-anchor="middle">cost per case (USD${scale.log ? ', log scale' : ''}) → cheaper on the left</text>` +
    `<text class="axis-title" transform="translate(18 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">quality (0..1) → better higher</text>`;

  const pick = report.recommendation.overall?.model;
  const placed = points.map((p) => ({
    ...p,
    cx: x(p.costPerCaseUsd),
    cy: y(p.quality),
    text: `${p.label}${p.label === pick ? ' ★' : ''}`,
  }));
  const labels = placeLabels(placed, { left: PLOT.left, right: WIDTH - 4, top: 2, bottom: PLOT.bottom });
  const marks = placed
    .map((p, i) => {
      const [cx, cy] = [p.cx.toFixed(1), p.cy.toFixed(1)];
      const tooltip = `<title>${escapeHtml(p.label)}: ${formatUsd(p.costPerCaseUsd)} per case, quality ${formatScore(p.quality)}, p50 ${formatMs(p.p50Ms)}</title>`;
      const at = labels[i]!;
      const label = `<text class="point-label" x="${at.x.toFixed(1)}" y="${at.y.toFixed(1)}" text-anchor="${at.anchor}">${escapeHtml(p.text)}</text>`;
      if (p.router) {
        const d = `M${cx} ${(p.cy - 9).toFixed(1)}l9 9l-9 9l-9 -9z`;
        return `<path class="router-point" data-router="auto" d="${d}">${tooltip}</path>${label}`;
      }
      const ring = p.label === pick ? `<circle class="pick-ring" cx="${cx}" cy="${cy}" r="12"/>` : '';
      return `${ring}<circle class="model-point" data-model="${escapeHtml(p.label)}" cx="${cx}" cy="${cy}" r="7" fill="${colourOf(p.label)}">${tooltip}</circle>${label}`;
    })
    .join('');

  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Cost per case against quality, per model" xmlns="http://www.w3.org/2000/svg">` +
    `${grid}${xTicks}${axes}${marks}</svg>` +
    `<p class="legend">★ recommended · ◆ the router (<code>route: 'auto'</code>) · hover a point for its cost, quality and p50 latency</p>${unplotted}`
  );
}
