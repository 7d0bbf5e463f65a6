import { envelope, ISO42001_FIGURES, publishedRows } from '../../../../domain/market';
import { fullDate } from '../../../../domain/matching/dates';
import { ADVISOR_RULES } from '../../../../domain/advisor';
import { COVERAGE_LABELS, overlap, soc2CrosswalkEntry } from '../../../../domain/crosswalk';
import { type Estimate, ESTIMATE_LABEL, estimate } from '../../../../domain/estimate';
import {
  factSources,
  framework,
  frameworksMeta,
  iso42001Outline,
  tscCategories,
} from '../../../../domain/frameworks';
import { TSC_CATEGORIES } from '../../../../domain/vocabulary';
import { usd } from '../../components/charts';
import { Sources } from '../../components/sources';
import { ComparisonTable, differences, matchHref, PointList, sharedPoints } from './compare';
import { TableHead } from '../../components/table-head';
import { TextList } from '../../components/text-list';

/**
 * The flagship guide. The prose is ours; every fact in it (names, dates, counts, who may
 * audit, what carries what, ranges) is read from the data modules when the page renders,
 * and each section links to the page where that data is shown in full.
 */

function longDate(iso: string | null): string {
  return iso ? fullDate(iso) : '';
}

const BASE_SCOPE = { headcount: 25, systems: 5, locations: 1 } as const;

/** The AI-specific themes of ISO/IEC 42001, each with the requirement lines that carry it. */
const AI_THEMES: { theme: string; says: string; ids: string[] }[] = [
  {
    theme: 'AI system impact assessment',
    says: 'A defined way to judge what each AI system can do to individuals, groups and society, run on a schedule and after significant changes, with the results kept',
    ids: ['6.1.4', '8.4', 'A.5.2', 'A.5.4', 'A.5.5'],
  },
  {
    theme: 'The AI lifecycle',
    says: 'Requirements, design records, validation against acceptance criteria, approved releases, monitoring in operation and event logs for every AI system',
    ids: ['A.6.2.2', 'A.6.2.4', 'A.6.2.5', 'A.6.2.6', 'A.6.2.8'],
  },
  {
    theme: 'Data quality and provenance',
    says: 'Where training and input data came from, whether it meets stated quality requirements and how it was prepared',
    ids: ['A.7.3', 'A.7.4', 'A.7.5', 'A.7.6'],
  },
  {
    theme: 'Suppliers and third parties',
    says: 'Who is responsible for what across suppliers, partners and customers, and whether supplied models and data fit your approach',
    ids: ['A.10.2', 'A.10.3', 'A.10.4'],
  },
  {
    theme: 'Accountability',
    says: 'Named owners for AI activities and a channel for raising concerns',
    ids: ['5.3', 'A.3.2', 'A.3.3'],
  },
  {
    theme: 'Transparency',
    says: 'What users and other interested parties are told about an AI system, its limits and its incidents',
    ids: ['A.6.2.7', 'A.8.2', 'A.8.3', 'A.8.4'],
  },
  {
    theme: 'Human oversight and responsible use',
    says: 'Rules for using AI systems responsibly and only for their intended purpose, with people watching how they behave',
    ids: ['A.9.2', 'A.9.4', 'A.6.2.6'],
  },
];

/** Where SOC 2 work carries into ISO/IEC 42001, read from the crosswalk entries. */
const BRIDGES: { topic: string; id: string }[] = [
  { topic: 'Governance and leadership', id: '5.1' },
  { topic: 'Risk assessment', id: '6.1.2' },
  { topic: 'Change management', id: 'A.6.2.5' },
  { topic: 'Monitoring in operation', id: 'A.6.2.6' },
  { topic: 'Incident response', id: 'A.8.4' },
  { topic: 'Vendor management', id: 'A.10.3' },
  { topic: 'Documentation', id: '7.5.1' },
];

export interface FaqEntry {
  question: string;
  answer: string;
}

interface FlagshipData {
  soc2Estimate: Estimate;
  isoEstimate: Estimate;
  isoAfterSoc2: Estimate;
  securityOnly: ReturnType<typeof overlap>;
  allCategories: ReturnType<typeof overlap>;
}

