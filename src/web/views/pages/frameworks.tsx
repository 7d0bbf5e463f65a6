import {
  factSources,
  FRAMEWORK_KIND_LABELS,
  type Framework,
  type FrameworkKind,
} from '../../../domain/frameworks';
import { Sources } from '../components/sources';
import { PageHeader } from '../layout';
import { TextList } from '../components/text-list';

export function FrameworksPage({
  frameworks,
  kindMeaning,
}: {
  frameworks: readonly Framework[];
  kindMeaning: Record<FrameworkKind, string>;
}) {
  return (
    <>
      <PageHeader
        title="Compliance frameworks"
        lead="What each framework proves, who may audit it, and how often it is renewed. Every fact links to its public source."
      />
      <h2>Three kinds of result</h2>
      <dl class="facts">
        {(Object.keys(FRAMEWORK_KIND_LABELS) as FrameworkKind[]).map((k) => (
          <>
            <dt key={`${k}-t`}>{FRAMEWORK_KIND_LABELS[k]}</dt>
            <dd key={`${k}-d`}>{kindMeaning[k]}</dd>
          </>
        ))}
      </dl>
      <h2>The frameworks</h2>
      <ul class="grid">
        {frameworks.map((f) => (
          <li class="card" key={f.id}>
            <h3>
              <a href={`/frameworks/${f.id}`}>{f.name}</a>
            </h3>
            <p class="muted">
              {FRAMEWORK_KIND_LABELS[f.kind]} · {f.issuer.split(';')[0]}
            </p>
            <p>{f.answers}</p>
          </li>
        ))}
      </ul>
      <p>
        Not sure which you need? <a href="/advisor">Answer a few questions</a> or read{' '}
        <a href="/compare/soc2-vs-iso42001">SOC 2 vs ISO/IEC 42001</a>.
      </p>
    </>
  );
}

export function FrameworkPage({ f, others }: { f: Framework; others: readonly Framework[] }) {
  return (
    <>
      <PageHeader title={f.fullName} lead={f.answers}>
        <p class="muted">
          {FRAMEWORK_KIND_LABELS[f.kind]} · Issued by {f.issuer}
        </p>
      </PageHeader>

      <h2>What it is</h2>
      <dl class="facts">
        <dt>Kind</dt>
        <dd>{FRAMEWORK_KIND_LABELS[f.kind]}</dd>
        <dt>Basis</dt>
        <dd>{f.basis}</dd>
        <dt>What you receive</dt>
        <dd>
          {f.deliverable.summary}
          {f.deliverable.relatedReports.length > 0 ? (
            <TextList items={f.deliverable.relatedReports} />
          ) : null}
        </dd>
        <dt>Current version</dt>
        <dd>
          {f.currentVersion.label}
          {f.currentVersion.note ? <span class="muted"> — {f.currentVersion.note}</span> : null}
        </dd>
        <dt>First published</dt>
        <dd>
          {f.firstPublished.date ?? f.firstPublished.year ?? 'not confirmed'}
          {f.firstPublished.note ? <span class="muted"> — {f.firstPublished.note}</span> : null}
        </dd>
      </dl>
      <Sources urls={factSources(f, 'identity', 'deliverable', 'currentVersion')} />

      <h2>Who may perform it, and how to check</h2>
      <p>{f.performedBy.summary}</p>
      {f.performedBy.checks.length > 0 ? <TextList items={f.performedBy.checks} /> : null}
      {f.performedBy.standards.length > 0 ? (
        <p>
          Accreditation standards: <strong>{f.performedBy.standards.join(', ')}</strong>
        </p>
      ) : null}
      <Sources urls={f.sources.performedBy} />

      <h2>Cycle</h2>
      <p>{f.validity.summary}</p>
      <dl class="facts">
        <dt>Renewal</dt>
        <dd>{f.validity.renewal}</dd>
        {f.validity.years ? (
          <>
            <dt>Certificate term</dt>
            <dd>{f.validity.years} years</dd>
          </>
        ) : null}
      </dl>
      {f.initialAudit.length > 0 ? (
        <>
          <h3>First audit</h3>
          <TextList items={f.initialAudit} ordered />
        </>
      ) : null}
      <Sources urls={factSources(f, 'validity', 'initialAudit')} />

      {f.variants.length > 0 ? (
        <>
          <h2>Variants</h2>
          <dl class="facts">
            {f.variants.map((v) => (
              <>
                <dt key={`${v.id}-t`}>{v.name}</dt>
                <dd key={`${v.id}-d`}>
                  {v.summary}
                  {v.observationWindowMonths ? (
                    <>
                      {' '}
                      Observation window: typically {v.observationWindowMonths.typicalMin}–
                      {v.observationWindowMonths.typicalMax} months.{' '}
                      {v.observationWindowMonths.note}
                    </>
                  ) : null}
                </dd>
              </>
            ))}
          </dl>
          <Sources urls={f.sources.variants} />
        </>
      ) : null}

      <h2>Scope</h2>
      <p>{f.scopeOptions.summary}</p>
      {f.scopeOptions.trustServicesCategories ? (
        <ul>
          {f.scopeOptions.trustServicesCategories.map((c) => (
            <li key={c.id}>
              {c.name}
              {c.required ? ' (always in scope)' : ' (optional)'}
            </li>
          ))}
        </ul>
      ) : null}
      {f.scopeOptions.rules ? <TextList items={f.scopeOptions.rules} /> : null}
      <Sources urls={f.sources.scopeOptions} />

      <h2>Who typically needs it</h2>
      <TextList items={f.typicallyNeededBy} />
      <Sources urls={f.sources.audience} />

      <h2>Next steps</h2>
      <p>
        <a class="button" href={`/match?framework=${f.id}`}>
          Get three quotes for {f.name}
        </a>{' '}
        <a class="button button-secondary" href={`/firms?framework=${f.id}`}>
          Firms that offer it
        </a>
      </p>
      <h3>Compare with</h3>
      <ul>
        {others.map((o) => {
          const [a, b] = [f.id, o.id].sort();
          return (
            <li key={o.id}>
              <a href={`/compare/${a}-vs-${b}`}>
                {f.name} vs {o.name}
              </a>
            </li>
          );
        })}
      </ul>
    </>
  );
}
