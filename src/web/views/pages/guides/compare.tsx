import type { ComponentChildren } from 'preact';
import { overlap } from '../../../../domain/crosswalk';
import {
  type FactGroup,
  type Framework,
  FRAMEWORK_KIND_LABELS,
  type FrameworkKind,
  frameworksMeta,
  ISO_OUTLINES,
} from '../../../../domain/frameworks';
import { FRAMEWORK_IDS, type FrameworkId } from '../../../../domain/vocabulary';
import { Sources } from '../../components/sources';
import { PageHeader } from '../../layout';
import { TextList } from '../../components/text-list';

/**
 * Any two frameworks side by side. Every cell and every "shared" or "different" point is
 * computed from the framework data, so a new framework or a corrected fact changes every
 * comparison that involves it, with nothing written by hand per pair.
 */

const KIND_NOUN: Record<FrameworkKind, string> = {
  attestation: 'an attestation',
  certification: 'a certification',
  assessment: 'an assessment',
};

/** One URL per pair: the order of FRAMEWORK_IDS decides which name comes first. */
export function comparePath(a: FrameworkId, b: FrameworkId): string {
  const [x, y] = FRAMEWORK_IDS.indexOf(a) <= FRAMEWORK_IDS.indexOf(b) ? [a, b] : [b, a];
  return `/compare/${x}-vs-${y}`;
}

export function comparePairs(): [FrameworkId, FrameworkId][] {
  const pairs: [FrameworkId, FrameworkId][] = [];
  FRAMEWORK_IDS.forEach((a, i) => {
    for (const b of FRAMEWORK_IDS.slice(i + 1)) pairs.push([a, b]);
  });
  return pairs;
}

export interface Point {
  text: string;
  link?: { href: string; label: string };
}

const firstSentence = (text: string) => {
  const end = text.indexOf('; ');
  const dot = text.indexOf('. ');
  const cut = [end, dot].filter((i) => i > 0).sort((x, y) => x - y)[0];
  return cut === undefined ? text.replace(/\.$/, '') : text.slice(0, cut);
};

const issuerBody = (f: Framework) => f.issuer.split(/[,;]/)[0]?.trim() ?? f.issuer;
const publishedYear = (f: Framework) => f.firstPublished.year;

/** The ISO frameworks whose clause outlines we hold, for the harmonized-structure point. */
function clauseOutline(id: FrameworkId) {
  return ISO_OUTLINES[id]?.groups.filter((g) => g.kind === 'clause') ?? null;
}

/** The overlap map exists towards ISO 42001, from SOC 2 or from ISO 27001. */
function overlapPoint(a: Framework, b: Framework): Point | null {
  const ids = new Set([a.id, b.id]);
  if (!ids.has('iso42001')) return null;
  const from = ids.has('soc2') ? 'soc2' : ids.has('iso27001') ? 'iso27001' : null;
  if (!from) return null;
  const result = overlap({ have: from === 'soc2' ? { soc2: [] } : { iso27001: true } });
  const t = result.totals.overall;
  const holder =
    from === 'soc2' ? 'A SOC 2 with Security only' : 'An ISO/IEC 27001 management system';
  return {
    text: `${holder} already carries ${t.covered} of the ${t.total} ISO/IEC 42001 requirements and part of ${t.partly} more; ${t.new} are new work.`,
    link: {
      href: from === 'soc2' ? '/overlap?soc2=yes' : '/overlap?iso27001=yes',
      label: 'See the requirement-by-requirement overlap map',
    },
  };
}

export function sharedPoints(a: Framework, b: Framework): Point[] {
  const points: Point[] = [];
  const meta = frameworksMeta();
  if (a.kind === b.kind) {
    points.push({ text: `Both are ${KIND_NOUN[a.kind]}: ${meta.kindMeaning[a.kind]}` });
  }
  if (issuerBody(a) === issuerBody(b)) {
    points.push({ text: `Both come from the same body: ${issuerBody(a)}.` });
  }
  const sharedStandards = a.performedBy.standards.filter((s) =>
    b.performedBy.standards.some((t) => t.split(':')[0] === s.split(':')[0]),
  );
  if (sharedStandards.length > 0) {
    points.push({
      text: `The body that certifies either must be accredited to ${sharedStandards.join(' and ')}, so one certification body can often audit both.`,
    });
  }
  if (
    a.performedBy.standards.length === 0 &&
    b.performedBy.standards.length === 0 &&
    a.kind === 'attestation' &&
    b.kind === 'attestation'
  ) {
    points.push({
      text: 'Both are examined by a licensed CPA firm, so one firm can often report on both.',
    });
  }
  if (a.initialAudit.length > 0 && b.initialAudit.length > 0) {
    points.push({
      text: 'Both begin with a two-stage first audit: stage 1 reviews documents and readiness, stage 2 tests the system in operation.',
    });
  }
  if (a.validity.years !== null && a.validity.years === b.validity.years) {
    points.push({
      text: `Both results are valid for ${a.validity.years} year${a.validity.years === 1 ? '' : 's'} (renewal: ${a.validity.renewal}).`,
    });
  } else if (a.validity.renewal === b.validity.renewal) {
    points.push({ text: `Both are renewed on the same rhythm: ${a.validity.renewal}.` });
  }
  const outlineA = clauseOutline(a.id);
  const outlineB = clauseOutline(b.id);
  if (outlineA && outlineB) {
    const common = outlineA.filter((g) => outlineB.some((h) => h.id === g.id));
    points.push({
      text: `Both follow the ISO harmonized structure: clauses ${common[0]?.id}–${common[common.length - 1]?.id} carry the same numbers and the same management-system duties (context, leadership, planning, support, operation, performance evaluation, improvement).`,
    });
  }
  if (a.variants.length > 0 && b.variants.length > 0) {
    points.push({
      text: 'Both come in more than one variant, so say which one your customers ask for.',
    });
  }
  const o = overlapPoint(a, b);
  if (o) points.push(o);
  if (points.length === 0) {
    points.push({
      text: 'Little, as the data stands: they come from different bodies, produce different results and are renewed differently.',
    });
  }
  return points;
}