function flagshipData(): FlagshipData {
  return {
    soc2Estimate: estimate({
      framework: 'soc2',
      variant: 'type2',
      existingProgram: 'none',
      ...BASE_SCOPE,
    }),
    isoEstimate: estimate({ framework: 'iso42001', existingProgram: 'none', ...BASE_SCOPE }),
    isoAfterSoc2: estimate({ framework: 'iso42001', existingProgram: 'soc2', ...BASE_SCOPE }),
    securityOnly: overlap({ have: { soc2: [] } }),
    allCategories: overlap({ have: { soc2: [...TSC_CATEGORIES] } }),
  };
}

/** Lower-cases the first letter so a data sentence can continue one of ours. */
const lower = (text: string) => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

const ISO_ALL_IN = envelope(ISO42001_FIGURES.firstYearAllIn);

const range = (e: Estimate) =>
  e.cost
    ? `${usd(e.cost.lowUsd)}–${usd(e.cost.highUsd)}${e.bounds.cost.status === 'beyond' ? ' or more' : ''}`
    : 'no published fee figure';
const span = (e: Estimate) => `${e.timeline.lowWeeks}–${e.timeline.highWeeks} weeks`;

/** A table cell with its figure and, where only one publisher stands behind it, that label. */
function Figure({ text, basis }: { text: string; basis: string | null }) {
  return (
    <td>
      {text}
      {basis ? <small class="basis">{basis}</small> : null}
    </td>
  );
}

/** The one all-in figure we hold for ISO 42001, with its publisher and date. */
const ISO_ALL_IN_ROWS = publishedRows(
  ISO42001_FIGURES.firstYearAllIn,
  'ISO 42001 first year, all in',
  'usd',
  false,
);
const ISO_ALL_IN_BY = ISO_ALL_IN_ROWS.map((r) => `${r.name}, ${r.date}`).join('; ');

/** Questions and answers built from the same data as the page, for the page and its JSON-LD. */
export function flagshipFaq(): FaqEntry[] {
  const soc2 = framework('soc2');
  const iso = framework('iso42001');
  const d = flagshipData();
  return [
    {
      question: 'Does ISO/IEC 42001 replace SOC 2?',
      answer: `No. SOC 2 is an attestation by a CPA firm about security controls over customer data; ISO/IEC 42001 certifies a management system for AI. Even a SOC 2 with all five categories leaves ${d.allCategories.totals.overall.new} of the ${d.allCategories.totals.overall.total} ISO/IEC 42001 requirements as new work, and a 42001 certificate is not the CPA report that US enterprise buyers ask for.`,
    },
    {
      question: 'Who may issue an ISO/IEC 42001 certificate?',
      answer: `A certification body accredited to ${iso.performedBy.standards.join(' and ')} by an accreditation body that has signed the IAF multilateral arrangement, with ISO/IEC 42001 named in its accreditation scope.`,
    },
    {
      question: 'How long does each result last?',
      answer: `An ISO/IEC 42001 certificate runs for ${iso.validity.years} years: surveillance audits in the second and third years, and a recertification audit in year three, before it expires. A SOC 2 report does not expire, but customers usually expect a new one ${soc2.validity.renewal.replace(', by market practice', '')}.`,
    },
    {
      question: 'Which should an AI company do first?',
      answer:
        'Usually SOC 2, because enterprise and US buyers ask for it before anything else and its security controls carry into the AI management system. ISO/IEC 42001 follows once AI is the core of the product or buyers start asking how models are governed.',
    },
    {
      question: 'What do the audits cost?',
      answer: `Both are quoted per engagement and driven by scope. For about ${BASE_SCOPE.headcount} people in scope, our estimator puts a SOC 2 Type II audit fee at ${range(d.soc2Estimate)}. For ISO/IEC 42001 we hold no published figure for the certification body's fee alone that meets our source policy, so we give none; for the whole first year (readiness, tools and audits) we hold ${usd(ISO_ALL_IN.low)}–${usd(ISO_ALL_IN.high)}, ${ISO_ALL_IN_ROWS.some((r) => r.kind === 'single-publisher') ? "one publisher's estimate" : 'from published figures'} (${ISO_ALL_IN_BY}). Quotes vary.`,
    },
  ];
}

