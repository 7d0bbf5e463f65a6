import { ErrorText } from '../components/forms';
/** The firm's one public reply to a review of it. */
export function ReviewReplyPage({
  review,
  csrf,
  value,
  error,
}: {
  review: {
    id: string;
    rating: number;
    body: string | null;
    createdAt: string;
    firmReply: string | null;
    firmRepliedAt: string | null;
    hiddenAt: string | null;
  };
  csrf: string;
  value?: string;
  error?: string;
}) {
  return (
    <section class="narrow">
      <h1>Reply to a review</h1>
      <div class="card">
        <p>
          <strong>{review.rating} out of 5</strong>{' '}
          <span class="muted">· {review.createdAt.slice(0, 10)}</span>
        </p>
        {review.body ? <p>{review.body}</p> : <p class="muted">Rating only, no text.</p>}
        {review.hiddenAt ? (
          <p class="badge-warn">
            The Auditmatch team has hidden this review: it is not shown on your profile.
          </p>
        ) : null}
      </div>
      {review.firmReply ? (
        <>
          {error ? (
            <p class="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <h2>Your reply</h2>
          <p>{review.firmReply}</p>
          <p class="muted">
            Replied {(review.firmRepliedAt ?? '').slice(0, 10)}. A review gets one reply.
          </p>
        </>
      ) : (
        <form method="post" action={`/firm/reviews/${review.id}/reply`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <div class="field">
            <label for="f-reply">Your public reply</label>
            <textarea
              id="f-reply"
              name="reply"
              rows={5}
              cols={60}
              value={value ?? ''}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'f-reply-hint f-reply-error' : 'f-reply-hint'}
            />
            <p class="hint" id="f-reply-hint">
              Shown under the review on your profile. You can reply once; it cannot be edited
              afterwards.
            </p>
            <ErrorText id="f-reply" text={error} />
          </div>
          <button class="button" type="submit">
            Publish reply
          </button>
        </form>
      )}
    </section>
  );
}