export function differences(a: Framework, b: Framework): Point[] {
  const points: Point[] = [];
  const meta = frameworksMeta();
  points.push({ text: `${a.name} answers: “${a.answers}” ${b.name} answers: “${b.answers}”` });
  if (a.kind !== b.kind) {
    points.push({
      text: `${a.name} is ${KIND_NOUN[a.kind]} (${meta.kindMeaning[a.kind]}) ${b.name} is ${KIND_NOUN[b.kind]} (${meta.kindMeaning[b.kind]})`,
    });
  }
  if (issuerBody(a) !== issuerBody(b)) {
    points.push({
      text: `Different owners: ${a.name} comes from ${issuerBody(a)}, ${b.name} from ${issuerBody(b)}.`,
    });
  }
  if (firstSentence(a.performedBy.summary) !== firstSentence(b.performedBy.summary)) {
    points.push({
      text: `Who may perform it. ${a.name}: ${firstSentence(a.performedBy.summary)}. ${b.name}: ${firstSentence(b.performedBy.summary)}.`,
    });
  }
  points.push({
    text: `What you receive. ${a.name}: ${firstSentence(a.deliverable.summary)}. ${b.name}: ${firstSentence(b.deliverable.summary)}.`,
  });
  if (a.validity.years !== b.validity.years || a.validity.renewal !== b.validity.renewal) {
    const term = (f: Framework) =>
      f.validity.years
        ? `${f.validity.years}-year term, ${f.validity.renewal}`
        : `no fixed term, renewed ${f.validity.renewal}`;
    points.push({ text: `Cycle. ${a.name}: ${term(a)}. ${b.name}: ${term(b)}.` });
  }
  if (a.initialAudit.length > 0 !== b.initialAudit.length > 0) {
    const staged = a.initialAudit.length > 0 ? a : b;
    const other = staged === a ? b : a;
    points.push({
      text: `${staged.name} starts with a stage 1 and a stage 2 audit; ${other.name} has no such staged first audit.`,
    });
  }
  if (a.variants.length > 0 || b.variants.length > 0) {
    const variants = (f: Framework) =>
      f.variants.length ? f.variants.map((v) => v.name).join(', ') : 'a single form';
    points.push({ text: `Variants. ${a.name}: ${variants(a)}. ${b.name}: ${variants(b)}.` });
  }
  points.push({
    text: `Scope. ${a.name}: ${a.scopeOptions.summary} ${b.name}: ${b.scopeOptions.summary}`,
  });
  const ya = publishedYear(a);
  const yb = publishedYear(b);
  if (ya && yb && ya !== yb) {
    points.push({ text: `Age. ${a.name} first appeared in ${ya}, ${b.name} in ${yb}.` });
  }
  return points;
}

function List({ items }: { items: readonly string[] }) {
  return items.length === 0 ? (
    <span class="muted">None in our data</span>
  ) : (
    <TextList items={items} class="compact" />
  );
}

interface Row {
  label: string;
  cell: (f: Framework) => ComponentChildren;
  groups: FactGroup[];
}

