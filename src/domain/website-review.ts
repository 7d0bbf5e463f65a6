/**
 * A firm's website after the operator approved the firm. The operator judged the firm's sign-in
 * addresses against that website's domain, and buyers follow it from the public profile, so
 * once approved a change waits for the operator instead of going live (ADR 0017).
 */

/** What saving a website does for a firm in this status, given what is live and what waits. */
export type WebsiteEdit =
  /** Nothing to do: the same website as live, and nothing waiting. */
  | { kind: 'unchanged' }
  /** Written at once: the firm has not been approved yet, the operator reads it at approval. */
  | { kind: 'apply' }
  /** Kept as the firm's one pending change (replacing any earlier one) until the operator decides. */
  | { kind: 'queue' }
  /** The firm went back to its live website: the waiting change is withdrawn. */
  | { kind: 'withdraw' };

/**
 * Only an applicant (`pending`) edits its website directly; an active or suspended firm was
 * approved with the website it has, so its change is queued.
 */
export function websiteEdit(input: {
  status: string;
  live: string | null;
  requested: string | null;
  /** The website already waiting for review, undefined when none waits. */
  waiting: string | null | undefined;
}): WebsiteEdit {
  const { status, live, requested, waiting } = input;
  if (status === 'pending') return live === requested ? { kind: 'unchanged' } : { kind: 'apply' };
  if (requested === live)
    return waiting === undefined ? { kind: 'unchanged' } : { kind: 'withdraw' };
  if (waiting !== undefined && waiting === requested) return { kind: 'unchanged' };
  return { kind: 'queue' };
}

/**
 * Re-checked when the operator approves: the firm must still be active. A firm suspended since
 * it asked would otherwise change its public face while the operator is looking into it.
 */
export function websiteApprovalRefusal(firmStatus: string): string | null {
  if (firmStatus === 'active') return null;
  return `This firm is ${firmStatus}: a new website can be approved only for an active firm. Reject the change, or reinstate the firm first.`;
}
