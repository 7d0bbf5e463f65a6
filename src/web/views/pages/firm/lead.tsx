import type { ComponentChildren } from 'preact';
import { localTimeLabel } from '../../../../domain/calls/zones';
import type { SessionUser } from '../../../../services/auth';
import type { LeadDetail } from '../../../../services/firm/leads';
import { DECLINE_REASON_LABELS, DECLINE_REASONS } from '../../../../services/firm/schemas';
import { usdRange } from '../buyer/compare';
import { STATUS } from './leads';
import { FieldError, WorkspaceShell, when } from './shell';

/**
 * One lead, the same for a workspace member and for a firm answering from its email link (no
 * account needed): the brief, then — once accepted — the whole scope sheet, questions to the
 * buyer, the quote, the short call, and the buyer's details once it booked or shared them.
 * `base` is where its forms post: /firm/leads/{id} or /b/{token}.
 */
export function LeadBody({
  lead,
  base,
  csrf,
  errors,
  workspace,
}: {
  lead: LeadDetail;
  base: string;
  csrf: string;
  errors: Record<string, string>;
  workspace: boolean;
}) {
  const answerable = lead.status === 'sent' && lead.requestOpen;
  const accepted = lead.status === 'accepted';
  return (
    <>
      <p class={`status-${lead.status}`}>
        <strong>{STATUS[lead.status] ?? lead.status}</strong>
        {lead.status === 'sent' ? ` — answer by ${when(lead.respondBy)}` : ''}
        {accepted && lead.quoteBy && lead.quoteLines.length === 0
          ? ` — quote by ${when(lead.quoteBy)}`
          : ''}
      </p>
      {lead.withdrawn ? <p>This brief was withdrawn: {lead.withdrawn}.</p> : null}
      <p class="muted">Request {lead.reference}</p>
      <h2>{lead.scopeSheet ? 'Scope sheet' : 'Brief'}</h2>
      <pre class="scope">{lead.scopeSheet ?? lead.summary}</pre>

      {answerable ? (
        <section aria-labelledby="answer-title">
          <h2 id="answer-title">Your answer</h2>
          <p>
            Accepting commits your firm to send an itemised quote within the response window, takes
            one engagement of this month's capacity, and shows you the whole scope sheet. The buyer
            compares the quotes and books one short call with the firm it picks; its contact details
            reach that firm with the booking.
          </p>
          <form method="post" action={`${base}/${workspace ? 'answer' : 'accept'}`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="accept" />
            <button class="button" type="submit">
              Accept and commit to quote
            </button>
          </form>
          <form method="post" action={`${base}/${workspace ? 'answer' : 'decline'}`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="decline" />
            <div class="field">
              <label for="f-reason">Reason for declining</label>
              <select
                id="f-reason"
                name="reason"
                aria-describedby={errors.reason ? 'f-reason-error' : undefined}
              >
                {DECLINE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {DECLINE_REASON_LABELS[r]}
                  </option>
                ))}
              </select>
              <FieldError name="reason" errors={errors} />
            </div>
            <button class="button button-secondary" type="submit">
              Decline
            </button>
          </form>
        </section>
      ) : null}
      {lead.status === 'declined' && lead.declineReason ? (
        <p class="muted">
          Reason given:{' '}
          {DECLINE_REASON_LABELS[lead.declineReason as (typeof DECLINE_REASONS)[number]] ??
            lead.declineReason}
        </p>
      ) : null}

      <h2>Buyer</h2>
      {lead.contact ? (
        <>
          <dl class="facts">
            <dt>Name</dt>
            <dd>{lead.contact.name}</dd>
            <dt>Company</dt>
            <dd>{lead.contact.company}</dd>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${lead.contact.email}`}>{lead.contact.email}</a>
            </dd>
            {lead.contact.phone ? (
              <>
                <dt>Phone</dt>
                <dd>{lead.contact.phone}</dd>
              </>
            ) : null}
          </dl>
          <p class="muted">
            For this request only: one short call, not a sales sequence. Each view of these details
            is recorded.
          </p>
        </>
      ) : (
        <p>{lead.contactNote}</p>
      )}

      {accepted || lead.messages.length > 0 ? (
        <section aria-labelledby="thread-title">
          <h2 id="thread-title">Questions to the buyer</h2>
          <ol class="thread">
            {lead.messages.map((m) => (
              <li key={m.id} class={`message from-${m.author}`}>
                <p class="muted">
                  {m.author === 'firm' ? 'Your firm' : 'The buyer'}, {when(m.createdAt)}
                </p>
                <p class="pre">{m.body}</p>
              </li>
            ))}
          </ol>
          {accepted && lead.requestOpen ? (
            <form method="post" action={`${base}/messages`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <div class="field">
                <label for="f-question">Ask the buyer</label>
                <textarea
                  id="f-question"
                  name="body"
                  rows={3}
                  cols={60}
                  maxLength={2000}
                  aria-invalid={errors.body ? 'true' : undefined}
                  aria-describedby={errors.body ? 'f-body-error' : undefined}
                />
                <FieldError name="body" errors={errors} />
              </div>
              <button class="button button-secondary" type="submit">
                Send the question
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      {accepted ? (
        <section aria-labelledby="quote-title">
          <h2 id="quote-title">Quote</h2>
          {lead.quote ? (
            <>
              <ul>
                {lead.quoteLines.map((l) => (
                  <li key={`${l.framework}/${l.phase}`}>
                    {l.label}: {usdRange(l)}
                  </li>
                ))}
              </ul>
              <p>
                {lead.quote.status === 'chosen'
                  ? 'The buyer marked your quote as its choice.'
                  : 'The buyer sees it side by side with the other firms’ quotes.'}
              </p>
            </>
          ) : (
            <p>
              No quote yet. Itemise your fees (a fixed fee or an indicative range per line) against
              the scope sheet.
            </p>
          )}
          {lead.requestOpen && lead.quote?.status !== 'chosen' ? (
            <p>
              <a class="button" href={`${base}/quote`}>
                {lead.quote ? 'Replace the quote' : 'Write the quote'}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}

      {accepted ? (
        <CallSection lead={lead} base={base} csrf={csrf} errors={errors} workspace={workspace} />
      ) : null}
    </>
  );
}

function CallSection({
  lead,
  base,
  csrf,
  errors,
  workspace,
}: {
  lead: LeadDetail;
  base: string;
  csrf: string;
  errors: Record<string, string>;
  workspace: boolean;
}) {
  const call = lead.call;
  const both = (t: number, buyerZone: string) =>
    `${localTimeLabel(t, lead.timeZone)} — the buyer: ${localTimeLabel(t, buyerZone)}`;
  return (
    <section aria-labelledby="call-title">
      <h2 id="call-title">Short call</h2>
      {errors.call ? (
        <p class="field-error" role="alert">
          {errors.call}
        </p>
      ) : null}
      {call?.status === 'booked' && call.start !== null ? (
        <>
          <p>
            <strong>Booked:</strong> {both(call.start, call.buyerTimeZone)}. The invitation is in
            your email.
          </p>
          <form method="post" action={`${base}/calls/${call.id}/reschedule`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <fieldset>
              <legend>Move it to another time (yours: {lead.timeZone.replaceAll('_', ' ')})</legend>
              <div class="field">
                <label for="f-move">New date and time</label>
                <input id="f-move" name="when" type="datetime-local" step={1800} />
              </div>
              <button class="button button-secondary" type="submit">
                Move the call
              </button>
            </fieldset>
          </form>
          <form method="post" action={`${base}/calls/${call.id}/cancel`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="field">
              <label for="f-cancel">Reason (optional)</label>
              <input id="f-cancel" name="reason" type="text" maxLength={300} />
            </div>
            <button class="button button-secondary" type="submit">
              Cancel the call
            </button>
          </form>
        </>
      ) : call?.status === 'offered' ? (
        <form method="post" action={`${base}/calls/${call.id}/pick`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <fieldset>
            <legend>The buyer offered these times: pick one</legend>
            {call.offered.map((t, i) => (
              <p class="check" key={t}>
                <input
                  type="radio"
                  id={`f-pick-${i}`}
                  name="slot"
                  value={new Date(t).toISOString()}
                  checked={i === 0}
                />{' '}
                <label for={`f-pick-${i}`}>{both(t, call.buyerTimeZone)}</label>
              </p>
            ))}
          </fieldset>
          <button class="button" type="submit">
            Book this time
          </button>
        </form>
      ) : (
        <p>
          The buyer books one short call with the firm it picks once it has compared the quotes: a
          time your firm publishes, or three of its own for you to pick from.{' '}
          {workspace ? (
            <a href="/firm/availability">Publish the times you take calls</a>
          ) : (
            'Publish the times your firm takes calls in its Auditmatch workspace.'
          )}
        </p>
      )}
    </section>
  );
}

/** The lead in the workspace. */
export function LeadPage({
  user,
  firmName,
  lead,
  csrf,
  notice,
  errors,
}: {
  user: SessionUser;
  firmName: string;
  lead: LeadDetail;
  csrf: string;
  notice: string | null;
  errors: Record<string, string>;
}) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="leads"
      title="A lead"
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      <p>
        <a href="/firm/leads">Back to all leads</a>
      </p>
      <LeadBody
        lead={lead}
        base={`/firm/leads/${lead.id}`}
        csrf={csrf}
        errors={errors}
        workspace={true}
      />
    </WorkspaceShell>
  );
}

/** The lead from the firm's email link: everything a firm needs for this one lead, without an account. */
export function LinkLeadPage({
  token,
  firmName,
  lead,
  csrf,
  notice,
  errors,
  children,
}: {
  token: string;
  firmName: string;
  lead: LeadDetail;
  csrf: string;
  notice: string | null;
  errors: Record<string, string>;
  children?: ComponentChildren;
}) {
  return (
    <section class="narrow">
      <h1>A brief for {firmName}</h1>
      <p class="muted">
        This page works from your email link, without an account; keep the link to your firm. To
        manage your profile and all your leads, claim your firm's workspace.
      </p>
      {notice ? (
        <p class="card" role="status">
          {notice}
        </p>
      ) : null}
      {errors.form ? (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      {children}
      <LeadBody lead={lead} base={`/b/${token}`} csrf={csrf} errors={errors} workspace={false} />
    </section>
  );
}
