import type { Proposal } from '../../../../domain/matching';
import type { BuyerView } from '../../../../services/buyer';
import { COMPLAINT_KINDS } from '../../../../services/buyer';
import { briefSummary } from '../../../../services/emails';
import { Check, EmailField, Fields } from '../../components/form-fields';
import { ErrorSummary, ErrorText } from '../../components/forms';
import { Notice, PageMessage } from '../../components/notices';
import { TimeZoneOptions } from '../../components/call-forms';
import { ButtonForm, PostForm, Submit } from '../../components/post-form';
import { PageHeader } from '../../layout';
import { QuoteComparison } from './compare';
import { BriefedFirm } from './firm-card';
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
        <ButtonForm action={`/r/confirm/${token}`} csrf={csrf} hidden={{ choice: 'resend' }}>
          Keep {duplicateOf} and email me its private link
        </ButtonForm>
        <PostForm action={`/r/confirm/${token}`} csrf={csrf} hidden={{ choice: 'replace' }}>
          <p>
            Or replace it: {duplicateOf} is withdrawn (the firms holding it are told) and this
            request is matched instead.
          </p>
          <Submit kind="secondary">Replace {duplicateOf} with this request</Submit>
        </PostForm>
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
      <ButtonForm action={`/r/confirm/${token}`} csrf={csrf}>
        Confirm and see my firms
      </ButtonForm>
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
          <ButtonForm action={`/r/confirm/${token}/resend`} csrf={csrf}>
            Email me the private link again
          </ButtonForm>
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
      <PostForm action="/r/lost" csrf={csrf} novalidate>
        <EmailField label="Your email address" error={error} />
        <Submit>Email me my link</Submit>
      </PostForm>
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
      <PageMessage text={error} refusal />
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
      <PostForm action={`/r/${token}/withdraw`} csrf={csrf} hidden={{ mode }}>
        <Check id="f-confirm-withdraw" name="confirm" required>
          {keep ? `Yes, stop the other firms` : 'Yes, withdraw my request'}
        </Check>
        <Submit kind={keep ? 'primary' : 'danger'}>
          {keep ? 'Stop the other firms' : 'Withdraw my request'}
        </Submit>
      </PostForm>
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
      <PageMessage text={notice} />
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
        <Notice>
          <p>
            <strong>{view.match.shortfall.message}</strong>
          </p>
        </Notice>
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
            <Submit kind="small-secondary">Show</Submit>
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
          <ChooseFirms
            action={`${base}/briefs`}
            csrf={csrf}
            idPrefix="choose"
            proposals={choosable.map((p) => ({ ...p, breakdown: [] }))}
            submit="Send my brief"
          />
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
          <ChooseFirms
            action={`${base}/briefs`}
            csrf={csrf}
            idPrefix="replace"
            proposals={view.replacements}
            submit="Send my brief to the firms I ticked"
          />
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
          <PostForm action={`${base}/complaints`} csrf={csrf}>
            <Fields
              form={{ fields: {}, errors }}
              specs={[
                {
                  name: 'firm',
                  label: 'Firm',
                  options: briefed.map((p) => ({ value: p.firmId, label: p.name })),
                },
                {
                  name: 'kind',
                  label: 'What happened',
                  options: Object.entries(COMPLAINT_KINDS).map(([k, label]) => ({
                    value: k,
                    label,
                  })),
                },
                { name: 'body', label: 'Details', rows: 4, maxLength: 2000 },
              ]}
            />
            <Submit kind="secondary">Send report</Submit>
          </PostForm>
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
          <PostForm action={`${base}/delete`} csrf={csrf}>
            <p>
              Delete your data: your contact details are erased at once; only anonymous counts
              remain.
            </p>
            <Check id="f-confirm-delete" name="confirm">
              I understand this cannot be undone
            </Check>
            <ErrorText id="f-confirm" text={errors.confirm} />
            <Submit kind="danger">Delete my data</Submit>
          </PostForm>
        </section>
      ) : null}
    </>
  );
}

/** The firms the buyer may send its brief to, each with its box to tick. */
function ChooseFirms({
  action,
  csrf,
  idPrefix,
  proposals,
  submit,
}: {
  action: string;
  csrf: string;
  idPrefix: string;
  proposals: Proposal[];
  submit: string;
}) {
  return (
    <PostForm action={action} csrf={csrf}>
      <ol class="grid">
        {proposals.map((p) => (
          <ProposalCard key={p.firmId} p={p}>
            <Check id={`${idPrefix}-${p.firmId}`} name="firm" value={p.firmId}>
              Send my brief to {p.name}
            </Check>
          </ProposalCard>
        ))}
      </ol>
      <Submit>{submit}</Submit>
    </PostForm>
  );
}
