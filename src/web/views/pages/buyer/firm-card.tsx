import { ErrorText } from '../../components/forms';
import { localTimeLabel } from '../../../../domain/calls/zones';
import { COMMON_TIME_ZONES } from '../../../../domain/calls/zones';
import type { BuyerView } from '../../../../services/buyer';

type Briefed = BuyerView['proposals'][number] & {
  brief: NonNullable<BuyerView['proposals'][number]['brief']>;
};

/** Options of a time-zone select: the common ones, and the buyer's own if it is another. */
export function TimeZoneOptions({ selected }: { selected: string }) {
  const zones = (COMMON_TIME_ZONES as readonly string[]).includes(selected)
    ? COMMON_TIME_ZONES
    : [selected, ...COMMON_TIME_ZONES];
  return (
    <>
      {zones.map((z) => (
        <option key={z} value={z} selected={z === selected}>
          {z.replaceAll('_', ' ')}
        </option>
      ))}
    </>
  );
}

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
  const field = `body-${brief.id}`;
  return (
    <section aria-label={`Questions and answers with ${p.name}`}>
      <h4>Questions and answers</h4>
      {brief.messages.length === 0 ? <p class="muted">No questions from {p.name} yet.</p> : null}
      <ol class="thread">
        {brief.messages.map((m) => (
          <li key={m.id} class={`message from-${m.author}`}>
            <p class="muted">
              {m.author === 'firm' ? p.name : 'You'}
              {m.shared ? ' (shared with all your firms)' : ''},{' '}
              {m.createdAt.slice(0, 16).replace('T', ' ')} UTC
            </p>
            <p class="pre">{m.body}</p>
          </li>
        ))}
      </ol>
      {brief.status === 'accepted' ? (
        <form method="post" action={`${base}/briefs/${brief.id}/messages`}>
          <input type="hidden" name="_csrf" value={csrf} />
          {lastQuestion ? <input type="hidden" name="inReplyTo" value={lastQuestion.id} /> : null}
          <div class="field">
            <label for={`f-${field}`}>
              {lastQuestion ? `Your answer to ${p.name}` : `Write to ${p.name}`}
            </label>
            <textarea
              id={`f-${field}`}
              name="body"
              rows={3}
              cols={60}
              maxLength={2000}
              aria-invalid={errors[field] ? 'true' : undefined}
              aria-describedby={errors[field] ? `f-${field}-error` : undefined}
            />
            <ErrorText id={`f-${field}`} text={errors[field]} />
          </div>
          <p class="check">
            <input type="checkbox" id={`f-share-${brief.id}`} name="shareWithAll" value="yes" />{' '}
            <label for={`f-share-${brief.id}`}>
              Share this answer with all the firms that accepted my brief
            </label>
          </p>
          <button class="button button-secondary" type="submit">
            Send
          </button>
        </form>
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
  const both = (t: number) =>
    `${localTimeLabel(t, timeZone)} — ${p.name}: ${localTimeLabel(t, brief.firmTimeZone)}`;
  const error = errors[`call-${brief.id}`];
  return (
    <section aria-label={`Short call with ${p.name}`}>
      <h4>Short call</h4>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {call?.status === 'booked' && call.start !== null ? (
        <>
          <p>
            <strong>Booked:</strong> {localTimeLabel(call.start, timeZone)} (for {p.name}:{' '}
            {localTimeLabel(call.start, brief.firmTimeZone)}). The invitation is in your email;{' '}
            {p.name} has your contact details for this call.
          </p>
          {brief.slots.length > 0 ? (
            <form method="post" action={`${base}/calls/${call.id}/reschedule`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <SlotSelect
                id={`f-move-${call.id}`}
                label="Move it to"
                slots={brief.slots}
                render={both}
              />
              <button class="button button-secondary" type="submit">
                Move the call
              </button>
            </form>
          ) : (
            <p class="muted">
              {p.name} has no other published time free; cancel and offer times of your own to move
              it.
            </p>
          )}
          <CancelForm action={`${base}/calls/${call.id}/cancel`} csrf={csrf} id={call.id} />
        </>
      ) : call?.status === 'offered' ? (
        <>
          <p>You offered these times; {p.name} picks one, and then receives your details:</p>
          <ul>
            {call.offered.map((t) => (
              <li key={t}>{localTimeLabel(t, call.buyerTimeZone)}</li>
            ))}
          </ul>
          <CancelForm action={`${base}/calls/${call.id}/cancel`} csrf={csrf} id={call.id} />
        </>
      ) : (
        <>
          <p>
            Book one short call with the firm you pick, after comparing the quotes. {p.name}{' '}
            receives your contact details with the booking.
          </p>
          {brief.slots.length > 0 ? (
            <form method="post" action={`${base}/briefs/${brief.id}/call`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="timeZone" value={timeZone} />
              <SlotSelect
                id={`f-slot-${brief.id}`}
                label={`A time ${p.name} offers (shown in ${timeZone.replaceAll('_', ' ')})`}
                slots={brief.slots}
                render={both}
              />
              <button class="button" type="submit">
                Book this call
              </button>
            </form>
          ) : (
            <p class="muted">
              {p.name} has not published times for calls; offer three of yours below.
            </p>
          )}
          <form method="post" action={`${base}/briefs/${brief.id}/call`}>
            <input type="hidden" name="_csrf" value={csrf} />
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
              <button class="button button-secondary" type="submit">
                Offer these times
              </button>
            </fieldset>
          </form>
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

function CancelForm({ action, csrf, id }: { action: string; csrf: string; id: string }) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      <div class="field">
        <label for={`f-cancel-${id}`}>Reason (optional)</label>
        <input id={`f-cancel-${id}`} name="reason" type="text" maxLength={300} />
      </div>
      <button class="button button-secondary" type="submit">
        Cancel the call
      </button>
    </form>
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
      {brief.status === 'sent' ? (
        <p class="muted">Answer due by {brief.respondBy.slice(0, 16).replace('T', ' ')} UTC</p>
      ) : null}
      {brief.status === 'accepted' && brief.quoteBy ? (
        <p class="muted">
          Committed to quote by {brief.quoteBy.slice(0, 16).replace('T', ' ')} UTC
        </p>
      ) : null}
      {brief.withdrawn ? <p class="muted">Why: {brief.withdrawn}.</p> : null}
      {brief.status === 'accepted' ? (
        brief.contactShared ? (
          <p class="muted">{p.name} has your contact details.</p>
        ) : (
          <form method="post" action={`${base}/briefs/${brief.id}/share`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <p class="muted">
              {p.name} does not have your contact details. They reach it when you book its call — or
              now, if you prefer.
            </p>
            <button class="button button-small button-secondary" type="submit">
              Share my details with {p.name} now
            </button>
          </form>
        )
      ) : null}
      <Thread p={p} base={base} csrf={csrf} errors={errors} />
      <Call p={p} base={base} csrf={csrf} timeZone={timeZone} errors={errors} />
    </li>
  );
}
