import {
  axisMax,
  CHART_WIDTH,
  ChartFrame,
  type ChartNames,
  GRID,
  INK,
  Legend,
  MUTED,
  ticks,
} from './charts';
import { MONTH_NAMES } from '../../../domain/matching/dates';
/**
 * The console's small charts, drawn on the server as SVG: no library, no script, printable.
 * Each names itself with <title> and <desc>; the page shows the same numbers in a table
 * beside it, so the picture is never the only place a figure lives. Colours are presentation
 * attributes because the CSP forbids inline styles.
 */

export const SERIES_COLOURS = ['#0b5cad', '#1d6b3a', '#8a5300'] as const;
const seriesColour = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length] ?? INK;

const MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));
/** "2026-11-30" → "30 Nov". */
export function shortDay(isoDay: string): string {
  const [, m, d] = isoDay.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''}`;
}

export interface Series {
  label: string;
  /** One value per category; null draws nothing (no data that week). */
  values: (number | null)[];
}

/**
 * Vertical bars per category (weeks), one bar per series side by side. `max` fixes the axis
 * (1 for rates); otherwise it is rounded up from the data.
 */
export function ColumnChart({
  categories,
  series,
  format,
  max,
  ...names
}: ChartNames & {
  categories: string[];
  series: Series[];
  format: (n: number) => string;
  /** Fixes the axis (1 for rates); without it the axis counts whole things in five steps. */
  max?: number;
}) {
  const width = CHART_WIDTH;
  const height = 240;
  const left = 56;
  const right = 8;
  const top = series.length > 1 ? 30 : 12;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  // Counts get five whole-number steps (axisMax gives 5, 10, 20, 25, 50 …); a fixed axis gets quarters.
  const steps = max === undefined ? 5 : 4;
  const yMax =
    max ?? Math.max(5, axisMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)))));
  const slot = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, (slot * 0.7) / series.length);
  const y = (v: number) => top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const labelEvery = Math.ceil(categories.length / 13);
  return (
    <ChartFrame {...names} height={height} fontSize={12}>
      {ticks(yMax, steps).map((t) => (
        <g key={t}>
          <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} stroke={GRID} stroke-width="1" />
          <text x={left - 6} y={y(t) + 4} text-anchor="end" fill={MUTED}>
            {format(t)}
          </text>
        </g>
      ))}
      {series.length > 1 ? (
        <Legend
          x={left}
          step={170}
          size={12}
          items={series.map((s, i) => ({ label: s.label, fill: seriesColour(i) }))}
        />
      ) : null}
      {categories.map((c, ci) => (
        <g key={c}>
          {series.map((s, si) => {
            const v = s.values[ci];
            if (v === null || v === undefined) return null;
            const x = left + ci * slot + (slot - barW * series.length) / 2 + si * barW;
            return (
              <rect
                key={s.label}
                x={x}
                y={y(v)}
                width={barW - 1}
                height={Math.max(0, top + plotH - y(v))}
                fill={seriesColour(si)}
              />
            );
          })}
          {ci % labelEvery === 0 ? (
            <text
              x={left + ci * slot + slot / 2}
              y={height - bottom + 16}
              text-anchor="middle"
              fill={MUTED}
            >
              {shortDay(c)}
            </text>
          ) : null}
        </g>
      ))}
      <line
        x1={left}
        x2={width - right}
        y1={top + plotH}
        y2={top + plotH}
        stroke={INK}
        stroke-width="1"
      />
    </ChartFrame>
  );
}

/** Horizontal bars, one per row, the value written at the end of each bar. */
export function BarList({
  rows,
  ...names
}: ChartNames & {
  rows: { label: string; value: number }[];
}) {
  const width = CHART_WIDTH;
  const labelW = 170;
  const rowH = 24;
  const top = 6;
  const valueW = 56;
  const height = top + Math.max(1, rows.length) * rowH + 6;
  const max = axisMax(Math.max(0, ...rows.map((r) => r.value)));
  const barArea = width - labelW - valueW;
  return (
    <ChartFrame {...names} height={height} fontSize={12}>
      {rows.map((r, i) => {
        const y = top + i * rowH;
        const w = (r.value / max) * barArea;
        return (
          <g key={r.label}>
            <text x={labelW - 8} y={y + 16} text-anchor="end" fill={INK}>
              {r.label}
            </text>
            <rect
              x={labelW}
              y={y + 4}
              width={Math.max(0, w)}
              height={rowH - 8}
              fill={SERIES_COLOURS[0]}
            />
            <text x={labelW + w + 6} y={y + 16} fill={INK}>
              {r.value}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
