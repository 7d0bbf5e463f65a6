import type { PublicReview } from '../../../services/reviews';
import { oneFieldForm, TextArea } from '../components/form-fields';
import { PageMessage } from '../components/notices';
import { PostForm, Submit } from '../components/post-form';

/** The firm's one public reply to a review of it. */
export function ReviewReplyPage({
  review,
  csrf,
  value,
  error,
}: {
  review: PublicReview & { hiddenAt: string | null };
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
          <PageMessage text={error} refusal />
          <h2>Your reply</h2>
          <p>{review.firmReply}</p>
          <p class="muted">
            Replied {(review.firmRepliedAt ?? '').slice(0, 10)}. A review gets one reply.
          </p>
        </>
      ) : (
        <PostForm action={`/firm/reviews/${review.id}/reply`} csrf={csrf}>
          <TextArea
            form={oneFieldForm('reply', value ?? '', error)}
            name="reply"
            label="Your public reply"
            rows={5}
            hint="Shown under the review on your profile. You can reply once; it cannot be edited afterwards."
          />
          <Submit>Publish reply</Submit>
        </PostForm>
      )}
    </section>
  );
}
