import type {
  CompanyStage,
  CredentialKind,
  FirmPlan,
  FirmStatus,
  FirmType,
  FrameworkId,
  Industry,
  Region,
  SizeBand,
  VerificationStatus,
} from './vocabulary';

/**
 * A firm as the domain sees it: plain values, loaded by the db layer and handed to
 * pure code (matching, directory filters, profile views). Dates are ISO strings (YYYY-MM-DD).
 */
export interface PriceRange {
  sizeBand: SizeBand;
  minUsd: number;
  maxUsd: number;
}

export interface FirmService {
  framework: FrameworkId;
  /** Variant ids the firm performs (e.g. type1, type2 for SOC 2; empty when the framework has none). */
  variants: string[];
  priceRanges: PriceRange[];
  /** Weeks from signing to the start of fieldwork. */
  leadTimeWeeks: number;
  /** New engagements the firm accepts per calendar month. */
  monthlyCapacity: number;
  /** Engagements already taken in `capacityMonth` (YYYY-MM). */
  capacityUsed: number;
  capacityMonth: string;
  paused: boolean;
  pausedUntil: string | null;
}

/**
 * The part of a service that changes with day-to-day work (capacity taken as briefs are accepted,
 * pauses) rather than with the firm's profile: read live beside the catalog snapshot.
 */
export type LiveService = Pick<
  FirmService,
  'framework' | 'monthlyCapacity' | 'capacityUsed' | 'capacityMonth' | 'paused' | 'pausedUntil'
>;

export interface Credential {
  kind: CredentialKind;
  /** Who issued it: a state board, AICPA, an accreditation body such as ANAB or UKAS. */
  issuer: string;
  identifier: string;
  /** For ISO accreditations: the standards certified under it, e.g. ["ISO/IEC 42001", "ISO/IEC 27001"]. */
  scopeStandards: string[];
  /** For ISO accreditations: the conformity-assessment standards, e.g. ["ISO/IEC 17021-1", "ISO/IEC 42006"]. */
  schemeStandards: string[];
  validFrom: string;
  validTo: string | null;
  verification: VerificationStatus;
  evidenceUrl: string | null;
}

export type CredentialState =
  | 'verified'
  | 'expired'
  | 'pending'
  | 'rejected'
  | 'revoked'
  | 'not-yet-valid';

/** What a visitor should read about one credential today. */
export function credentialState(
  c: { verification: string; validFrom: string; validTo: string | null },
  today: string,
): CredentialState {
  if (c.verification === 'revoked') return 'revoked';
  if (c.verification === 'rejected') return 'rejected';
  if (c.verification === 'pending') return 'pending';
  if (c.validTo !== null && c.validTo < today) return 'expired';
  if (c.validFrom > today) return 'not-yet-valid';
  return 'verified';
}

/** A past or current tie between a certification body and a consultancy (ISO/IEC 17021-1 impartiality). */
export interface ConsultancyLink {
  consultancy: string;
  /** null while the link is current. */
  endedOn: string | null;
}

export interface Firm {
  id: string;
  slug: string;
  name: string;
  firmType: FirmType;
  status: FirmStatus;
  demo: boolean;
  website: string | null;
  description: string;
  headquarters: string;
  regions: Region[];
  languages: string[];
  industries: Industry[];
  stages: CompanyStage[];
  aiSpecialism: boolean;
  bookingUrl: string | null;
  services: FirmService[];
  credentials: Credential[];
  consultancyLinks: ConsultancyLink[];
  /** Applied as a new firm (not imported, not a claim): listed publicly only with a verified credential. */
  selfRegistered?: boolean;
  /** Verified-review aggregate: count and mean rating (1–5). */
  reviewCount: number;
  reviewMean: number | null;
  /** Median hours to answer a brief, null until the firm has answered one. */
  medianResponseHours: number | null;
  /** Commercial: never part of the ranking input. */
  plan: FirmPlan;
}

/**
 * Shown in the public directory and on a public profile: an active firm; one that applied as
 * new only once the operator has verified at least one of its credentials, so approving an
 * applicant does not by itself put an unproven name in front of buyers.
 */
export function isListedPublicly(firm: Firm): boolean {
  if (firm.status !== 'active') return false;
  return !firm.selfRegistered || firm.credentials.some((c) => c.verification === 'verified');
}
