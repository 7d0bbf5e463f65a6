import { ErrorText } from '../../components/forms';
import {
  FIRM_TYPE_LABELS,
  FRAMEWORK_SHORT_NAMES,
  type FirmType,
  type FrameworkId,
} from '../../../../domain/vocabulary';
import type { FirmListQuery, FirmSummary } from '../../../../services/admin/firms';
import {
  APPLICATION_LIST_LIMIT,
  type FirmApplicationView,
} from '../../../../services/firm/accounts';
import {
  AdminShell,
  type ConsoleFrame,
  FormProblem,
  BY_PAGE,
  Pager,
  type RowFailure,
  RowForm,
  rowState,
  TextField,
  when,
} from './shell';
import { TableHead } from '../../components/table-head';
import { FilterForm } from '../../components/filter-form';

const STATUS_CLASS: Record<string, string> = {
  active: 'badge-ok',
  pending: 'badge-warn',
  suspended: 'badge-bad',
};

function ApplicationRow({
  a,
  csrf,
  failure,
}: {
  a: FirmApplicationView;
  csrf: string;
  failure: RowFailure | null;
}) {
  const { errors, typed } = rowState(failure, a.userId);
  return (
    <li class="card" id={`application-${a.userId}`}>
      <h3>
        {a.applicantName} for {a.firm.name}
      </h3>
      <dl class="facts">
        <dt>Applies to</dt>
        <dd>{a.kind === 'claim' ? 'Manage a listed firm' : 'List a new firm'}</dd>
        <dt>Work email</dt>
        <dd>
          {a.email}{' '}
          <span class={a.domainMatches ? 'badge-ok' : 'badge-warn'}>
            {a.domainMatches
              ? '(at the firm website’s domain)'
              : '(not at the firm website’s domain: check by phone)'}
          </span>
        </dd>
        <dt>Firm website</dt>
        <dd>{a.firm.website ?? 'None given'}</dd>
        <dt>Firm already has an owner</dt>
        <dd>
          {a.firm.hasOwner
            ? 'Yes: the applicant joins as a member'
            : 'No: the applicant becomes its owner'}
        </dd>
        {a.note ? (
          <>
            <dt>Note</dt>
            <dd>{a.note}</dd>
          </>
        ) : null}
        <dt>Applied</dt>
        <dd>{when(a.createdAt)}</dd>
      </dl>
      <FormProblem errors={errors} fields={['reason']} id={`application-${a.userId}`} />
      <form method="post" action={`/admin/applications/${a.userId}/approve`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button button-small" type="submit">
          Approve {a.applicantName}
        </button>
      </form>
      <details open={errors.reason !== undefined}>
        <summary>Reject this application</summary>
        <form method="post" action={`/admin/applications/${a.userId}/reject`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <TextField
            id={`reject-reason-${a.userId}`}
            name="reason"
            label="Reason (sent to the applicant)"
            multiline
            value={typed.reason}
            error={errors.reason}
          />
          <button class="button button-small button-danger" type="submit">
            Reject
          </button>
        </form>
      </details>
    </li>
  );
}

function FirmActions({
  f,
  csrf,
  list,
  errors,
  typed,
}: {
  f: FirmSummary;
  csrf: string;
  /** The list's search, status and page, sent back with the form. */
  list: Record<string, string>;
  errors: Record<string, string>;
  typed: Record<string, string>;
}) {
  const action =
    f.status === 'pending' ? 'approve' : f.status === 'active' ? 'suspend' : 'reinstate';
  const labels = {
    approve: {
      summary: 'Approve…',
      button: 'Approve firm',
      reason: 'Note (optional)',
      cls: 'button button-small',
    },
    suspend: {
      summary: 'Suspend…',
      button: 'Suspend firm',
      reason: 'Reason for the suspension',
      cls: 'button button-small button-danger',
    },
    reinstate: {
      summary: 'Reinstate…',
      button: 'Reinstate firm',
      reason: 'Reason for reinstating',
      cls: 'button button-small',
    },
  }[action];
  return (
    <details open={Object.keys(errors).length > 0}>
      <summary>{labels.summary}</summary>
      <RowForm
        action={`/admin/firms/${f.id}/status`}
        csrf={csrf}
        hidden={{ ...list, action }}
        errors={errors}
        fields={['reason']}
        problemId={`firm-${f.id}`}
      >
        <TextField
          id={`reason-${f.id}`}
          name="reason"
          label={labels.reason}
          multiline
          value={typed.reason}
          error={errors.reason}
        />
        <button class={labels.cls} type="submit">
          {labels.button}
        </button>
      </RowForm>
    </details>
  );
}

export function AdminFirmsPage({
  firms,
  next,
  applications,
  query,
  errors,
  ...frame
}: {
  firms: FirmSummary[];
  /** The next page's cursor, or null on the last. */
  next: string | null;
  applications: FirmApplicationView[];
  query: FirmListQuery;
  errors: Record<string, string>;
} & ConsoleFrame) {
  const { csrf, failure } = frame;
  const list = Object.fromEntries(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const paged = query.cursor !== undefined || next !== null;
  return (
    <AdminShell
      section="/admin/firms"
      title="Firms"
      lead="Approve new firms and the people who apply to manage them; suspend a firm with a reason. A suspended firm disappears from the directory and from matching at once."
      {...frame}
    >
      <h2>Applications to manage a firm</h2>
      {applications.length === 0 ? <p>No application waits for you.</p> : null}
      {applications.length === APPLICATION_LIST_LIMIT ? (
        <p>
          These are the {APPLICATION_LIST_LIMIT} that have waited longest; the next ones show as you
          decide on these.
        </p>
      ) : null}
      {applications.length === 0 ? null : (
        <ul class="grid">
          {applications.map((a) => (
            <ApplicationRow key={a.userId} a={a} csrf={csrf} failure={failure} />
          ))}
        </ul>
      )}

      <h2>All firms</h2>
      <FilterForm action="/admin/firms" button="Show">
        <div class="field">
          <label for="f-status">Status</label>
          <select
            id="f-status"
            name="status"
            aria-invalid={errors.status ? 'true' : undefined}
            aria-describedby={errors.status ? 'f-status-error' : undefined}
          >
            <option value="">Any status</option>
            {['pending', 'active', 'suspended'].map((s) => (
              <option key={s} value={s} selected={query.status === s}>
                {s[0]?.toUpperCase()}
                {s.slice(1)}
              </option>
            ))}
          </select>
          <ErrorText id="f-status" text={errors.status} />
        </div>
        <TextField
          id="f-q"
          name="q"
          label="Name contains"
          type="search"
          value={query.q}
          error={errors.q}
        />
      </FilterForm>
      <p>
        {firms.length === 1 ? '1 firm' : `${firms.length} firms`}
        {paged ? ' on this page' : ''}.
      </p>
      <div class="table-scroll">
        <table>
          <TableHead
            columns={['Firm', 'Status', 'Frameworks', 'Credentials', 'Reviews', 'Action']}
          />
          <tbody>
            {firms.map((f) => (
              <tr key={f.id} id={`firm-${f.id}`}>
                <th scope="row">
                  {f.status === 'active' ? <a href={`/firms/${f.slug}`}>{f.name}</a> : f.name}
                  <br />
                  <span class="muted">
                    {FIRM_TYPE_LABELS[f.firmType as FirmType] ?? f.firmType}
                  </span>
                </th>
                <td>
                  <span class={STATUS_CLASS[f.status]}>{f.status}</span>
                  {f.statusReason ? <p class="muted">{f.statusReason}</p> : null}
                  {f.openComplaints > 0 ? (
                    <p>
                      <a href="/admin/complaints">
                        {f.openComplaints === 1
                          ? '1 open complaint'
                          : `${f.openComplaints} open complaints`}
                      </a>
                    </p>
                  ) : null}
                </td>
                <td>
                  {f.frameworks
                    .map((fw) => FRAMEWORK_SHORT_NAMES[fw as FrameworkId] ?? fw)
                    .join(', ') || '—'}
                </td>
                <td>
                  {f.verifiedCredentials} verified
                  {f.pendingCredentials > 0 ? (
                    <>
                      ,{' '}
                      <a href="/admin/credentials?filter=pending">{f.pendingCredentials} waiting</a>
                    </>
                  ) : null}
                </td>
                <td>
                  {f.reviewCount > 0 && f.reviewMean !== null
                    ? `${f.reviewMean.toFixed(1)} from ${f.reviewCount}`
                    : '—'}
                </td>
                <td>
                  <FirmActions f={f} csrf={csrf} list={list} {...rowState(failure, f.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        base="/admin/firms"
        query={{ status: query.status, q: query.q }}
        cursor={query.cursor}
        next={next}
        words={BY_PAGE}
      />
    </AdminShell>
  );
}
