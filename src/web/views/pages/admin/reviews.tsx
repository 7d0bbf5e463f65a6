import type { ModeratedReview, ReviewFilter } from '../../../../services/reviews';
import { AdminShell, type ConsoleFrame, RowForm, rowState, TextField, when } from './shell';

const FILTERS = {
  label: 'Which reviews',
  base: '/admin/reviews',
  options: [
    { value: 'all', label: 'All reviews' },
    { value: 'with-text', label: 'With text' },
    { value: 'hidden', label: 'Hidden' },
  ] satisfies { value: ReviewFilter; label: string }[],
};

export function AdminReviewsPage({
  reviews,
  filter,
  ...frame
}: { reviews: ModeratedReview[]; filter: ReviewFilter } & ConsoleFrame) {
  return (
    <AdminShell
      section="/admin/reviews"
      title="Reviews"
      lead="Ratings left by buyers who were introduced to a firm. Hide a review whose text is abusive or shares personal details, with a reason; a hidden review leaves the public profile and the firm's rating."
      {...frame}
      filters={{ ...FILTERS, current: filter }}
    >
      {reviews.length === 0 ? <p>No reviews in this list.</p> : null}
      {reviews.map((r) => {
        const { errors, typed } = rowState(frame.failure, r.id);
        const hidden = r.hiddenAt !== null;
        return (
          <section
            class="card"
            key={r.id}
            id={`review-${r.id}`}
            aria-labelledby={`review-${r.id}-title`}
          >
            <h2 id={`review-${r.id}-title`}>
              {r.firmName}: {r.rating} out of 5
            </h2>
            <p class="muted">
              {when(r.createdAt)}
              {hidden ? (
                <>
                  {' · '}
                  <span class="badge-bad">
                    Hidden {when(r.hiddenAt)}: {r.hiddenReason}
                  </span>
                </>
              ) : null}
            </p>
            {r.body ? <pre class="mail">{r.body}</pre> : <p class="muted">Rating only, no text.</p>}
            {r.firmReply ? (
              <>
                <h3>Reply from {r.firmName}</h3>
                <pre class="mail">{r.firmReply}</pre>
              </>
            ) : null}
            <RowForm
              action={`/admin/reviews/${r.id}`}
              csrf={frame.csrf}
              hidden={{ filter, action: hidden ? 'restore' : 'hide' }}
              errors={errors}
              fields={['reason']}
              problemId={`moderate-${r.id}`}
            >
              {hidden ? null : (
                <TextField
                  id={`hide-reason-${r.id}`}
                  name="reason"
                  label="Reason for hiding"
                  hint="Kept on record; the firm and the buyer are not shown it."
                  value={typed.reason}
                  error={errors.reason}
                />
              )}
              <button
                class={hidden ? 'button button-small' : 'button button-small button-danger'}
                type="submit"
              >
                {hidden ? 'Show this review again' : 'Hide this review'}
              </button>
            </RowForm>
          </section>
        );
      })}
    </AdminShell>
  );
}
