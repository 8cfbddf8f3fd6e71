/** Rows as aligned columns: figures (money, counts, ms, %, or none) right-aligned, text left-aligned. */
export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = header.map((_, i) => rows.every((row) => /^-?\$?[\d.,]+\s?(ms|s|%)?$|^–$/.test(row[i]!)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
