/** Dollars with enough significant digits for per-call amounts: `$0.000123`, `$1.25`, `$12,400`. */
export function usd(value: number | null): string {
  if (value === null) return '-';
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  if (abs >= 1000) return `$${Math.round(value).toLocaleString('en-US')}`;
  if (abs >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

/** A 0..1 share as a percentage: `83.3%`. */
export function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** Milliseconds, whole: `412 ms`. */
export function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)} ms`;
}

/** A score with two decimals. */
export function score(value: number | null): string {
  return value === null ? '-' : value.toFixed(2);
}

/** Rows as aligned columns: numbers (and `-`) right-aligned, text left-aligned. */
export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = header.map((_, i) => rows.every((row) => /^[-$\d.,% ]+(ms)?$|^-$/.test(row[i]!)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
