import type { ComponentChildren } from 'preact';
import { localTimeLabel } from '../../../../domain/calls/zones';
import type { LeadDetail } from '../../../../services/firm/leads';
import { DECLINE_REASON_LABELS, DECLINE_REASONS } from '../../../../services/firm/schemas';
import { usdRange } from '../buyer/compare';
import { STATUS } from './leads';
import type { FieldErrors } from '../../../forms/parse';
import { CancelCallForm } from '../../components/call-forms';
import { Check, Choice, TextArea } from '../../components/form-fields';
import { toOptions } from '../../components/forms';
import { PageMessage } from '../../components/notices';
import { ButtonForm, PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';
import { when } from '../../components/when';

interface LeadBodyProps {
  lead: LeadDetail;
  base: string;
  csrf: string;
  errors: FieldErrors;
  /** Shown in the workspace, rather than from the email link. */
  workspace: boolean;
}

/**
 * One lead, the same for a workspace member and for a firm answering from its email link (no
 * account needed): the brief, then — once accepted — the whole scope sheet, questions to the
 * buyer, the quote, the short call, and the buyer's details once it booked or shared them.
 * `base` is where its forms post: /firm/leads/{id} or /b/{token}.
 */
export function LeadBody(props: LeadBodyProps) {
  const { lead, base, csrf, errors, workspace } = props;
  const form = { fields: {}, errors };
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
          <ButtonForm
            action={`${base}/${workspace ? 'answer' : 'accept'}`}
            csrf={csrf}
            hidden={{ action: 'accept' }}
          >
            Accept and commit to quote
          </ButtonForm>
          <PostForm
            action={`${base}/${workspace ? 'answer' : 'decline'}`}
            csrf={csrf}
            hidden={{ action: 'decline' }}
          >
            <Choice
              form={form}
              name="reason"
              label="Reason for declining"
              options={toOptions(DECLINE_REASONS, DECLINE_REASON_LABELS)}
            />
            <Submit kind="secondary">Decline</Submit>
          </PostForm>
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
            <PostForm action={`${base}/messages`} csrf={csrf}>
              <TextArea form={form} name="body" label="Ask the buyer" rows={3} maxLength={2000} />
              <Submit kind="secondary">Send the question</Submit>
            </PostForm>
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

      {accepted ? <CallSection {...props} /> : null}
    </>
  );
}

function CallSection({ lead, base, csrf, errors, workspace }: LeadBodyProps) {
  const call = lead.call;
  const both = (t: number, buyerZone: string) =>
    `${localTimeLabel(t, lead.timeZone)} — the buyer: ${localTimeLabel(t, buyerZone)}`;
  return (
    <section aria-labelledby="call-title">
      <h2 id="call-title">Short call</h2>
      <PageMessage text={errors.call} refusal />
      {call?.status === 'booked' && call.start !== null ? (
        <>
          <p>
            <strong>Booked:</strong> {both(call.start, call.buyerTimeZone)}. The invitation is in
            your email.
          </p>
          <PostForm action={`${base}/calls/${call.id}/reschedule`} csrf={csrf}>
            <fieldset>
              <legend>Move it to another time (yours: {lead.timeZone.replaceAll('_', ' ')})</legend>
              <div class="field">
                <label for="f-move">New date and time</label>
                <input id="f-move" name="when" type="datetime-local" step={1800} />
              </div>
              <Submit kind="secondary">Move the call</Submit>
            </fieldset>
          </PostForm>
          <CancelCallForm action={`${base}/calls/${call.id}/cancel`} csrf={csrf} id="f-cancel" />
        </>
      ) : call?.status === 'offered' ? (
        <PostForm action={`${base}/calls/${call.id}/pick`} csrf={csrf}>
          <fieldset>
            <legend>The buyer offered these times: pick one</legend>
            {call.offered.map((t, i) => (
              <Check
                key={t}
                type="radio"
                id={`f-pick-${i}`}
                name="slot"
                value={new Date(t).toISOString()}
                checked={i === 0}
              >
                {both(t, call.buyerTimeZone)}
              </Check>
            ))}
          </fieldset>
          <Submit>Book this time</Submit>
        </PostForm>
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
  lead,
  errors,
  ...page
}: WorkspacePageProps & { lead: LeadDetail; errors: FieldErrors }) {
  return (
    <WorkspaceShell {...page} errors={errors} section="leads" title="A lead">
      <p>
        <a href="/firm/leads">Back to all leads</a>
      </p>
      <LeadBody
        lead={lead}
        base={`/firm/leads/${lead.id}`}
        csrf={page.csrf}
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
      <PageMessage text={notice} />
      <PageMessage text={errors.form} refusal />
      {children}
      <LeadBody lead={lead} base={`/b/${token}`} csrf={csrf} errors={errors} workspace={false} />
    </section>
  );
}
