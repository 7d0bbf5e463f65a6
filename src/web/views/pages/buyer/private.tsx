import type { BuyerView } from '../../../../services/buyer';
import { COMPLAINT_KINDS } from '../../../../services/buyer';
import { briefSummary } from '../../../../services/emails';
import { ErrorSummary, ErrorText } from '../../components/forms';
import { PageHeader } from '../../layout';
import { QuoteComparison } from './compare';
import { BriefedFirm, TimeZoneOptions } from './firm-card';
import { ProposalCard } from './match';

const BRIEF_STATUS: Record<string, string> = {
  sent: 'Reading your brief',
  accepted: 'Accepted: it will quote',
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

export function ConfirmPage({
  token,
  reference,
  duplicateOf,
  csrf,
}: {
  token: string;
  reference: string;
  /** The reference of an open request of the same address for the same need, if there is one. */
  duplicateOf: string | null;
  csrf: string;
}) {
  if (duplicateOf) {
    return (
      <section class="narrow">
        <h1>You already have an open request</h1>
        <p>
          Your request {duplicateOf} for an overlapping scope is still open. A second request would
          introduce you to firms a second time, so this one is not matched until you choose:
        </p>
        <form method="post" action={`/r/confirm/${token}`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="choice" value="resend" />
          <button class="button" type="submit">
            Keep {duplicateOf} and email me its private link
          </button>
        </form>
        <form method="post" action={`/r/confirm/${token}`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="choice" value="replace" />
          <p>
            Or replace it: {duplicateOf} is withdrawn (the firms holding it are told) and this
            request is matched instead.
          </p>
          <button class="button button-secondary" type="submit">
            Replace {duplicateOf} with this request
          </button>
        </form>
      </section>
    );
  }
  return (
    <section class="narrow">
      <h1>Confirm your request</h1>
      <p>
        Request {reference}. Confirm your address to see the firms that fit your scope and choose
        whom to hear from.
      </p>
      <form method="post" action={`/r/confirm/${token}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button" type="submit">
          Confirm and see my firms
        </button>
      </form>
    </section>
  );
}

/** A confirmation link used before: the request is confirmed; its private link can be sent again. */
export function ConfirmedAlreadyPage({
  token,
  reference,
  csrf,
  sent,
}: {
  token: string;
  reference: string;
  csrf: string;
  sent: boolean;
}) {
  return (
    <section class="narrow">
      <h1>Request {reference} is confirmed</h1>
      {sent ? (
        <p role="status">
          We emailed you its private link again. The link you already have keeps working.
        </p>
      ) : (
        <>
          <p>
            You confirmed this request already. Its private page — the firms, their quotes, your
            call — is at the link we emailed you then.
          </p>
          <form method="post" action={`/r/confirm/${token}/resend`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <button class="button" type="submit">
              Email me the private link again
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** Asks for the private links of an address's open requests; says the same whatever the address. */
export function LostLinkPage({
  csrf,
  sent,
  error,
}: {
  csrf: string;
  sent: boolean;
  error: string | null;
}) {
  return (
    <section class="narrow">
      <h1>Your private link</h1>
      {sent ? (
        <p role="status">
          If this address has an open request, its private link is on its way to that address. Links
          sent before keep working.
        </p>
      ) : (
        <p>
          Lost the link to your request's private page? Enter the address you sent the request from;
          we email its link there, and only there.
        </p>
      )}
      <form method="post" action="/r/lost" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="f-email">Your email address</label>
          <input
            id="f-email"
            name="email"
            type="email"
            autocomplete="email"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'f-email-error' : undefined}
          />
          <ErrorText id="f-email" text={error} />
        </div>
        <button class="button" type="submit">
          Email me my link
        </button>
      </form>
    </section>
  );
}

/** After "keep the open request": nothing new was matched, and the open one's link is on its way. */
export function DuplicateClosedPage({ reference }: { reference: string }) {
  return (
    <section class="narrow">
      <h1>Your request {reference} is still open</h1>
      <p>
        We emailed you its private link again (the link you already have keeps working). The request
        you just confirmed was closed and its details deleted: no firm saw it.
      </p>
    </section>
  );
}

/** The confirmation step before the buyer stops firms: it names every firm that will be told. */
export function WithdrawPage({
  view,
  token,
  mode,
  csrf,
  error,
}: {
  view: BuyerView;
  token: string;
  mode: 'everything' | 'keep-chosen';
  csrf: string;
  error: string | null;
}) {
  const holding = view.proposals.filter(
    (p) => p.brief && (p.brief.status === 'sent' || p.brief.status === 'accepted'),
  );
  const keep = mode === 'keep-chosen' ? view.keepable : null;
  const stopped = keep ? holding.filter((p) => p.firmId !== keep.firmId) : holding;
  return (
    <section class="narrow">
      <h1>
        {keep ? `Keep ${keep.name} and stop the others` : `Withdraw request ${view.reference}`}
      </h1>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {keep ? (
        <p>
          {keep.name} keeps your request and its quote. These firms are told to stop, and get
          nothing more from you:
        </p>
      ) : (
        <p>
          No new firm receives your request.{' '}
          {stopped.length > 0 ? 'These firms are told to stop:' : 'No firm holds it yet.'}
        </p>
      )}
      {stopped.length > 0 ? (
        <ul>
          {stopped.map((p) => (
            <li key={p.firmId}>
              {p.name}
              {p.brief?.status === 'accepted'
                ? ' (it has your details and is asked to delete them)'
                : ' (it never saw your details)'}
            </li>
          ))}
        </ul>
      ) : null}
      <form method="post" action={`/r/${token}/withdraw`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="mode" value={mode} />
        <p class="check">
          <input type="checkbox" id="f-confirm-withdraw" name="confirm" value="yes" required />{' '}
          <label for="f-confirm-withdraw">
            {keep ? `Yes, stop the other firms` : 'Yes, withdraw my request'}
          </label>
        </p>
        <button class={keep ? 'button' : 'button button-danger'} type="submit">
          {keep ? 'Stop the other firms' : 'Withdraw my request'}
        </button>
      </form>
      <p>
        <a href={`/r/${token}`}>Back to your request</a>
      </p>
    </section>
  );
}

export function BuyerPage({
  view,
  token,
  csrf,
  errors,
  notice,
  timeZone,
}: {
  view: BuyerView;
  token: string;
  csrf: string;
  errors: Record<string, string>;
  notice: string | null;
  /** The time zone call times are shown in (the buyer's choice, or its region's). */
  timeZone: string;
}) {
  const base = `/r/${token}`;
  const closed = ['withdrawn', 'deleted', 'expired'].includes(view.status);
  const choosable = view.proposals.filter((p) => p.status === 'proposed' && p.unavailable === null);
  const unavailable = view.proposals.filter(
    (p) => p.status === 'proposed' && p.unavailable !== null,
  );
  const briefed = view.proposals.filter((p) => p.brief);
  return (
    <>
      <PageHeader
        title={`Your request ${view.reference}`}
        lead={REQUEST_STATUS[view.status] ?? view.status}
      />
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
              Contact (encrypted at rest, shown only here): {view.contact.name},{' '}
              {view.contact.company}, {view.contact.email}
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

      <p class="journey">Compare the quotes, then book one short call with the firm you pick.</p>

      {briefed.length > 0 ? (
        <>
          <h2>Firms holding your brief</h2>
          <form method="get" action={base} class="inline-form no-print">
            <label for="f-view-tz">Show call times in</label>{' '}
            <select id="f-view-tz" name="tz">
              <TimeZoneOptions selected={timeZone} />
            </select>{' '}
            <button class="button button-small button-secondary" type="submit">
              Show
            </button>
          </form>
          <ul class="grid">
            {briefed.map((p) => (
              <BriefedFirm
                key={p.firmId}
                p={p as Parameters<typeof BriefedFirm>[0]['p']}
                base={base}
                csrf={csrf}
                timeZone={timeZone}
                errors={errors}
                status={BRIEF_STATUS[p.brief!.status] ?? p.brief!.status}
              />
            ))}
          </ul>
        </>
      ) : null}

      {!closed && view.canChooseMore > 0 && choosable.length > 0 ? (
        <section aria-labelledby="choose-title">
          <h2 id="choose-title">Choose whom to hear from</h2>
          <p>
            Each firm you choose receives an anonymised brief — your scope without your name,
            company or contact. Only a firm that accepts gets your details. You can choose up to{' '}
            {view.canChooseMore}
            {view.otherRequests.length > 0
              ? ', counting the firms that hold your other open requests'
              : ''}
            .
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

      {!closed && unavailable.length > 0 ? (
        <section aria-labelledby="unavailable-title">
          <h2 id="unavailable-title">No longer available</h2>
          <ul>
            {unavailable.map((p) => (
              <li key={p.firmId}>
                {p.name}: {p.unavailable}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.otherRequests.length > 0 ? (
        <p class="muted">
          Your other open {view.otherRequests.length === 1 ? 'request' : 'requests'}:{' '}
          {view.otherRequests
            .map((o) => `${o.reference}${o.firms.length ? ` (held by ${o.firms.join(', ')})` : ''}`)
            .join('; ')}
          . At most three firms hold your details at a time, across all of them.
        </p>
      ) : null}

      {!closed && view.replacements.length > 0 && view.canChooseMore > 0 ? (
        <section aria-labelledby="replace-title">
          <h2 id="replace-title">Next best fits</h2>
          <p>
            A firm declined, did not answer in time, or can no longer take your brief. You decide
            whether another firm should receive it.
          </p>
          <form method="post" action={`${base}/briefs`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <ol class="grid">
              {view.replacements.map((p) => (
                <ProposalCard key={p.firmId} p={p}>
                  <p class="check">
                    <input
                      type="checkbox"
                      id={`replace-${p.firmId}`}
                      name="firm"
                      value={p.firmId}
                    />{' '}
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

      {briefed.some((p) => p.brief?.status === 'accepted') || view.quotes.length > 0 ? (
        <section aria-labelledby="quotes-title">
          <h2 id="quotes-title">Quotes side by side</h2>
          <QuoteComparison view={view} base={base} csrf={closed ? null : csrf} />
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
              <textarea
                id="f-body"
                name="body"
                rows={4}
                cols={60}
                maxLength={2000}
                aria-describedby={errors.body ? 'f-body-error' : undefined}
              />
              <ErrorText id="f-body" text={errors.body} />
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
          {!closed && view.keepable ? (
            <p>
              You chose {view.keepable.name}’s quote.{' '}
              <a href={`${base}/withdraw?mode=keep-chosen`}>
                Keep {view.keepable.name} and stop the others
              </a>{' '}
              ({view.keepable.others.join(', ')}).
            </p>
          ) : null}
          {!closed ? (
            <p>
              <a href={`${base}/withdraw?mode=everything`}>Withdraw the whole request</a>: no new
              firm receives it, and every firm holding it is told to stop.
            </p>
          ) : null}
          <form method="post" action={`${base}/delete`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <p>
              Delete your data: your contact details are erased at once; only anonymous counts
              remain.
            </p>
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
