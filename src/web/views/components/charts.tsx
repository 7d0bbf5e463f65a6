import type { ComponentChildren } from 'preact';
import { COVERAGE_LABELS, COVERAGE_LEVELS } from '../../../domain/crosswalk';
/**
 * Charts drawn on the server as plain SVG: no chart library, no script, readable in print.
 * Each chart names itself through <title> and <desc>, and every page that shows one also
 * shows the same numbers as text (a table), so nothing is only in the picture.
 * Colours are SVG presentation attributes because the CSP forbids inline styles.
 */

/** Every chart is drawn 720 units wide; CSS scales it to the column. */
export const CHART_WIDTH = 720;
export const INK = '#1b2330';
export const MUTED = '#4d5868';
export const GRID = '#d5dbe3';
const FONT = 'system-ui, sans-serif';

export const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
export const weeks = (n: number) => `${n} week${n === 1 ? '' : 's'}`;

/** What a chart says about itself to a screen reader: its title and a description of the figures. */
export interface ChartNames {
  id: string;
  title: string;
  description: string;
}

/** The frame every chart draws in: a scalable SVG that screen readers announce by its title and description. */
export function ChartFrame({
  id,
  title,
  description,
  height,
  fontSize = 13,
  children,
}: ChartNames & { height: number; fontSize?: number; children: ComponentChildren }) {
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${CHART_WIDTH} ${height}`}
      width={CHART_WIDTH}
      height={height}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      font-family={FONT}
      font-size={String(fontSize)}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {children}
    </svg>
  );
}

/** A round axis end at or above the largest value: 1, 2, 2.5 or 5 times a power of ten. */
export function axisMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The values an axis from 0 to `max` marks, in `count` equal steps. */
export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (i / count) * max);
}

/** The key above a chart: a swatch and a label per series, side by side. */
export function Legend({
  x,
  step,
  size,
  items,
  outlined,
}: {
  x: number;
  step: number;
  size: number;
  items: readonly { label: string; fill: string }[];
  /** A thin ink outline, for swatches whose colour is close to the page. */
  outlined?: boolean;
}) {
  return (
    <>
      {items.map((item, i) => (
        <g key={item.label}>
          <rect
            x={x + i * step}
            y={20 - size}
            width={size}
            height={size}
            fill={item.fill}
            stroke={outlined ? INK : undefined}
            stroke-width={outlined ? '0.5' : undefined}
          />
          <text x={x + i * step + size + 6} y={18} fill={INK}>
            {item.label}
          </text>
        </g>
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------
// Overlap map: one stacked bar per ISO/IEC 42001 group.

const COVERAGE_COLOURS = {
  covered: { fill: '#1d6b3a', text: '#ffffff' },
  partly: { fill: '#e8b020', text: INK },
  new: { fill: '#bcc5d1', text: INK },
} as const;

export interface CoverageRow {
  /** Short label drawn beside the bar, e.g. "Clause 6" or "A.7". */
  label: string;
  covered: number;
  partly: number;
  new: number;
  total: number;
}

export function OverlapChart({
  id,
  rows,
  summary,
}: {
  id: string;
  rows: readonly CoverageRow[];
  summary: string;
}) {
  const labelWidth = 84;
  const barArea = CHART_WIDTH - labelWidth - 16;
  const rowHeight = 26;
  const top = 34;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const scale = barArea / max;
  const height = top + rows.length * rowHeight + 8;
  return (
    <ChartFrame
      id={id}
      height={height}
      title="ISO/IEC 42001 requirements per group: covered, partly covered, new work"
      description={summary}
    >
      <Legend
        x={labelWidth}
        step={150}
        size={14}
        items={COVERAGE_LEVELS.map((level) => ({
          label: COVERAGE_LABELS[level],
          fill: COVERAGE_COLOURS[level].fill,
        }))}
        outlined
      />
      {rows.map((row, i) => {
        const y = top + i * rowHeight;
        let x = labelWidth;
        const segments = COVERAGE_LEVELS.map((level) => {
          const w = row[level] * scale;
          const seg = { level, x, w, n: row[level] };
          x += w;
          return seg;
        });
        return (
          <g key={row.label}>
            <text x={labelWidth - 8} y={y + 14} text-anchor="end" fill={INK}>
              {row.label}
            </text>
            {segments.map((s) =>
              s.w > 0 ? (
                <g key={s.level}>
                  <rect
                    x={s.x}
                    y={y}
                    width={s.w}
                    height={19}
                    fill={COVERAGE_COLOURS[s.level].fill}
                    stroke="#ffffff"
                    stroke-width="1"
                  />
                  {s.w >= 18 ? (
                    <text
                      x={s.x + s.w / 2}
                      y={y + 14}
                      text-anchor="middle"
                      fill={COVERAGE_COLOURS[s.level].text}
                    >
                      {s.n}
                    </text>
                  ) : null}
                </g>
              ) : null,
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------
// Estimator: our range beside the published ranges, on one axis.

export type RangeKind = 'ours' | 'used' | 'context' | 'index';

export interface RangeRow {
  label: string;
  low: number;
  high: number;
  kind: RangeKind;
}

const RANGE_FILL: Record<RangeKind, string> = {
  ours: '#0b5cad',
  index: '#1d6b3a',
  used: '#5d7fa3',
  context: '#aab5c3',
};

export function RangeChart({
  id,
  title,
  rows,
  format,
}: {
  id: string;
  title: string;
  rows: readonly RangeRow[];
  format: (n: number) => string;
}) {
  const left = 8;
  const right = 16;
  const rowHeight = 42;
  const top = 8;
  const axis = axisMax(Math.max(...rows.map((r) => r.high)));
  const span = CHART_WIDTH - left - right;
  const px = (v: number) => left + (v / axis) * span;
  const height = top + rows.length * rowHeight + 26;
  const ours = rows.find((r) => r.kind === 'ours');
  return (
    <ChartFrame
      id={id}
      height={height}
      title={title}
      description={`${ours ? `Our estimate: ${format(ours.low)} to ${format(ours.high)}. ` : ''}${rows
        .filter((r) => r.kind !== 'ours')
        .map((r) => `${r.label}: ${format(r.low)} to ${format(r.high)}.`)
        .join(' ')}`}
    >
      {ticks(axis).map((t) => (
        <g key={t}>
          <line x1={px(t)} x2={px(t)} y1={top} y2={height - 22} stroke={GRID} stroke-width="1" />
          <text
            x={px(t)}
            y={height - 6}
            fill={MUTED}
            text-anchor={t === 0 ? 'start' : t === axis ? 'end' : 'middle'}
            font-size="12"
          >
            {format(t)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = top + i * rowHeight;
        const x1 = px(r.low);
        const x2 = Math.max(px(r.high), x1 + 3);
        const valueRight = x2 + 6 + 120 < CHART_WIDTH;
        return (
          <g key={`${r.label}-${i}`}>
            <text x={left} y={y + 13} fill={INK} font-weight={r.kind === 'ours' ? '700' : '400'}>
              {r.label}
            </text>
            <rect
              x={x1}
              y={y + 19}
              width={x2 - x1}
              height={r.kind === 'ours' ? 14 : 10}
              rx="2"
              fill={RANGE_FILL[r.kind]}
            />
            <text
              x={valueRight ? x2 + 6 : x1 - 6}
              y={y + 30}
              fill={INK}
              font-size="12"
              text-anchor={valueRight ? 'start' : 'end'}
            >
              {`${format(r.low)}–${format(r.high)}`}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------
// Timeline: the phases as a Gantt strip, forward from today or back from the needed-by date.

export interface GanttPhase {
  label: string;
  lowWeeks: number;
  highWeeks: number;
}

export interface GanttPlan {
  /** Weeks from today to the date the report or certificate is needed. */
  availableWeeks: number;
  neededByLabel: string;
  /** The date the fastest path reaches, written for people: offered when the date cannot be met. */
  earliestLabel?: string;
}

export type PlanStatus = 'fits' | 'tight' | 'impossible';

export interface PlanVerdict {
  status: PlanStatus;
  /** Weeks from today by which to start if every phase runs long (negative: already past). */
  cautiousStart: number;
  /** The same if every phase runs short. */
  fastestStart: number;
  sentence: string;
}

/** Whether the needed-by date can be met, in words: the point of the strip is to show it at once. */
export function planVerdict(phases: readonly GanttPhase[], plan: GanttPlan): PlanVerdict {
  const totalLow = phases.reduce((s, p) => s + p.lowWeeks, 0);
  const totalHigh = phases.reduce((s, p) => s + p.highWeeks, 0);
  const cautiousStart = plan.availableWeeks - totalHigh;
  const fastestStart = plan.availableWeeks - totalLow;
  if (cautiousStart >= 0) {
    return {
      status: 'fits',
      cautiousStart,
      fastestStart,
      sentence: `${plan.neededByLabel} can be met: start within ${weeks(cautiousStart)} and the date holds even if every phase runs long (${totalHigh} weeks in all).`,
    };
  }
  if (fastestStart >= 0) {
    return {
      status: 'tight',
      cautiousStart,
      fastestStart,
      sentence: `${plan.neededByLabel} is tight: with every phase at its longest you would have needed to start ${weeks(-cautiousStart)} ago. It holds only if the phases run short (${totalLow} weeks), starting within ${weeks(fastestStart)}.`,
    };
  }
  return {
    status: 'impossible',
    cautiousStart,
    fastestStart,
    sentence: `${plan.neededByLabel} cannot be met on this scope: even the fastest path (${totalLow} weeks) would have had to start ${weeks(-fastestStart)} ago.${plan.earliestLabel ? ` The earliest realistic date is ${plan.earliestLabel}.` : ''} A later date, a Type I report first or a smaller scope would change that.`,
  };
}

export function GanttStrip({
  id,
  phases,
  plan,
}: {
  id: string;
  phases: readonly GanttPhase[];
  plan?: GanttPlan;
}) {
  const left = 8;
  const right = 16;
  const rowHeight = 40;
  const top = 8;
  const totalLow = phases.reduce((s, p) => s + p.lowWeeks, 0);
  const totalHigh = phases.reduce((s, p) => s + p.highWeeks, 0);

  // Working back from the date uses the cautious (long) durations: the start it shows is the
  // one that still makes the date if every phase runs long. Forward from today, the dark part
  // of a bar is the short case and the light part how far the long case reaches.
  const bars = phases.map((p, i) => {
    if (plan) {
      const after = phases.slice(i + 1).reduce((s, q) => s + q.highWeeks, 0);
      const end = plan.availableWeeks - after;
      return { label: p.label, solidFrom: end - p.highWeeks, solidTo: end, lightTo: end };
    }
    const startLow = phases.slice(0, i).reduce((s, q) => s + q.lowWeeks, 0);
    const startHigh = phases.slice(0, i).reduce((s, q) => s + q.highWeeks, 0);
    return {
      label: p.label,
      solidFrom: startLow,
      solidTo: startLow + p.lowWeeks,
      lightTo: startHigh + p.highWeeks,
    };
  });
  const from = Math.min(0, ...bars.map((b) => b.solidFrom));
  const to = Math.max(plan ? plan.availableWeeks : totalHigh, 1);
  const span = CHART_WIDTH - left - right;
  const px = (w: number) => left + ((w - from) / (to - from)) * span;
  const height = top + phases.length * rowHeight + 44;
  const verdict = plan ? planVerdict(phases, plan) : null;
  const late = from < 0;
  const description = verdict
    ? verdict.sentence
    : `From the start of readiness: ${phases.map((p) => `${p.label}, ${p.lowWeeks} to ${p.highWeeks} weeks`).join('; ')}. In all ${totalLow} to ${totalHigh} weeks.`;
  return (
    <ChartFrame
      id={id}
      height={height}
      title={plan ? `Timeline working back from ${plan.neededByLabel}` : 'Timeline of the phases'}
      description={description}
    >
      {late ? (
        <rect
          x={px(from)}
          y={top}
          width={px(0) - px(from)}
          height={height - top - 30}
          fill="#f8e1e1"
        />
      ) : null}
      {bars.map((b, i) => {
        const y = top + i * rowHeight;
        const textX = Math.max(left + 4, Math.min(px(b.solidFrom), CHART_WIDTH - 260));
        return (
          <g key={b.label}>
            <text x={textX} y={y + 13} fill={INK}>
              {b.label}
            </text>
            <rect
              x={px(b.solidFrom)}
              y={y + 18}
              width={Math.max(2, px(b.solidTo) - px(b.solidFrom))}
              height={14}
              rx="2"
              fill="#0b5cad"
            />
            {b.lightTo > b.solidTo ? (
              <rect
                x={px(b.solidTo)}
                y={y + 18}
                width={px(b.lightTo) - px(b.solidTo)}
                height={14}
                rx="2"
                fill="#9dbbdc"
              />
            ) : null}
          </g>
        );
      })}
      <line x1={px(0)} x2={px(0)} y1={top} y2={height - 30} stroke={INK} stroke-width="2" />
      <text
        x={px(0) + (late ? -4 : 4)}
        y={height - 16}
        fill={INK}
        font-size="12"
        text-anchor={late ? 'end' : 'start'}
      >
        {plan ? 'Today' : 'Start'}
      </text>
      {plan ? (
        <>
          <line
            x1={px(plan.availableWeeks)}
            x2={px(plan.availableWeeks)}
            y1={top}
            y2={height - 30}
            stroke="#a32020"
            stroke-width="2"
          />
          <text
            x={px(plan.availableWeeks) - 4}
            y={height - 16}
            fill="#a32020"
            font-size="12"
            text-anchor="end"
          >
            {`Needed by ${plan.neededByLabel}`}
          </text>
        </>
      ) : (
        <text x={px(to) - 4} y={height - 16} fill={MUTED} font-size="12" text-anchor="end">
          {`${totalHigh} weeks`}
        </text>
      )}
      {late ? (
        <text x={px(from) + 4} y={height - 2} fill="#a32020" font-size="12">
          Shaded: before today
        </text>
      ) : null}
    </ChartFrame>
  );
}
