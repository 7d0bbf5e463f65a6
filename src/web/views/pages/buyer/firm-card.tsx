import { CancelCallForm, TimeZoneOptions } from '../../components/call-forms';
import { Check, TextArea } from '../../components/form-fields';
import { PageMessage } from '../../components/notices';
import { PostForm, Submit } from '../../components/post-form';
import { when } from '../../components/when';
import { localTimeLabel } from '../../../../domain/calls/zones';
import type { BuyerView } from '../../../../services/buyer';

type Briefed = BuyerView['proposals'][number] & {
  brief: NonNullable<BuyerView['proposals'][number]['brief']>;
};

/** The questions and answers with one firm, and the buyer's reply form. */
function Thread({
  p,
  base,
  csrf,
  errors,
}: {
  p: Briefed;
  base: string;
  csrf: string;
  errors: Record<string, string>;
}) {
  const { brief } = p;
  const lastQuestion = [...brief.messages].reverse().find((m) => m.author === 'firm');
  return (
    <section aria-label={`Questions and answers with ${p.name}`}>
      <h4>Questions and answers</h4>
      {brief.messages.length === 0 ? <p class="muted">No questions from {p.name} yet.</p> : null}
      <ol class="thread">
        {brief.messages.map((m) => (
          <li key={m.id} class={`message from-${m.author}`}>
            <p class="muted">
              {m.author === 'firm' ? p.name : 'You'}
              {m.shared ? ' (shared with all your firms)' : ''}, {when(m.createdAt)}
            </p>
            <p class="pre">{m.body}</p>
          </li>
        ))}
      </ol>
      {brief.status === 'accepted' ? (
        <PostForm
          action={`${base}/briefs/${brief.id}/messages`}
          csrf={csrf}
          hidden={lastQuestion ? { inReplyTo: lastQuestion.id } : {}}
        >
          <TextArea
            form={{ fields: {}, errors }}
            name={`body-${brief.id}`}
            sentAs="body"
            label={lastQuestion ? `Your answer to ${p.name}` : `Write to ${p.name}`}
            rows={3}
            maxLength={2000}
          />
          <Check id={`f-share-${brief.id}`} name="shareWithAll">
            Share this answer with all the firms that accepted my brief
          </Check>
          <Submit kind="secondary">Send</Submit>
        </PostForm>
      ) : null}
    </section>
  );
}

