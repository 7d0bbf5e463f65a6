import type { DirectoryEntry, DirectoryFilters, DirectoryPageOf } from '../../../domain/directory';
import { credentialState, type Firm } from '../../../domain/firm';
import {
  BUDGET_BAND_LABELS,
  BUDGET_BANDS,
  COMPANY_STAGES,
  FIRM_TYPE_LABELS,
  FRAMEWORK_IDS,
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
  INDUSTRY_LABELS,
  REGION_LABELS,
  REGIONS,
  SIZE_BAND_LABELS,
  STAGE_LABELS,
} from '../../../domain/vocabulary';
import { PageHeader } from '../layout';
import { variant as frameworkVariant } from '../../../domain/frameworks';
import { languageLabel } from '../../../domain/vocabulary';

/** 'Type 2 (Type II)' for 'type2': buyers read names, not codes. */
const variantName = (fw: Parameters<typeof frameworkVariant>[0], id: string) =>
  frameworkVariant(fw, id)?.name ?? id;
import { CredentialTable, type CredentialStateWords } from '../components/credential-table';
import { ErrorSummary, type Option, SelectField, Tag, toOptions } from '../components/forms';
import { TableHead } from '../components/table-head';
import { FilterForm } from '../components/filter-form';
import { hrefWith, PageLinks } from '../components/page-links';

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
export const formatUsd = (n: number) => usd.format(n);

function QualificationBadges({ entry }: { entry: DirectoryEntry }) {
  return (
    <p>
      {entry.qualifiedFor.map((f) => (
        <span key={f} class="tag badge-ok">
          ✓ Qualified for {FRAMEWORK_SHORT_NAMES[f]}
        </span>
      ))}
      {entry.notQualifiedFor.map((f) => (
        <span key={f} class="tag badge-warn">
          {FRAMEWORK_SHORT_NAMES[f]}: no current qualifying credential
        </span>
      ))}
    </p>
  );
}

export function DirectoryPage({
  entries,
  page,
  pages,
  total,
  filters,
  errors,
}: DirectoryPageOf & {
  filters: DirectoryFilters;
  errors: Record<string, string>;
}) {
  const filterFields: {
    name: keyof DirectoryFilters;
    label: string;
    options: Option[];
    emptyLabel: string;
  }[] = [
    {
      name: 'framework',
      label: 'Framework',
      options: toOptions(FRAMEWORK_IDS, FRAMEWORK_SHORT_NAMES),
      emptyLabel: 'Any framework',
    },
    {
      name: 'region',
      label: 'Region',
      options: toOptions(REGIONS, REGION_LABELS),
      emptyLabel: 'Any region',
    },
    {
      name: 'stage',
      label: 'Company stage',
      options: toOptions(COMPANY_STAGES, STAGE_LABELS),
      emptyLabel: 'Any stage',
    },
    {
      name: 'budget',
      label: 'Price band',
      options: toOptions(BUDGET_BANDS, BUDGET_BAND_LABELS),
      emptyLabel: 'Any price',
    },
  ];
  return (
    <>
      <PageHeader
        title="Audit firms"
        lead="CPA firms and certification bodies with their services, regions and the status of their credentials. Only firms with a verified, current credential are ever matched for a framework."
      />
      <ErrorSummary errors={errors} />
      <FilterForm action="/firms" button="Filter" autosubmit>
        {filterFields.map((f) => (
          <SelectField
            key={f.name}
            name={f.name}
            label={f.label}
            options={f.options}
            value={filters[f.name]}
            emptyLabel={f.emptyLabel}
            error={errors[f.name]}
          />
        ))}
      </FilterForm>
      {/* The target of a refused page number's message in the error summary. */}
      <p aria-live="polite" id="f-page">
        {total === 1 ? '1 firm matches' : `${total} firms match`} these filters
        {pages > 1 ? `; page ${page} of ${pages}` : ''}.
      </p>
      {total === 0 ? (
        <p>
          No firm matches these filters. Try a wider region or another price band, or{' '}
          <a href="/firms">clear the filters</a>.
        </p>
      ) : (
        <ul class="grid">
          {entries.map((entry) => (
            <li class="card" key={entry.firm.id}>
              <h2>
                <a href={`/firms/${entry.firm.slug}`}>{entry.firm.name}</a>
              </h2>
              <p class="muted">
                {FIRM_TYPE_LABELS[entry.firm.firmType]} · {entry.firm.headquarters}
              </p>
              <QualificationBadges entry={entry} />
              <p>{entry.firm.regions.map((r) => REGION_LABELS[r]).join(', ')}</p>
            </li>
          ))}
        </ul>
      )}
      <DirectoryPager page={page} pages={pages} filters={filters} />
    </>
  );
}

