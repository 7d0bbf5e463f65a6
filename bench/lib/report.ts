/**
 * One line of the benchmark table. `pass` is null for a figure reported for information only
 * (no target) or skipped (see `note`).
 */
export interface Figure {
  /** Stable key for comparing runs, e.g. 'preview.10000.p99'. */
  id: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean | null;
  /** The raw number behind `value`, in the unit `unit`. */
  measured?: number;
  unit?: string;
  note?: string;
}

export function verdict(pass: boolean | null, note?: string): string {
  if (pass === null) return note?.startsWith('skipped') ? 'skipped' : 'info';
  return pass ? 'pass' : 'FAIL';
}

/** A plain-text table: figure | value | target | pass/fail, notes listed underneath. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.figure, f.value, f.target, verdict(f.pass, f.note)]);
  const header = ['figure', 'value', 'target', 'pass/fail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = figures
    .filter((f) => f.note)
    .map((f) => `- ${f.figure}: ${f.note}`)
    .join('\n');
  return [line(header), rule, ...rows.map(line), ...(notes ? ['', notes] : [])].join('\n');
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