/** Book, move or cancel the one short call with this firm. */
function Call({
  p,
  base,
  csrf,
  timeZone,
  errors,
}: {
  p: Briefed;
  base: string;
  csrf: string;
  timeZone: string;
  errors: Record<string, string>;
}) {
  const { brief } = p;
  const call = brief.call;
  if (brief.status !== 'accepted') return null;
  const cancel = call ? (
    <CancelCallForm
      action={`${base}/calls/${call.id}/cancel`}
      csrf={csrf}
      id={`f-cancel-${call.id}`}
    />
  ) : null;
  const both = (t: number) =>
    `${localTimeLabel(t, timeZone)} — ${p.name}: ${localTimeLabel(t, brief.firmTimeZone)}`;
  return (
    <section aria-label={`Short call with ${p.name}`}>
      <h4>Short call</h4>
      <PageMessage text={errors[`call-${brief.id}`]} refusal />
      {call?.status === 'booked' && call.start !== null ? (
        <>
          <p>
            <strong>Booked:</strong> {localTimeLabel(call.start, timeZone)} (for {p.name}:{' '}
            {localTimeLabel(call.start, brief.firmTimeZone)}). The invitation is in your email;{' '}
            {p.name} has your contact details for this call.
          </p>
          {brief.slots.length > 0 ? (
            <PostForm action={`${base}/calls/${call.id}/reschedule`} csrf={csrf}>
              <SlotSelect
                id={`f-move-${call.id}`}
                label="Move it to"
                slots={brief.slots}
                render={both}
              />
              <Submit kind="secondary">Move the call</Submit>
            </PostForm>
          ) : (
            <p class="muted">
              {p.name} has no other published time free; cancel and offer times of your own to move
              it.
            </p>
          )}
          {cancel}
        </>
      ) : call?.status === 'offered' ? (
        <>
          <p>You offered these times; {p.name} picks one, and then receives your details:</p>
          <ul>
            {call.offered.map((t) => (
              <li key={t}>{localTimeLabel(t, call.buyerTimeZone)}</li>
            ))}
          </ul>
          {cancel}
        </>
      ) : (
        <>
          <p>
            Book one short call with the firm you pick, after comparing the quotes. {p.name}{' '}
            receives your contact details with the booking.
          </p>
          {brief.slots.length > 0 ? (
            <PostForm action={`${base}/briefs/${brief.id}/call`} csrf={csrf} hidden={{ timeZone }}>
              <SlotSelect
                id={`f-slot-${brief.id}`}
                label={`A time ${p.name} offers (shown in ${timeZone.replaceAll('_', ' ')})`}
                slots={brief.slots}
                render={both}
              />
              <Submit>Book this call</Submit>
            </PostForm>
          ) : (
            <p class="muted">
              {p.name} has not published times for calls; offer three of yours below.
            </p>
          )}
          <PostForm action={`${base}/briefs/${brief.id}/call`} csrf={csrf}>
            <fieldset>
              <legend>Or offer three times of your own</legend>
              <div class="field">
                <label for={`f-tz-${brief.id}`}>Your time zone</label>
                <select id={`f-tz-${brief.id}`} name="timeZone">
                  <TimeZoneOptions selected={timeZone} />
                </select>
              </div>
              {[1, 2, 3].map((n) => (
                <div class="field" key={n}>
                  <label for={`f-offer-${brief.id}-${n}`}>Time {n}</label>
                  <input
                    id={`f-offer-${brief.id}-${n}`}
                    name={`offer${n}`}
                    type="datetime-local"
                    step={1800}
                  />
                </div>
              ))}
              <Submit kind="secondary">Offer these times</Submit>
            </fieldset>
          </PostForm>
        </>
      )}
    </section>
  );
}

function SlotSelect({
  id,
  label,
  slots,
  render,
}: {
  id: string;
  label: string;
  slots: number[];
  render: (t: number) => string;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name="slot">
        {slots.map((t) => (
          <option key={t} value={new Date(t).toISOString()}>
            {render(t)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A firm that holds the brief: its status, the thread, sharing details, and the call. */
export function BriefedFirm({
  p,
  base,
  csrf,
  timeZone,
  errors,
  status,
}: {
  p: Briefed;
  base: string;
  csrf: string;
  timeZone: string;
  errors: Record<string, string>;
  status: string;
}) {
  const { brief } = p;
  return (
    <li class="card" key={p.firmId}>
      <h3>
        <a href={`/firms/${p.slug}`}>{p.name}</a>
      </h3>
      <p class={`status-${brief.status}`}>{status}</p>
      {brief.status === 'sent' ? <p class="muted">Answer due by {when(brief.respondBy)}</p> : null}
      {brief.status === 'accepted' && brief.quoteBy ? (
        <p class="muted">Committed to quote by {when(brief.quoteBy)}</p>
      ) : null}
      {brief.withdrawn ? <p class="muted">Why: {brief.withdrawn}.</p> : null}
      {brief.status === 'accepted' ? (
        brief.contactShared ? (
          <p class="muted">{p.name} has your contact details.</p>
        ) : (
          <PostForm action={`${base}/briefs/${brief.id}/share`} csrf={csrf}>
            <p class="muted">
              {p.name} does not have your contact details. They reach it when you book its call — or
              now, if you prefer.
            </p>
            <Submit kind="small-secondary">Share my details with {p.name} now</Submit>
          </PostForm>
        )
      ) : null}
      <Thread p={p} base={base} csrf={csrf} errors={errors} />
      <Call p={p} base={base} csrf={csrf} timeZone={timeZone} errors={errors} />
    </li>
  );
}
