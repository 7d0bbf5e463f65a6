import {
  REGION_LABELS,
  type Region,
  STAGE_LABELS,
  type CompanyStage,
} from '../../../../domain/vocabulary';
import type { UnmatchedRequest } from '../../../../services/admin/requests';
import { AdminShell, Pager, when } from './shell';
import { TableHead } from '../../components/table-head';

export function UnmatchedRequestsPage({
  items,
  cursor,
  next,
  csrf,
}: {
  items: UnmatchedRequest[];
  cursor: string | undefined;
  next: string | null;
  csrf: string;
}) {
  return (
    <AdminShell
      section="/admin/requests"
      title="Unmatched requests"
      lead="Confirmed requests whose match found fewer than three qualified firms, with the rules that ruled the others out: where to recruit firms or chase a credential. The buyer's contact is not shown here."
      csrf={csrf}
    >
      {items.length === 0 ? <p>Every confirmed request got three firms.</p> : null}
      {items.map((r) => (
        <section class="card" key={r.id} aria-labelledby={`req-${r.id}`}>
          <h2 id={`req-${r.id}`}>
            {r.reference}: {r.proposed === 1 ? '1 firm' : `${r.proposed} firms`} proposed
          </h2>
          <dl class="facts">
            <dt>Confirmed</dt>
            <dd>{when(r.confirmedAt)}</dd>
            <dt>Status</dt>
            <dd>{r.status}</dd>
            <dt>Frameworks</dt>
            <dd>{r.frameworks.join('; ')}</dd>
            <dt>Region</dt>
            <dd>{REGION_LABELS[r.region as Region] ?? r.region}</dd>
            <dt>Company</dt>
            <dd>
              {STAGE_LABELS[r.stage as CompanyStage] ?? r.stage}, about {r.headcount} people
            </dd>
            <dt>Needed by</dt>
            <dd>{r.neededBy}</dd>
          </dl>
          {r.shortfall ? (
            <>
              <p>{r.shortfall.message}</p>
              <table>
                <caption class="muted">
                  Why firms were ruled out ({r.shortfall.candidateCount} active firms offer a
                  requested framework; a firm can fail several rules)
                </caption>
                <TableHead columns={['Rule', 'Firms ruled out']} />
                <tbody>
                  {r.shortfall.cutBy.map((c) => (
                    <tr key={c.code}>
                      <th scope="row">{c.message}</th>
                      <td>{c.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="muted">No shortfall was recorded with this match.</p>
          )}
          {r.partialFits.length > 0 ? (
            <p>
              Closest partial fits:{' '}
              {r.partialFits.map((p, i) => (
                <span key={p.slug}>
                  {i > 0 ? ', ' : ''}
                  <a href={`/firms/${p.slug}`}>{p.name}</a>{' '}
                  <span class="muted">(failed: {p.rule})</span>
                </span>
              ))}
            </p>
          ) : null}
        </section>
      ))}
      <Pager base="/admin/requests" query={{}} cursor={cursor} next={next} />
    </AdminShell>
  );
}