/** Previous and next pages of the directory, keeping the filters. */
function DirectoryPager({
  page,
  pages,
  filters,
}: {
  page: number;
  pages: number;
  filters: DirectoryFilters;
}) {
  const href = (n: number) =>
    hrefWith('/firms', { ...filters, page: n > 1 ? String(n) : undefined });
  return (
    <PageLinks
      label="Pages of the directory"
      links={[
        page > 1 ? { href: href(page - 1), rel: 'prev', text: 'Previous page' } : null,
        page < pages ? { href: href(page + 1), rel: 'next', text: 'Next page' } : null,
      ]}
    />
  );
}

const STATE_TEXT: CredentialStateWords = {
  verified: 'Verified, current',
  expired: 'Expired',
  pending: 'Awaiting verification',
  rejected: 'Not verified',
  revoked: 'Revoked',
  'not-yet-valid': 'Not yet valid',
};

export function FirmProfilePage({
  firm,
  entry,
  today,
}: {
  firm: Firm;
  entry: DirectoryEntry;
  today: string;
}) {
  return (
    <>
      <PageHeader title={firm.name} lead={firm.description}>
        <p class="muted">
          {FIRM_TYPE_LABELS[firm.firmType]} · Headquarters: {firm.headquarters}
          {firm.demo ? ' · Fictional demo firm' : ''}
        </p>
        <QualificationBadges entry={entry} />
      </PageHeader>

      <h2>Services</h2>
      <div class="table-scroll">
        <table>
          <caption class="muted">
            Indicative fee ranges per company size, as published by the firm
          </caption>
          <TableHead
            columns={['Framework', 'Variants', 'Fees by company size', 'Lead time', 'Availability']}
          />
          <tbody>
            {firm.services.map((s) => (
              <tr key={s.framework}>
                <th scope="row">
                  <a href={`/frameworks/${s.framework}`}>
                    {FRAMEWORK_SHORT_NAMES[s.framework as FrameworkId]}
                  </a>
                </th>
                <td>
                  {s.variants.length > 0
                    ? s.variants.map((v) => variantName(s.framework, v)).join(', ')
                    : '—'}
                </td>
                <td>
                  {s.priceRanges.length === 0 ? (
                    'Quoted per engagement; no price band published'
                  ) : (
                    <ul>
                      {s.priceRanges.map((p) => (
                        <li key={p.sizeBand}>
                          {SIZE_BAND_LABELS[p.sizeBand]}: {formatUsd(p.minUsd)}–
                          {formatUsd(p.maxUsd)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{s.leadTimeWeeks === 1 ? '1 week' : `${s.leadTimeWeeks} weeks`}</td>
                <td>
                  {s.paused && (s.pausedUntil === null || s.pausedUntil >= today)
                    ? `Paused${s.pausedUntil ? ` until ${s.pausedUntil}` : ''}`
                    : s.capacityMonth === today.slice(0, 7) && s.capacityUsed >= s.monthlyCapacity
                      ? 'Full this month'
                      : 'Taking new clients'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Credentials</h2>
      {firm.credentials.length === 0 ? (
        <p>No credentials on file yet.</p>
      ) : (
        <CredentialTable
          caption={`Credentials of ${firm.name}`}
          words={STATE_TEXT}
          rows={firm.credentials.map((c) => ({
            ...c,
            key: `${c.kind}-${c.identifier}`,
            state: credentialState(c, today),
          }))}
        />
      )}
      {firm.credentials.some((c) => c.kind === 'non-accredited-certificate') ? (
        <p class="badge-warn">
          This firm issues at least one certificate without accreditation. Such a certificate is not
          an accredited ISO certification, and Auditmatch never matches it for one.
        </p>
      ) : null}

      <h2>Who they work with</h2>
      <dl class="facts">
        <dt>Regions</dt>
        <dd>{firm.regions.map((r) => REGION_LABELS[r]).join(', ')}</dd>
        <dt>Company stages</dt>
        <dd>
          {firm.stages.map((s) => (
            <Tag key={s}>{STAGE_LABELS[s]}</Tag>
          ))}
        </dd>
        <dt>Industries</dt>
        <dd>
          {firm.industries.map((i) => (
            <Tag key={i}>{INDUSTRY_LABELS[i]}</Tag>
          ))}
        </dd>
        <dt>Languages</dt>
        <dd>{firm.languages.map(languageLabel).join(', ')}</dd>
        <dt>AI specialism</dt>
        <dd>
          {firm.aiSpecialism
            ? 'Yes: audits AI management systems and AI products'
            : 'No stated AI specialism'}
        </dd>
        <dt>Reviews</dt>
        <dd>
          {firm.reviewCount > 0 && firm.reviewMean !== null ? (
            <>
              {`${firm.reviewMean.toFixed(1)} out of 5 from ${firm.reviewCount} introduced ${firm.reviewCount === 1 ? 'buyer' : 'buyers'}`}{' '}
              · <a href={`/firms/${firm.slug}/reviews`}>Read the reviews and the firm's replies</a>
            </>
          ) : (
            'No reviews yet. Only buyers who were introduced through Auditmatch can review.'
          )}
        </dd>
      </dl>
      <p>
        <a class="button" href="/match">
          Get three quotes
        </a>
      </p>
    </>
  );
}