function Req({ id }: { id: string }) {
  const r = iso42001Outline.requirement(id);
  return (
    <li>
      <strong>{id}</strong> {r?.title ?? ''}
    </li>
  );
}

export function FlagshipPage() {
  const soc2 = framework('soc2');
  const iso = framework('iso42001');
  const type2Window = soc2.variants.find((v) => v.id === 'type2')?.observationWindowMonths;
  const meta = frameworksMeta();
  const d = flagshipData();
  const categories = tscCategories();
  const security = categories.find((c) => c.required);
  const optional = categories.filter((c) => !c.required);
  const groups = iso42001Outline.groups;
  const clauseGroups = groups.filter((g) => g.kind === 'clause');
  const controlGroups = groups.filter((g) => g.kind === 'control');
  const controls = controlGroups.reduce((s, g) => s + g.requirements, 0);
  const requirements = groups.reduce((s, g) => s + g.requirements, 0);
  const sec = d.securityOnly.totals.overall;
  const all = d.allCategories.totals.overall;
  const newForAll = d.allCategories.requirements.filter((r) => r.status === 'new');
  const rule = (id: string) => ADVISOR_RULES.find((r) => r.id === id);
  const faq = flagshipFaq();
  const toc = [
    ['questions', 'Two different questions'],
    ['soc2', 'SOC 2: an attestation against the Trust Services Criteria'],
    ['iso42001', 'ISO/IEC 42001: a management system for AI'],
    ['audit', 'Who audits, and what you receive'],
    ['both', 'Why AI companies pursue both'],
    ['complement', 'How they complement each other'],
    ['limits', 'What neither does for the other'],
    ['order', 'Who needs which, and in what order'],
    ['cost', 'What it costs and how long it takes'],
    ['table', 'Side by side'],
    ['faq', 'Questions buyers ask'],
  ] as const;

  return (
    <article class="guide">
      <div class="page-header">
        <h1>SOC 2 vs ISO/IEC 42001: which does an AI company need?</h1>
        <p class="lead">
          One proves you protect the data customers trust you with; the other proves you govern the
          AI you build, provide or use. This guide explains both, where they overlap, where they do
          not, and the order that usually makes sense.
        </p>
      </div>

      <nav aria-label="On this page" class="toc">
        <h2 class="toc-title">On this page</h2>
        <ol>
          {toc.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="questions">
        <h2 id="questions">Two different questions</h2>
        <p>
          Buyers ask for SOC 2 and ISO/IEC 42001 for different reasons, so it helps to start with
          the question each one answers.
        </p>
        <dl class="facts">
          <dt>SOC 2</dt>
          <dd>{soc2.answers}</dd>
          <dt>ISO/IEC 42001</dt>
          <dd>{iso.answers}</dd>
        </dl>
        <p>
          The first is about the systems that hold your customers' data. The second is about how
          your organisation decides, builds, checks and watches its AI. Passing one says nothing
          about the other: a SOC 2 auditor does not ask how a model was validated, and an ISO/IEC
          42001 auditor does not give an opinion on your firewall rules. See the full pages on{' '}
          <a href="/frameworks/soc2">SOC 2</a> and <a href="/frameworks/iso42001">ISO/IEC 42001</a>.
        </p>
      </section>

      <section aria-labelledby="soc2">
        <h2 id="soc2">SOC 2: an attestation against the Trust Services Criteria</h2>
        <p>
          SOC 2 belongs to the AICPA, and it is an attestation: {meta.kindMeaning.attestation} Its
          basis: {lower(soc2.basis)}. {soc2.performedBy.summary}
        </p>
        <p>
          The yardstick is the AICPA's Trust Services Criteria. {security?.name} (
          {security?.criteria} criteria, the common criteria) is part of every SOC 2; the other four
          categories are added when customers need them:
        </p>
        <ul>
          {optional.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong>: {c.note}
            </li>
          ))}
        </ul>
        <p>
          The report comes in two forms.{' '}
          {soc2.variants.map((v) => `${v.name}: ${v.summary}`).join(' ')} Customers usually ask for
          Type 2.
          {type2Window
            ? ` A Type 2 covers an observation window of ${type2Window.typicalMin} to ${type2Window.typicalMax} months: ${lower(type2Window.note)}`
            : ''}
        </p>
        <p>
          AI can go into the SOC 2 itself. A company can put its AI systems inside the system
          description and ask the CPA firm to examine them against additional, AI-specific criteria
          (a SOC 2+ report, with additional subject matter). For US buyers who already read SOC 2
          reports, that can be an alternative to ISO/IEC 42001, or a bridge while the certificate is
          prepared; it is still an attestation, not a certificate.
        </p>
        <Sources urls={factSources(soc2, 'identity', 'variants', 'deliverable', 'scopeOptions')} />
      </section>

      <section aria-labelledby="iso42001">
        <h2 id="iso42001">ISO/IEC 42001: a management system for AI</h2>
        <p>
          ISO/IEC 42001 was published on {longDate(iso.firstPublished.date)} by {iso.issuer}. It is
          the first international standard for an AI management system (AIMS): not a checklist for
          one model, but the way an organisation runs AI as a whole.
        </p>
        <p>
          Its skeleton is the harmonized structure ISO uses for every management-system standard,
          the same one <a href="/frameworks/iso27001">ISO/IEC 27001</a> follows. Clauses{' '}
          {clauseGroups[0]?.id} to {clauseGroups[clauseGroups.length - 1]?.id} ask for the same kind
          of work in both standards:
        </p>
        <ul>
          {clauseGroups.map((g) => (
            <li key={g.id}>
              <strong>Clause {g.id}</strong> {g.title} ({g.requirements} requirements)
            </li>
          ))}
        </ul>
        <p>
          In practice that means top management leads and funds the system, sets measurable AI
          objectives, and improves it continually, checked by internal audits and management
          reviews. A company that already runs ISO/IEC 27001 recognises all of this; the{' '}
          <a href="/compare/iso27001-vs-iso42001">ISO/IEC 27001 vs ISO/IEC 42001 comparison</a>{' '}
          shows the shared clauses.
        </p>
        <p>
          What makes ISO/IEC 42001 about AI is the AI system impact assessment in the clauses and{' '}
          {controls} reference controls in Annex A, grouped in {controlGroups.length} themes. In our
          words, the standard expects:
        </p>
        <dl class="themes">
          {AI_THEMES.map((t) => (
            <div key={t.theme}>
              <dt>{t.theme}</dt>
              <dd>
                {t.says}.
                <ul class="compact">
                  {t.ids.map((id) => (
                    <Req key={id} id={id} />
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
        <p class="muted">
          Requirement titles are our own short descriptions; buy the standard for its text. All{' '}
          {requirements} lines are listed in the <a href="/overlap">overlap map</a>.
        </p>
        <Sources urls={factSources(iso, 'identity', 'firstPublished')} />
      </section>

      <section aria-labelledby="audit">
        <h2 id="audit">Who audits, and what you receive</h2>
        <p>
          <strong>ISO/IEC 42001.</strong> {iso.performedBy.summary} Before you sign, check:
        </p>
        <TextList items={iso.performedBy.checks} />
        <p>The first certification audit has two stages:</p>
        <ol>
          {iso.initialAudit.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <p>
          Then the cycle begins: {iso.validity.summary} The surveillance audit each year samples the
          system again, so the certificate has to be earned every year, not once. What you hold is a
          certificate: {lower(iso.deliverable.summary)}
        </p>
        <p>
          <strong>SOC 2.</strong> What you receive is an attestation report, not a certificate:{' '}
          {lower(soc2.deliverable.summary)} {soc2.validity.summary}
        </p>
        <p>
          So the two results are used differently. A SOC 2 report is read: customers and their
          auditors go through the tests and exceptions. An ISO certificate is checked: customers
          confirm the scope and that an accredited body issued it.
        </p>
        <Sources
          urls={[
            ...factSources(iso, 'performedBy', 'validity'),
            ...factSources(soc2, 'deliverable'),
          ]}
        />
      </section>

      <section aria-labelledby="both">
        <h2 id="both">Why AI companies pursue both</h2>
        <p>
          Enterprise procurement has added model governance to its security questionnaires: how
          models are trained, on what data, how they are tested before release, who watches them in
          production and what happens when they misbehave. A SOC 2 report does not answer those
          questions. An ISO/IEC 42001 certificate answers many of them at once, which is why our
          data lists among its typical holders:
        </p>
        <TextList items={iso.typicallyNeededBy} />
        <p>
          The EU AI Act adds weight. It does not name ISO/IEC 42001 as a way to comply, and a
          certificate is not a legal conformity route; but a recognised framework is a credible way
          to show that you manage AI risk, which matters more once a law is asking. Meanwhile SOC 2
          stays what US enterprise buyers expect first:
        </p>
        <TextList items={soc2.typicallyNeededBy} />
        <Sources urls={[...factSources(iso, 'audience'), ...factSources(soc2, 'audience')]} />
      </section>

      <section aria-labelledby="complement">
        <h2 id="complement">How they complement each other</h2>
        <p>
          A SOC 2 programme is a good foundation for an AI management system. Of the {sec.total}{' '}
          ISO/IEC 42001 requirements, a SOC 2 with Security only already covers {sec.covered} and
          carries part of {sec.partly}; {sec.new} are new work. With all five categories in scope
          the new work drops to {all.new}. The main bridges:
        </p>
        <div class="table-scroll">
          <table>
            <caption>Where SOC 2 work carries into ISO/IEC 42001</caption>
            <TableHead columns={['Topic', 'ISO/IEC 42001', 'SOC 2 criteria', 'Our reading']} />
            <tbody>
              {BRIDGES.map((b) => {
                const entry = soc2CrosswalkEntry(b.id);
                return (
                  <tr key={b.id}>
                    <th scope="row">{b.topic}</th>
                    <td>
                      {b.id} {iso42001Outline.requirement(b.id)?.title}
                    </td>
                    <td>{entry?.soc2Criteria.join(', ')}</td>
                    <td>
                      {COVERAGE_LABELS[entry?.level ?? 'new']}. {entry?.rationale}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p>
          Evidence can be reused too: the same policies, access reviews, vendor files and change
          records serve both audits when the AI systems are inside the SOC 2 system description.
          Some firms are both a CPA firm and an accredited certification body, so one relationship
          can cover both audits; the <a href="/firms">firm directory</a> shows which.
        </p>
        <p>
          Another bridge sits outside our data: the Cloud Security Alliance publishes an AI Controls
          Matrix (AICM) with a mapping to ISO/IEC 42001, useful if your team already works from CSA
          control sets. Check the CSA's own documents for its current version.
        </p>
        <p>
          <a href="/overlap?soc2=yes">Open the overlap map for a Security-only SOC 2</a>, or choose
          your own categories there.
        </p>
      </section>

      <section aria-labelledby="limits">
        <h2 id="limits">What neither does for the other</h2>
        <p>
          <strong>SOC 2 does not make you ready for ISO/IEC 42001.</strong> Even with all five
          categories, {newForAll.length} requirements have no SOC 2 counterpart, among them:
        </p>
        <ul class="columns">
          {newForAll.slice(0, 12).map((r) => (
            <li key={r.id}>
              <strong>{r.id}</strong> {r.title}
            </li>
          ))}
        </ul>
        <p>
          A SOC 2 also has no management system around its controls: no AIMS scope, internal audit
          programme or management review in the ISO sense.
        </p>
        <p>
          <strong>ISO/IEC 42001 does not replace SOC 2.</strong> Its Annex A is about AI, not
          general information security, and a certificate is not a CPA's opinion on whether controls
          worked across a period. Customers who ask for a SOC 2 report, and their own auditors,
          still need that report.
        </p>
        <p>
          <strong>Neither makes you compliant with the EU AI Act.</strong> What the Act asks of you
          depends on how it classifies your AI systems; take legal advice on that.
        </p>
      </section>

      <section aria-labelledby="order">
        <h2 id="order">Who needs which, and in what order</h2>
        <p>Our advisor applies these rules, among others:</p>
        <ul>
          {['R1', 'R3', 'R4', 'R5', 'R10'].map((id) => {
            const r = rule(id);
            return r ? (
              <li key={id}>
                <strong>{r.title}.</strong> {r.description}
              </li>
            ) : null;
          })}
        </ul>
        <p>
          In short: SOC 2 first for general trust; ISO/IEC 42001 once AI is core to what you sell or
          buyers scrutinise how you govern models. If you already hold ISO/IEC 27001, ISO/IEC 42001
          builds on it directly, since the clauses are shared.
        </p>
        <p>
          <a href="/advisor?aiExposure=ai-is-the-product&amp;customers=enterprise&amp;markets=us">
            See the advisor's answer for an AI product sold to US enterprises
          </a>
          , or <a href="/advisor">answer the questions for your company</a>.
        </p>
      </section>

      <section aria-labelledby="cost">
        <h2 id="cost">What it costs and how long it takes</h2>
        <p>
          Neither audit has a list price. Firms and certification bodies quote per engagement, and
          the quote follows scope: people and systems in scope, locations, the categories or
          controls included, the length of a SOC 2 observation window, and what you can reuse. Our
          estimator starts from published ranges and applies those drivers. For about{' '}
          {BASE_SCOPE.headcount} people, {BASE_SCOPE.systems} systems and one location:
        </p>
        <div class="table-scroll">
          <table>
            <caption>{ESTIMATE_LABEL}</caption>
            <TableHead columns={['Audit', 'Audit fees', 'From start to report or certificate']} />
            <tbody>
              <tr>
                <th scope="row">SOC 2 Type II, first report</th>
                <Figure text={range(d.soc2Estimate)} basis={d.soc2Estimate.singlePublisher.cost} />
                <Figure
                  text={span(d.soc2Estimate)}
                  basis={d.soc2Estimate.singlePublisher.timeline}
                />
              </tr>
              <tr>
                <th scope="row">ISO/IEC 42001, from scratch</th>
                <Figure text={range(d.isoEstimate)} basis={d.isoEstimate.singlePublisher.cost} />
                <Figure text={span(d.isoEstimate)} basis={d.isoEstimate.singlePublisher.timeline} />
              </tr>
              <tr>
                <th scope="row">ISO/IEC 42001 with SOC 2 in place</th>
                <Figure text={range(d.isoAfterSoc2)} basis={d.isoAfterSoc2.singlePublisher.cost} />
                <Figure
                  text={span(d.isoAfterSoc2)}
                  basis={d.isoAfterSoc2.singlePublisher.timeline}
                />
              </tr>
            </tbody>
          </table>
        </div>
        <p class="sources">
          Figures from:{' '}
          {[
            ...new Set(
              [...d.soc2Estimate.sources, ...d.isoEstimate.sources]
                .filter((s) => s.usedInEstimate)
                .map((s) => (s.date ? `${s.name} (${s.date})` : s.name)),
            ),
          ].join('; ')}
          .
        </p>
        <p>
          <a href="/estimate?framework=soc2">Estimate SOC 2 for your scope</a> ·{' '}
          <a href="/estimate?framework=iso42001&amp;existingProgram=soc2">
            Estimate ISO/IEC 42001 with SOC 2 in place
          </a>
        </p>
      </section>

      <section aria-labelledby="table">
        <h2 id="table">Side by side</h2>
        <ComparisonTable a={soc2} b={iso} />
        <h3>What they share</h3>
        <PointList points={sharedPoints(soc2, iso)} />
        <h3>Where they differ</h3>
        <PointList points={differences(soc2, iso)} />
      </section>

      <section aria-labelledby="faq">
        <h2 id="faq">Questions buyers ask</h2>
        {faq.map((f) => (
          <div key={f.question}>
            <h3>{f.question}</h3>
            <p>{f.answer}</p>
          </div>
        ))}
      </section>

      <section aria-labelledby="quotes" class="cta">
        <h2 id="quotes">Get three quotes for both</h2>
        <p>
          Tell us your stage and timeline once. We propose three firms qualified for SOC 2 and for
          accredited ISO/IEC 42001 certification, and you choose who may contact you.
        </p>
        <p>
          <a class="button" href={matchHref(['soc2', 'iso42001'])}>
            Get three quotes for SOC 2 and ISO/IEC 42001
          </a>
        </p>
      </section>
    </article>
  );
}
