import type { EvalAnswer, EvalCaseResult, EvalReport } from '../EvalReport.js';
import { escapeHtml, formatMs, formatScore, formatUsd } from './format.js';

/** Answers longer than this show their start, and the rest behind a `<details>`. */
const CLIP_CHARS = 480;

/**
 * Every case in a row (id, tags, prompt, expected), every model's answer (and the router's) in a
 * column: the text, its score or check, cost, latency, and what went wrong.
 */
export function caseAnswers(report: EvalReport): string {
  const columns = report.models.map((m) => m.model);
  const withRouter = report.router !== undefined || report.cases.some((c) => c.router !== undefined);
  const head =
    '<tr><th class="case-col">case</th>' +
    columns.map((label) => `<th>${escapeHtml(label)}</th>`).join('') +
    (withRouter ? '<th>router (auto)</th>' : '') +
    '</tr>';
  const rows = report.cases
    .map((c) => {
      const cells = columns.map((label) => answerCell(c.byModel[label], label)).join('');
      const router = withRouter ? answerCell(c.router, 'router (auto)') : '';
      return `<tr data-case="${escapeHtml(c.id)}">${caseCell(c)}${cells}${router}</tr>`;
    })
    .join('');
  // Columns share a wide screen; on a narrow one they keep a readable width and the table scrolls.
  const minWidth = 240 + (columns.length + (withRouter ? 1 : 0)) * 250;
  return `<div class="scroll"><table class="answers" style="min-width:${minWidth}px"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function caseCell(c: EvalCaseResult): string {
  const tags = c.tags.map((tag) => `<span class="tag">${escapeHtml(tag)}</span>`).join(' ');
  const expected = c.expected === undefined ? '' : `<div class="label">expected</div>${clipped(c.expected)}`;
  return `<th scope="row" class="case-col"><div class="case-id">${escapeHtml(c.id)}</div>${tags}<div class="label">prompt</div>${clipped(c.prompt)}${expected}</th>`;
}

function answerCell(answer: EvalAnswer | undefined, label: string): string {
  if (answer === undefined) return `<td data-answer="${escapeHtml(label)}" class="muted">not run</td>`;
  const runs = answer.runs;
  const failed = runs.filter((r) => r.error !== undefined);
  const unjudged = runs.find((r) => r.unjudged !== undefined)?.unjudged;
  const chosen = runs.find((r) => r.error === undefined && r.tier !== undefined);

  const verdict: string[] = [];
  if (answer.score !== undefined)
    verdict.push(`<span class="score" style="--score:${answer.score.toFixed(3)}">${formatScore(answer.score)}</span>`);
  if (answer.pass !== undefined) verdict.push(answer.pass ? '<span class="pass">✓ pass</span>' : '<span class="fail">✗ fail</span>');
  if (answer.score === undefined && answer.pass === undefined && answer.error === undefined && unjudged === undefined) {
    verdict.push('<span class="muted">not scored</span>');
  }
  const facts = [formatUsd(answer.costUsd), formatMs(answer.latencyMs)];
  if (runs.length > 1) facts.push(`${runs.length} runs`);
  if (label === 'router (auto)' && chosen?.tier !== undefined) facts.push(`→ ${escapeHtml(chosen.tier)}`);
  if (runs.some((r) => r.reused === true))
    facts.push('<span class="reused" title="taken from the earlier results.json by --resume">reused</span>');

  const notes: string[] = [];
  const firstError = failed[0]?.error;
  const code = firstError === undefined ? '' : `${firstError.code}: `;
  if (answer.error !== undefined) notes.push(`<div class="error">${escapeHtml(`${code}${answer.error}`)}</div>`);
  else if (firstError !== undefined) {
    notes.push(`<div class="error">${failed.length} of ${runs.length} runs failed: ${escapeHtml(`${code}${firstError.message}`)}</div>`);
  }
  if (unjudged !== undefined) notes.push(`<div class="unjudged">unjudged: ${escapeHtml(unjudged)}</div>`);

  const text = answer.text === '' ? '' : clipped(answer.text);
  return (
    `<td data-answer="${escapeHtml(label)}"><div class="verdict">${verdict.join(' ')}<span class="run-facts">${facts.join(' · ')}</span></div>` +
    `${notes.join('')}${text}</td>`
  );
}

/** The text, pre-wrapped; a long one cut at a space near `CLIP_CHARS`, the rest one click away. */
function clipped(text: string): string {
  if (text.length <= CLIP_CHARS + 80) return `<div class="text">${escapeHtml(text)}</div>`;
  const space = text.lastIndexOf(' ', CLIP_CHARS);
  const cut = space > CLIP_CHARS / 2 ? space : CLIP_CHARS;
  // Cut between UTF-16 halves of a pair and both halves would show as garbage.
  const at = /[\uD800-\uDBFF]/.test(text[cut - 1] ?? '') ? cut + 1 : cut;
  const [start, rest] = [text.slice(0, at), text.slice(at)];
  return (
    `<details class="long"><summary><span class="text">${escapeHtml(start)}<span class="more">… show all ${text.length.toLocaleString('en-US')} characters</span></span></summary>` +
    `<div class="text rest">${escapeHtml(rest)}</div></details>`
  );
}
