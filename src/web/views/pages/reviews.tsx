import { fullDate } from '../../../domain/matching/dates';
import type { Firm } from '../../../domain/firm';
import type { PublicReview } from '../../../services/reviews';
import { PageHeader } from '../layout';

/** One review as visitors read it: rating, text, and the firm's reply. Hidden reviews never reach here. */
export function ReviewItem({ review, firmName }: { review: PublicReview; firmName: string }) {
  return (
    <li class="card">
      <p>
        <strong>{review.rating} out of 5</strong>{' '}
        <span class="muted">· {fullDate(review.createdAt.slice(0, 10))} · introduced buyer</span>
      </p>
      {review.body ? <p>{review.body}</p> : null}
      {review.firmReply ? (
        <div>
          <p>
            <strong>Reply from {firmName}</strong>{' '}
            <span class="muted">· {(review.firmRepliedAt ?? '').slice(0, 10)}</span>
          </p>
          <p>{review.firmReply}</p>
        </div>
      ) : null}
    </li>
  );
}

export function FirmReviewsPage({ firm, reviews }: { firm: Firm; reviews: PublicReview[] }) {
  return (
    <>
      <PageHeader
        title={`Reviews of ${firm.name}`}
        lead={
          firm.reviewCount > 0 && firm.reviewMean !== null
            ? `${firm.reviewMean.toFixed(1)} out of 5 from ${firm.reviewCount} introduced ${firm.reviewCount === 1 ? 'buyer' : 'buyers'}.`
            : 'No reviews yet.'
        }
      />
      <p>
        Only buyers Auditmatch introduced to {firm.name} can review it: each review comes from a
        single-use link sent to the buyer some weeks after the introduction. The firm may reply
        once. Reviews are shown without the buyer's name.
      </p>
      {reviews.length > 0 ? (
        <ul class="grid">
          {reviews.map((r) => (
            <ReviewItem key={r.id} review={r} firmName={firm.name} />
          ))}
        </ul>
      ) : null}
      <p>
        <a href={`/firms/${firm.slug}`}>Back to {firm.name}'s profile</a>
      </p>
    </>
  );
}
