import type { BuyerView } from '../../../../services/buyer';
import { COMPLAINT_KINDS } from '../../../../services/buyer';
import { briefSummary } from '../../../../services/emails';
import { ErrorSummary } from '../../components/forms';
import { PageHeader } from '../../layout';
import { formatUsd } from '../firms';
import { DECLINE_REASON_LABELS } from './brief';
import { ProposalCard } from './match';

const BRIEF_STATUS: Record<string, string> = {
  sent: 'Reading your brief',
  accepted: 'Accepted: you have been introduced',
  declined: 'Declined',
  expired: 'Did not answer in time',
  withdrawn: 'Withdrawn',
};

const REQUEST_STATUS: Record<string, string> = {
  confirmed: 'Confirmed: choose whom to hear from',
  active: 'Briefs sent',
  withdrawn: 'Withdrawn',
  deleted: 'Deleted',
  expired: 'Expired',
};

export function ConfirmPage({ token, reference, csrf }: { token: string; reference: string; csrf: string }) {
  return (
    <section class="narrow">
      <h1>Confirm your request</h1>
      <p>Request {reference}. Confirm your address to see the firms that fit your scope and choose whom to hear from.</p>
      <form method="post" action={`/r/confirm/${token}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button" type="submit">
          Confirm and see my firms
        </button>
      </form>
    </section>
  );
}

function QuotesTable({ quotes, choose }: { quotes: BuyerView['quotes']; choose?: { base: string; csrf: string } }) {
  const phases = [...new Set(quotes.flatMap((q) => q.lineItems.map((l) => l.label)))];
  return (
    <table>
      <caption>Quotes side by side (US dollars)</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          {quotes.map((q) => (
            <th scope="col" key={q.id}>
              {q.firmName}
              {q.status === 'chosen' ? ' (chosen)' : ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {phases.map((label) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {quotes.map((q) => {
              const item = q.lineItems.find((l) => l.label === label);
              return <td key={q.id}>{item ? formatUsd(item.feeUsd) : '—'}</td>;
            })}
          </tr>
        ))}
        <tr>
          <th scope="row">Total</th>
          {quotes.map((q) => (
            <td key={q.id}>
              <strong>{formatUsd(q.totalUsd)}</strong>
            </td>
          ))}
        </tr>
        <tr>
          <th scope="row">Start</th>
          {quotes.map((q) => (
            <td key={q.id}>{q.startDate}</td>
          ))}
        </tr>
        <tr>
          <th scope="row">Report or certificate</th>
          {quotes.map((q) => (
            <td key={q.id}>{q.reportDate}</td>
          ))}
        </tr>
        <tr>
          <th scope="row">Assumptions</th>
          {quotes.map((q) => (
            <td key={q.id}>{q.assumptions}</td>
          ))}
        </tr>
        <tr>
          <th scope="row">Valid until</th>
          {quotes.map((q) => (
            <td key={q.id}>{q.validUntil}</td>
          ))}
        </tr>
        {choose ? (
          <tr>
            <th scope="row">Your choice</th>
            {quotes.map((q) => (
              <td key={q.id}>
                {q.status === 'chosen' ? (
                  <strong>Chosen</strong>
                ) : (
                  <form method="post" action={`${choose.base}/quotes/${q.id}/choose`}>
                    <input type="hidden" name="_csrf" value={choose.csrf} />
                    <button class="button button-small" type="submit" aria-label={`Choose the quote of ${q.firmName}`}>
                      Choose this quote
                    </button>
                  </form>
                )}
              </td>
            ))}
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

export function BuyerPage({
  view,
  token,
  csrf,
  errors,
  notice,
}: {
  view: BuyerView;
  token: string;
  csrf: string;
  errors: Record<string, string>;
  notice: string | null;
}) {
  const base = `/r/${token}`;
  const closed = ['withdrawn', 'deleted', 'expired'].includes(view.status);
  const choosable = view.proposals.filter((p) => p.status === 'proposed');
  const briefed = view.proposals.filter((p) => p.brief);
  return (
    <>
      <PageHeader title={`Your request ${view.reference}`} lead={REQUEST_STATUS[view.status] ?? view.status} />
      {notice ? (
        <p class="card" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />

      {view.status === 'deleted' ? (
        <p>Your contact details have been erased. Only anonymous counts remain.</p>
      ) : (
        <>
          <h2>Your scope</h2>
          <pre class="scope">{briefSummary(view.scope)}</pre>
          {view.contact ? (
            <p class="muted">
              Contact (encrypted at rest, shown only here): {view.contact.name}, {view.contact.company},{' '}
              {view.contact.email}
            </p>
          ) : null}
        </>
      )}

      {view.match?.shortfall ? (
        <div class="card notice" role="status">
          <p>
            <strong>{view.match.shortfall.message}</strong>
          </p>
        </div>
      ) : null}

      {briefed.length > 0 ? (
        <>
          <h2>Firms holding your brief</h2>
          <ul class="grid">
            {briefed.map((p) => (
              <li class="card" key={p.firmId}>
                <h3>
                  <a href={`/firms/${p.slug}`}>{p.name}</a>
                </h3>
                <p class={`status-${p.brief!.status}`}>{BRIEF_STATUS[p.brief!.status] ?? p.brief!.status}</p>
                {p.brief!.status === 'sent' ? <p class="muted">Answer due by {p.brief!.respondBy.slice(0, 16).replace('T', ' ')} UTC</p> : null}
                {p.brief!.declineReason ? (
                  <p class="muted">
                    Reason given: {DECLINE_REASON_LABELS[p.brief!.declineReason as keyof typeof DECLINE_REASON_LABELS] ?? p.brief!.declineReason}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {!closed && view.canChooseMore > 0 && choosable.length > 0 ? (
        <section aria-labelledby="choose-title">
          <h2 id="choose-title">Choose whom to hear from</h2>
          <p>
            Each firm you choose receives an anonymised brief — your scope without your name, company or contact. Only a
            firm that accepts gets your details. You can choose up to {view.canChooseMore}.
          </p>
          <form method="post" action={`${base}/briefs`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <ol class="grid">
              {choosable.map((p) => (
                <ProposalCard key={p.firmId} p={{ ...p, breakdown: [] }}>
                  <p class="check">
                    <input type="checkbox" id={`choose-${p.firmId}`} name="firm" value={p.firmId} />{' '}
                    <label for={`choose-${p.firmId}`}>Send my brief to {p.name}</label>
                  </p>
                </ProposalCard>
              ))}
            </ol>
            <button class="button" type="submit">
              Send my brief
            </button>
          </form>
        </section>
      ) : null}

      {!closed && view.replacements.length > 0 && view.canChooseMore > 0 ? (
        <section aria-labelledby="replace-title">
          <h2 id="replace-title">Next best fits</h2>
          <p>A firm declined or did not answer in time. You decide whether another firm should receive your brief.</p>
          <form method="post" action={`${base}/briefs`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <ol class="grid">
              {view.replacements.map((p) => (
                <ProposalCard key={p.firmId} p={p}>
                  <p class="check">
                    <input type="checkbox" id={`replace-${p.firmId}`} name="firm" value={p.firmId} />{' '}
                    <label for={`replace-${p.firmId}`}>Send my brief to {p.name}</label>
                  </p>
                </ProposalCard>
              ))}
            </ol>
            <button class="button" type="submit">
              Send my brief to the firms I ticked
            </button>
          </form>
        </section>
      ) : null}

      {view.quotes.length > 0 ? (
        <section aria-labelledby="quotes-title">
          <h2 id="quotes-title">Quotes</h2>
          <QuotesTable quotes={view.quotes} choose={closed ? undefined : { base, csrf }} />
        </section>
      ) : null}

      {briefed.length > 0 && view.status !== 'deleted' ? (
        <section aria-labelledby="report-title">
          <h2 id="report-title">Report a firm</h2>
          <form method="post" action={`${base}/complaints`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="field">
              <label for="f-firm">Firm</label>
              <select id="f-firm" name="firm">
                {briefed.map((p) => (
                  <option key={p.firmId} value={p.firmId}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-kind">What happened</label>
              <select id="f-kind" name="kind">
                {Object.entries(COMPLAINT_KINDS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-body">Details</label>
              <textarea id="f-body" name="body" rows={4} cols={60} maxLength={2000} aria-describedby={errors.body ? 'f-body-error' : undefined} />
              {errors.body ? (
                <p class="field-error" id="f-body-error">
                  {errors.body}
                </p>
              ) : null}
            </div>
            <button class="button button-secondary" type="submit">
              Send report
            </button>
          </form>
        </section>
      ) : null}

      {view.status !== 'deleted' ? (
        <section aria-labelledby="control-title" class="no-print">
          <h2 id="control-title">Your data</h2>
          {!closed ? (
            <form method="post" action={`${base}/withdraw`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <p>Withdraw the request: no new firm receives it, and firms holding it are told to stop.</p>
              <button class="button button-secondary" type="submit">
                Withdraw my request
              </button>
            </form>
          ) : null}
          <form method="post" action={`${base}/delete`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <p>Delete your data: your contact details are erased at once; only anonymous counts remain.</p>
            <p class="check">
              <input type="checkbox" id="f-confirm-delete" name="confirm" value="yes" />{' '}
              <label for="f-confirm-delete">I understand this cannot be undone</label>
            </p>
            {errors.confirm ? <p class="field-error">{errors.confirm}</p> : null}
            <button class="button button-danger" type="submit">
              Delete my data
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
