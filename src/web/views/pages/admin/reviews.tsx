import type { ModeratedReview, ReviewFilter } from '../../../../services/reviews';
import type { QueuePageText, QueueProps } from './shell';
import { AdminShell, RowCard, RowForm, rowState, TextField, when } from './shell';

const QUEUE = {
  section: '/admin/reviews',
  title: 'Reviews',
  lead: "Ratings left by buyers who were introduced to a firm. Hide a review whose text is abusive or shares personal details, with a reason; a hidden review leaves the public profile and the firm's rating.",
  filters: {
    label: 'Which reviews',
    labels: { all: 'All reviews', 'with-text': 'With text', hidden: 'Hidden' },
  },
} satisfies QueuePageText<ReviewFilter>;

export function AdminReviewsPage({ rows, ...frame }: QueueProps<ModeratedReview, ReviewFilter>) {
  return (
    <AdminShell {...QUEUE} {...frame}>
      {rows.length === 0 ? <p>No reviews in this list.</p> : null}
      {rows.map((r) => {
        const { errors, typed } = rowState(frame.failure, r.id);
        const hidden = r.hiddenAt !== null;
        return (
          <RowCard
            key={r.id}
            id={`review-${r.id}`}
            title={
              <>
                {r.firmName}: {r.rating} out of 5
              </>
            }
          >
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
              hidden={{ filter: frame.filter, action: hidden ? 'restore' : 'hide' }}
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
          </RowCard>
        );
      })}
    </AdminShell>
  );
}
