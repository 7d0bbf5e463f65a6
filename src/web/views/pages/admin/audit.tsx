import type { AuditRow } from '../../../../services/admin/audit-log';
import { AdminShell, Pager, TextField, when } from './shell';
import { TableHead } from '../../components/table-head';
import { FilterForm } from '../../components/filter-form';

export interface AuditFormValues {
  action?: string;
  subject?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/** The search fields, in the order the form shows them. */
const SEARCH_FIELDS: readonly {
  name: keyof AuditFormValues;
  label: string;
  hint?: string;
  type?: 'date';
}[] = [
  { name: 'action', label: 'Action starts with', hint: 'e.g. credential. or contact.released' },
  { name: 'subject', label: 'Subject', hint: 'An id, or a kind such as firm' },
  { name: 'actor', label: 'Actor', hint: 'An id, a kind (admin, buyer, system) or an email' },
  { name: 'from', label: 'From', type: 'date' },
  { name: 'to', label: 'To', type: 'date' },
];

function Detail({ detail }: { detail: Record<string, unknown> | null }) {
  if (!detail) return <span class="muted">—</span>;
  const entries = Object.entries(detail);
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="compact">
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}: {typeof v === 'string' ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

export function AuditLogPage({
  rows,
  values,
  errors,
  cursor,
  next,
  csrf,
}: {
  rows: AuditRow[];
  values: AuditFormValues;
  errors: Record<string, string>;
  cursor: string | undefined;
  next: string | null;
  csrf: string;
}) {
  return (
    <AdminShell
      section="/admin/audit"
      title="Audit log"
      lead="Every change, decision and release of a buyer's contact, newest first. Entries never hold contact details themselves."
      csrf={csrf}
    >
      <FilterForm action="/admin/audit" button="Search">
        {SEARCH_FIELDS.map((f) => (
          <TextField
            key={f.name}
            id={`f-${f.name}`}
            name={f.name}
            label={f.label}
            hint={f.hint}
            type={f.type}
            value={values[f.name]}
            error={errors[f.name]}
          />
        ))}
      </FilterForm>
      {errors.cursor ? <p class="field-error">Page: {errors.cursor}</p> : null}
      {rows.length === 0 ? (
        <p>No entries match.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="muted">
              Audit entries, newest first{cursor ? ' (older page)' : ''}
            </caption>
            <TableHead columns={['When', 'Actor', 'Action', 'Subject', 'Detail']} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{when(r.at)}</th>
                  <td>
                    {r.actorKind}
                    {r.actorEmail ? <br /> : null}
                    {r.actorEmail}
                    {!r.actorEmail && r.actorId ? (
                      <>
                        <br />
                        <code>{r.actorId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    {r.subjectKind ?? '—'}
                    {r.subjectId ? (
                      <>
                        <br />
                        <a href={`/admin/audit?subject=${encodeURIComponent(r.subjectId)}`}>
                          <code>{r.subjectId}</code>
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Detail detail={r.detail} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager base="/admin/audit" query={{ ...values }} cursor={cursor} next={next} />
    </AdminShell>
  );
}
