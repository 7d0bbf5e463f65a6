import type { PendingWebsite } from '../../../../services/firm/website-changes';
import { isoDay } from '../../../../domain/matching/dates';

/** The live website, and the one the firm asked for while it waits for the operator. */
export interface WebsiteReview {
  live: string | null;
  pending: PendingWebsite | null;
}

/** Says, above the profile form, that a website change is awaiting the operator's review. */
export function WebsiteReviewStatus({ website }: { website: WebsiteReview }) {
  const { live, pending } = website;
  if (!pending) return null;
  return (
    <p class="card notice" id="website-review" role="status">
      Your new website, {pending.website ?? 'none'}, is awaiting review by Auditmatch since{' '}
      {isoDay(Date.parse(pending.requestedAt))}. Until it is approved your public profile shows{' '}
      {live ?? 'no website'}.
    </p>
  );
}

export function websiteHint(status: string, { live, pending }: WebsiteReview): string {
  if (pending)
    return `Awaiting review. Enter ${live ?? 'nothing'} again to withdraw the change; another address replaces it.`;
  if (status === 'pending') return 'A full https:// address.';
  return 'A full https:// address. A change is reviewed by Auditmatch before your public profile shows it: we check your team’s sign-in addresses against its domain.';
}
