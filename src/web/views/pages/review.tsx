import { ErrorText } from '../components/forms';
import type { ReviewInvitation } from '../../../services/reviews';

const RATINGS = [
  { value: '5', label: '5: excellent' },
  { value: '4', label: '4: good' },
  { value: '3', label: '3: fair' },
  { value: '2', label: '2: poor' },
  { value: '1', label: '1: very poor' },
];

/** The buyer's review form, opened from the emailed link (the link is the proof of introduction). */
export function ReviewFormPage({
  invitation,
  token,
  csrf,
  values,
  errors,
}: {
  invitation: ReviewInvitation;
  token: string;
  csrf: string;
  values: { rating?: string; body?: string };
  errors: Record<string, string>;
}) {
  return (
    <section class="narrow">
      <h1>How was {invitation.firmName}?</h1>
      <p>
        Auditmatch introduced you to {invitation.firmName} on {invitation.introducedOn}. Your rating
        helps the next company choose. It is shown on the firm's profile without your name or
        company, and the firm may reply once.
      </p>
      {Object.keys(errors).length > 0 ? (
        <div class="error-summary" role="alert">
          <h2>Please check your review</h2>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}>
                <a href={field === 'rating' ? '#f-rating-5' : '#f-body'}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/reviews/${token}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset aria-describedby={errors.rating ? 'f-rating-error' : undefined}>
          <legend>Your rating</legend>
          {RATINGS.map((r) => (
            <div class="check" key={r.value}>
              <input
                type="radio"
                id={`f-rating-${r.value}`}
                name="rating"
                value={r.value}
                checked={values.rating === r.value}
                required
              />{' '}
              <label for={`f-rating-${r.value}`}>{r.label}</label>
            </div>
          ))}
          <ErrorText id="f-rating" text={errors.rating} />
        </fieldset>
        <div class="field">
          <label for="f-body">A few words (optional)</label>
          <textarea
            id="f-body"
            name="body"
            rows={5}
            cols={60}
            value={values.body ?? ''}
            aria-invalid={errors.body ? 'true' : undefined}
            aria-describedby={errors.body ? 'f-body-hint f-body-error' : 'f-body-hint'}
          />
          <p class="hint" id="f-body-hint">
            What went well, what did not. Please leave out names and contact details. At most 2,000
            characters.
          </p>
          <ErrorText id="f-body" text={errors.body} />
        </div>
        <button class="button" type="submit">
          Send my review
        </button>
      </form>
    </section>
  );
}

export function ReviewThanksPage({ firmName, firmSlug }: { firmName: string; firmSlug: string }) {
  return (
    <section class="narrow">
      <h1>Thank you</h1>
      <p role="status">Your review of {firmName} is in. It helps the next company choose.</p>
      <p>
        <a href={`/firms/${firmSlug}/reviews`}>See {firmName}'s reviews</a>
      </p>
    </section>
  );
}
