import type { ComponentChildren } from 'preact';
/**
 * Charts drawn on the server as plain SVG: no chart library, no script, readable in print.
 * Each chart names itself through <title> and <desc>, and every page that shows one also
 * shows the same numbers as text (a table), so nothing is only in the picture.
 * Colours are SVG presentation attributes because the CSP forbids inline styles.
 */

const WIDTH = 720;
const INK = '#1b2330';
const MUTED = '#4d5868';
const GRID = '#d5dbe3';
const FONT = 'system-ui, sans-serif';

export const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
export const weeks = (n: number) => `${n} week${n === 1 ? '' : 's'}`;

/** A round axis end at or above the largest value: 1, 2, 2.5 or 5 times a power of ten. */
/** The frame every chart draws in: a scalable SVG that screen readers announce by its title and description. */
export function ChartFrame({
  id,
  width,
  height,
  fontSize,
  title,
  description,
  children,
}: {
  id: string;
  width: number;
  height: number;
  fontSize: number;
  title: string;
  description: string;
  children: ComponentChildren;
}) {
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
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

export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

// ---------------------------------------------------------------------------
// Overlap map: one stacked bar per ISO/IEC 42001 group.

export const COVERAGE_COLOURS = {
  covered: { fill: '#1d6b3a', text: '#ffffff', label: 'Covered' },
  partly: { fill: '#e8b020', text: INK, label: 'Partly covered' },
  new: { fill: '#bcc5d1', text: INK, label: 'New work' },
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
  const barArea = WIDTH - labelWidth - 16;
  const rowHeight = 26;
  const top = 34;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const scale = barArea / max;
  const height = top + rows.length * rowHeight + 8;
  const legend = (['covered', 'partly', 'new'] as const).map((level, i) => ({
    level,
    x: labelWidth + i * 150,
  }));
  return (
    <ChartFrame
      id={id}
      width={WIDTH}
      height={height}
      fontSize={13}
      title={'ISO/IEC 42001 requirements per group: covered, partly covered, new work'}
      description={summary}
    >
      {legend.map(({ level, x }) => (
        <g key={level}>
          <rect
            x={x}
            y={6}
            width={14}
            height={14}
            fill={COVERAGE_COLOURS[level].fill}
            stroke={INK}
            stroke-width="0.5"
          />
          <text x={x + 20} y={18} fill={INK}>
            {COVERAGE_COLOURS[level].label}
          </text>
        </g>
      ))}
      {rows.map((row, i) => {
        const y = top + i * rowHeight;
        let x = labelWidth;
        const segments = (['covered', 'partly', 'new'] as const).map((level) => {
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
  const axis = niceMax(Math.max(...rows.map((r) => r.high)));
  const span = WIDTH - left - right;
  const px = (v: number) => left + (v / axis) * span;
  const height = top + rows.length * rowHeight + 26;
  const ours = rows.find((r) => r.kind === 'ours');
  return (
    <ChartFrame
      id={id}
      width={WIDTH}
      height={height}
      fontSize={13}
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
        const valueRight = x2 + 6 + 120 < WIDTH;
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
  const span = WIDTH - left - right;
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
      width={WIDTH}
      height={height}
      fontSize={13}
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
        const textX = Math.max(left + 4, Math.min(px(b.solidFrom), WIDTH - 260));
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
