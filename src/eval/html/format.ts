/**
 * Text for the HTML report. Everything a report holds may come from a model or a cases file, so it
 * goes through `escapeHtml` before it reaches the page; numbers are formatted here, in one place.
 */

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** What a missing value shows as. */
export const NONE = '–';

/**
 * Dollars with the digits that matter: cents from $1 up, else three significant digits, so that a
 * cost per case of $0.000123 is not shown as $0.00.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return NONE;
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs === 0) return '$0';
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(12, Math.max(2, Math.ceil(-Math.log10(abs)) + 2));
  // Trailing zeros beyond the cents say nothing: $0.50, $0.00012.
  const fixed = abs.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${sign}$${fixed}`;
}

/** A share (0..1) as a percentage: 93%, 4.5%. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NONE;
  const percent = ratio * 100;
  // 0.05 is 5.000000000000004% in floating point: one decimal at most, and none when it is 0.
  const text = Math.abs(percent) >= 10 ? percent.toFixed(0) : percent.toFixed(1).replace(/\.0$/, '');
  return `${text}%`;
}

/** A duration: 812 ms, 1,240 ms, 12.5 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** A quality score (0..1) with two decimals. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined || !Number.isFinite(score) ? NONE : score.toFixed(2);
}

/** A plain count or rate: 1,234, 56.7. */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** An ISO time as `2026-12-03 14:05 UTC`, the same wherever the page is opened. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
