import data from '../data/accreditation-bodies.json' with { type: 'json' };

/**
 * The accreditation bodies whose accreditations count: IAF MLA signatories for management-system
 * certification. An ISO accreditation names its body by id from this closed list, or
 * `OTHER_ACCREDITATION_BODY`, which is recorded and shown but never qualifies a firm for an
 * accredited certificate (a certificate from a body outside the MLA is not recognised abroad).
 */
export interface AccreditationBody {
  id: string;
  name: string;
  country: string;
  url: string;
}

export const ACCREDITATION_BODIES: readonly AccreditationBody[] = data.bodies;
export const ACCREDITATION_LIST_SOURCE = data.meta.source;

export const OTHER_ACCREDITATION_BODY = 'other';

const BY_ID = new Map(ACCREDITATION_BODIES.map((b) => [b.id, b]));
/** Ids as people type them ("anab", " UKAS "), for import and forms. */
const BY_FOLDED_ID = new Map(ACCREDITATION_BODIES.map((b) => [fold(b.id), b]));

function fold(text: string): string {
  return text.trim().toLowerCase();
}

export function accreditationBody(id: string): AccreditationBody | undefined {
  return BY_ID.get(id);
}

/** True for an IAF MLA signatory's id; false for 'other' and anything else. */
export function isMlaSignatory(id: string): boolean {
  return BY_ID.has(id);
}

/**
 * The listed id a typed issuer stands for ("ukas" → "UKAS"; the body's full name works too),
 * `OTHER_ACCREDITATION_BODY` for "other", or null when it is neither: free text is refused.
 */
export function accreditationBodyId(typed: string): string | null {
  const folded = fold(typed);
  if (folded === OTHER_ACCREDITATION_BODY) return OTHER_ACCREDITATION_BODY;
  const byId = BY_FOLDED_ID.get(folded);
  if (byId) return byId.id;
  return ACCREDITATION_BODIES.find((b) => fold(b.name) === folded)?.id ?? null;
}

/** "UKAS (United Kingdom)" or "another body, not an IAF MLA signatory". */
export function accreditationBodyLabel(id: string): string {
  const body = BY_ID.get(id);
  if (body) return `${body.id} (${body.country})`;
  return id === OTHER_ACCREDITATION_BODY ? 'another body, not an IAF MLA signatory' : id;
}

/** How a credential's issuer reads on a page: an accreditation by its body, anything else as typed. */
export function issuerLabel(kind: string, issuer: string): string {
  if (kind !== 'iso-accreditation') return issuer;
  const folded = accreditationBodyId(issuer) ?? issuer;
  return isMlaSignatory(folded)
    ? accreditationBodyLabel(folded)
    : `${issuer} (not an IAF MLA signatory: never qualifies)`;
}
