// One row per measured figure, printed as an aligned text table by `npm run bench`.

export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** What the value is compared with (e.g. the hand-coded rate). */
  limit?: number;
  /** What `limit` is, shown beside it. */
  limitLabel?: string;
  /** value / limit. */
  ratio?: number;
  /** The target in words, e.g. `≥ 0.33 (within 3× of hand-coded)`. */
  target?: string;
  /** Whether the target is met; absent for figures without a target. */
  pass?: boolean;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The table as text, one line per row under a header. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['figure', 'value', 'limit', 'ratio', 'target'];
  const cells = rows.map((row) => [
    row.figure,
    `${formatNumber(row.value)} ${row.unit}`,
    row.limit === undefined ? '' : `${formatNumber(row.limit)}${row.limitLabel ? ` (${row.limitLabel})` : ''}`,
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target === undefined ? '' : `${row.target}${row.pass === undefined ? '' : row.pass ? '  pass' : '  FAIL'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

export function printTable(rows: readonly BenchRow[]): void {
  console.log(formatTable(rows));
}