const ROWS: Row[] = [
  { label: 'The question it answers', cell: (f) => f.answers, groups: ['audience'] },
  { label: 'Kind of result', cell: (f) => FRAMEWORK_KIND_LABELS[f.kind], groups: ['identity'] },
  { label: 'Issuer', cell: (f) => f.issuer, groups: ['identity'] },
  { label: 'Basis', cell: (f) => f.basis, groups: ['identity'] },
  {
    label: 'Who may perform it',
    cell: (f) => (
      <>
        {f.performedBy.summary}
        {f.performedBy.standards.length > 0 ? (
          <p>Accreditation standards: {f.performedBy.standards.join(', ')}</p>
        ) : null}
      </>
    ),
    groups: ['performedBy'],
  },
  {
    label: 'How to check the auditor',
    cell: (f) => <List items={f.performedBy.checks} />,
    groups: ['performedBy'],
  },
  { label: 'What you receive', cell: (f) => f.deliverable.summary, groups: ['deliverable'] },
  {
    label: 'Cycle and validity',
    cell: (f) => (
      <>
        {f.validity.summary} <span class="muted">Renewal: {f.validity.renewal}.</span>
      </>
    ),
    groups: ['validity'],
  },
  {
    label: 'First audit',
    cell: (f) =>
      f.initialAudit.length > 0 ? (
        <List items={f.initialAudit} />
      ) : (
        <span class="muted">No staged first audit</span>
      ),
    groups: ['initialAudit'],
  },
  {
    label: 'Variants',
    cell: (f) => <List items={f.variants.map((v) => `${v.name}: ${v.summary}`)} />,
    groups: ['variants'],
  },
  {
    label: 'Scope',
    cell: (f) => (
      <>
        {f.scopeOptions.summary}
        {f.scopeOptions.trustServicesCategories ? (
          <List
            items={f.scopeOptions.trustServicesCategories.map(
              (c) => `${c.name}${c.required ? ' (always in scope)' : ' (optional)'}`,
            )}
          />
        ) : null}
      </>
    ),
    groups: ['scopeOptions'],
  },
  {
    label: 'First published; current version',
    cell: (f) => `${f.firstPublished.year ?? 'year not confirmed'}; ${f.currentVersion.label}`,
    groups: ['firstPublished', 'currentVersion'],
  },
];

function sourcesOf(f: Framework): string[] {
  return [...new Set(ROWS.flatMap((r) => r.groups.flatMap((g) => f.sources[g] ?? [])))];
}

export function ComparisonTable({ a, b }: { a: Framework; b: Framework }) {
  return (
    <>
      <div class="table-scroll">
        <table class="compare">
          <caption class="visually-hidden">
            {a.name} and {b.name} side by side
          </caption>
          <thead>
            <tr>
              <th scope="col">Fact</th>
              <th scope="col">
                <a href={`/frameworks/${a.id}`}>{a.name}</a>
              </th>
              <th scope="col">
                <a href={`/frameworks/${b.id}`}>{b.name}</a>
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.cell(a)}</td>
                <td>{r.cell(b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Sources urls={sourcesOf(a)} label={`Sources for ${a.name}`} />
      <Sources urls={sourcesOf(b)} label={`Sources for ${b.name}`} />
    </>
  );
}

export function PointList({ points }: { points: readonly Point[] }) {
  return (
    <ul>
      {points.map((p) => (
        <li key={p.text}>
          {p.text}
          {p.link ? (
            <>
              {' '}
              <a href={p.link.href}>{p.link.label}</a>.
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function matchHref(ids: readonly FrameworkId[]): string {
  return `/match?${ids.map((id) => `framework=${encodeURIComponent(id)}`).join('&')}`;
}

export function compareTitle(a: Framework, b: Framework): string {
  return `${a.name} vs ${b.name}`;
}

export function ComparePage({
  a,
  b,
  others,
}: {
  a: Framework;
  b: Framework;
  others: readonly Framework[];
}) {
  return (
    <>
      <PageHeader
        title={`${compareTitle(a, b)}: side by side`}
        lead={`${a.name} is ${KIND_NOUN[a.kind]}; ${b.name} is ${KIND_NOUN[b.kind]}. Here is how they differ in who may audit, what you receive, how long it lasts and what it covers, taken fact by fact from our framework data.`}
      />
      <h2>Side by side</h2>
      <ComparisonTable a={a} b={b} />
      <h2>What they share</h2>
      <PointList points={sharedPoints(a, b)} />
      <h2>Where they differ</h2>
      <PointList points={differences(a, b)} />
      <h2>Next steps</h2>
      <ul>
        <li>
          Read the full guide to <a href={`/frameworks/${a.id}`}>{a.fullName}</a>
        </li>
        <li>
          Read the full guide to <a href={`/frameworks/${b.id}`}>{b.fullName}</a>
        </li>
        <li>
          Not sure you need either?{' '}
          <a href="/advisor">Answer a few questions in the framework advisor</a>
        </li>
      </ul>
      <p>
        <a class="button" href={matchHref([a.id, b.id])}>
          Get three quotes for {a.name} and {b.name}
        </a>
      </p>
      <h2>Other comparisons</h2>
      <ul class="columns">
        {others.map((o) => (
          <li key={o.id}>
            <a href={comparePath(a.id, o.id)}>{compareTitle(...orderPair(a, o))}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function orderPair(a: Framework, b: Framework): [Framework, Framework] {
  return FRAMEWORK_IDS.indexOf(a.id) <= FRAMEWORK_IDS.indexOf(b.id) ? [a, b] : [b, a];
}
