import type { Generated } from 'kysely';
import type {
  BriefStatus,
  ProposalStatus,
  CallStatus,
  QuoteStatus,
  RequestStatus,
  WithdrawalReason,
} from '../domain/lifecycle/states';
import type { DayFacts } from '../domain/metrics';

/**
 * Table types as Kysely sees them (camelCase; the CamelCasePlugin maps to snake_case columns).
 *
 * Portable storage choices, the same on SQLite and PostgreSQL (ADR 0004):
 * - ids are text UUIDs; timestamps are ISO-8601 UTC strings (sortable as text);
 * - booleans are integers 0/1; lists and nested values are JSON in text columns;
 * - money is whole US dollars.
 */
type Bool = number;
type Json = string;
type Timestamp = string;

export interface FirmsTable {
  id: string;
  slug: string;
  name: string;
  firmType: string;
  status: string;
  demo: Bool;
  website: string | null;
  description: string;
  headquarters: string;
  regions: Json;
  languages: Json;
  industries: Json;
  stages: Json;
  aiSpecialism: Bool;
  bookingUrl: string | null;
  /** Where briefs go until the firm has team members in the workspace. */
  leadEmail: string | null;
  consultancyLinks: Json;
  /** Migration 005: IANA time zone the firm's call windows are written in. */
  timeZone: Generated<string>;
  /** Commercial field: kept out of every ranking input. */
  plan: string;
  statusReason: string | null;
  reviewCount: Generated<number>;
  reviewMean: number | null;
  medianResponseHours: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface FirmServicesTable {
  id: string;
  firmId: string;
  framework: string;
  variants: Json;
  priceRanges: Json;
  leadTimeWeeks: number;
  monthlyCapacity: number;
  capacityUsed: number;
  capacityMonth: string;
  paused: Bool;
  pausedUntil: string | null;
}

export interface CredentialsTable {
  id: string;
  firmId: string;
  kind: string;
  issuer: string;
  identifier: string;
  scopeStandards: Json;
  schemeStandards: Json;
  validFrom: string;
  validTo: string | null;
  verification: string;
  evidenceUrl: string | null;
  evidenceFile: string | null;
  verifiedAt: Timestamp | null;
  verifiedBy: string | null;
  note: string | null;
  createdAt: Timestamp;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  /** 'admin' (operator) or 'firm'. */
  role: string;
  firmId: string | null;
  /** 'owner' | 'member' for firm users. */
  firmRole: string | null;
  createdAt: Timestamp;
  disabledAt: Timestamp | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  idHash: string;
  userId: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  lastSeenAt: Timestamp;
}

export interface SignInTokensTable {
  tokenHash: string;
  email: string;
  purpose: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
}

export interface QuoteRequestsTable {
  id: string;
  /** Short reference shown to the buyer and the operator, never to firms before accept. */
  reference: string;
  status: RequestStatus;
  /** Parsed with ScopeSchema on every read (db/requests.ts). */
  scope: Json;
  /** AES-256-GCM ciphertexts of the buyer's contact (null once erased). */
  contactNameEnc: string | null;
  contactEmailEnc: string | null;
  companyEnc: string | null;
  phoneEnc: string | null;
  /** Keyed hash of the email, for rate limits and duplicate detection without decrypting. */
  emailHash: string | null;
  consentText: string;
  consentAt: Timestamp;
  confirmTokenHash: string | null;
  confirmExpiresAt: Timestamp | null;
  confirmedAt: Timestamp | null;
  /** Superseded by request_links (migration 004); kept so older rows still read. */
  accessTokenHash: string | null;
  /** The request form's key (migration 004): one request however often the form is sent. */
  idempotencyKey: string | null;
  matchResult: Json | null;
  /** Rotation state the buyer's preview used, so confirming shows the same firms. */
  matchRotation: Generated<number>;
  algorithmVersion: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  expiresAt: Timestamp;
  contactErasedAt: Timestamp | null;
  /**
   * Added by migration 015: the request's proposals within the promised three (ranks 1–3),
   * counted as they are added, so the overview pages read a column instead of counting them.
   */
  proposedTop: Generated<number>;
}

export interface ProposalsTable {
  id: string;
  requestId: string;
  firmId: string;
  rank: number;
  score: number;
  breakdown: Json;
  reasons: Json;
  algorithmVersion: string;
  status: ProposalStatus;
  createdAt: Timestamp;
}

export interface BriefsTable {
  id: string;
  requestId: string;
  proposalId: string;
  firmId: string;
  status: BriefStatus;
  sentAt: Timestamp;
  respondBy: Timestamp;
  respondedAt: Timestamp | null;
  declineReason: string | null;
  contactReleasedAt: Timestamp | null;
  /** Migration 004: why the brief was withdrawn, and the standing problem behind a firm-side one. */
  withdrawnReason: WithdrawalReason | null;
  withdrawnNote: string | null;
  /** Migration 005: accepting commits the firm to quote by this time. */
  quoteBy: Timestamp | null;
  /** Migration 005: when the buyer shared its details with this firm before any call. */
  sharedAt: Timestamp | null;
}

export interface QuotesTable {
  id: string;
  briefId: string;
  requestId: string;
  firmId: string;
  lineItems: Json;
  totalUsd: number;
  startDate: string;
  reportDate: string;
  assumptions: string;
  validUntil: string;
  status: QuoteStatus;
  createdAt: Timestamp;
  /** Migration 004: why a withdrawn quote stopped ('replaced' by a newer one, or the brief's reason). */
  withdrawnReason: string | null;
  /** Migration 005: what the short call could change in the quote. */
  callCouldChange: Generated<string>;
  /** Migration 005: sums of the quote's own lines (ranges: low and high), year one and the whole cycle. */
  yearOneMinUsd: number | null;
  yearOneMaxUsd: number | null;
  fullCycleMinUsd: number | null;
  fullCycleMaxUsd: number | null;
  /** Migration 009: 1 while the quote is counted in price_index_totals (ADR 0028). */
  priceCounted: Generated<number>;
}

export interface ReviewsTable {
  id: string;
  briefId: string;
  firmId: string;
  rating: number;
  body: string | null;
  firmReply: string | null;
  firmRepliedAt: Timestamp | null;
  hiddenReason: string | null;
  hiddenAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface ComplaintsTable {
  id: string;
  requestId: string | null;
  firmId: string | null;
  kind: string;
  body: string;
  /** 'open' | 'resolved' */
  status: string;
  resolution: string | null;
  createdAt: Timestamp;
  resolvedAt: Timestamp | null;
}

export interface OutboxTable {
  id: string;
  /** 'email' | 'webhook' */
  channel: string;
  /** Unique: the same introduction can never be queued twice. */
  idempotencyKey: string;
  payload: Json;
  /** 'pending' | 'sent' | 'dead' */
  status: string;
  attempts: number;
  nextAttemptAt: Timestamp;
  lockedUntil: Timestamp | null;
  lastError: string | null;
  createdAt: Timestamp;
  sentAt: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actorKind: string;
  actorId: string | null;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  detail: Json | null;
}

export interface ApiKeysTable {
  id: string;
  firmId: string;
  keyHash: string;
  label: string;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

export interface WebhookEndpointsTable {
  id: string;
  firmId: string;
  url: string;
  secretEnc: string;
  events: Json;
  createdAt: Timestamp;
  disabledAt: Timestamp | null;
}

/** Anonymous counters: what previews and requests asked for, without who asked. */
export interface DemandCountsTable {
  day: string;
  framework: string;
  region: string;
  kind: string;
  count: number;
}

/** Migration 009: one closed UTC day of the operator's figures, the counts of `DayFacts` (ADR 0028). */
export interface MetricDaysTable extends Omit<DayFacts, 'firstResponses'> {
  /** [[previous week or null, hours], ...]: see domain/metrics.ts, FirstResponseEntry. */
  firstResponses: Json;
  computedAt: Timestamp;
  /** Added by migration 012: how often the row was written, so readers know a row they parsed. */
  revision: Generated<number>;
  /** Added by migration 017: 1 while the row was written before its day settled (ADR 0031). */
  provisional: Generated<number>;
}

/** Migration 009: closed days a later write changed, per request, until rolled up again. */
export interface MetricDaysDirtyTable {
  day: string;
  requestId: string;
  /** JSON DayContribution (domain/metrics.ts): what the request added to the day's row. */
  before: Json;
  markedAt: Timestamp;
}

/** Migration 009: live quotes per price-index segment and total (ADR 0028). */
export interface PriceIndexTotalsTable {
  framework: string;
  /** The request's variant, '' when it named none. */
  variant: string;
  sizeBand: string;
  totalUsd: number;
  quotes: number;
}

/** Small key-value state shared by all instances: catalog version, matching rotation. */
export interface AppStateTable {
  key: string;
  value: string;
}

/** Added by migration 011_leases: work one instance holds at a time (ADR 0030). */
export interface LeasesTable {
  name: string;
  /** The instance holding it: a random id chosen when the instance starts its background work. */
  holder: string;
  expiresAt: string;
}

/** Added by migration 002_firm_workspace: claims of listed profiles and new-firm applications. */
export interface FirmApplicationsTable {
  id: string;
  /** The pending account; null after a rejection deleted it. */
  userId: string | null;
  firmId: string | null;
  /** 'claim' a listed profile or apply as a 'new' firm. */
  kind: string;
  email: string;
  applicantName: string;
  note: string;
  /** 1 when the email's domain is the firm website's domain (or a subdomain of it). */
  domainMatches: number;
  /** 'pending' | 'approved' | 'rejected' */
  status: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** Migration 005: the questions and answers of one brief, between the firm and the buyer. */
export interface BriefMessagesTable {
  id: string;
  briefId: string;
  requestId: string;
  author: 'firm' | 'buyer';
  body: string;
  /** For an answer the buyer shared with all its firms: the message it was copied from. */
  sharedFrom: string | null;
  createdAt: Timestamp;
}

/** Migration 005: the weekly windows a firm takes calls in, in its own time zone (firms.timeZone). */
export interface FirmAvailabilityTable {
  id: string;
  firmId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/**
 * Migration 008: the website an approved firm asked for, until the operator decides (one per
 * firm; a new request replaces the old with a new id).
 */
export interface FirmWebsiteChangesTable {
  id: string;
  firmId: string;
  /** Null: the firm asked to show no website. */
  website: string | null;
  requestedBy: string | null;
  requestedAt: Timestamp;
}

/** Migration 005: the one short call between the buyer and a firm. */
export interface CallsTable {
  id: string;
  briefId: string;
  requestId: string;
  firmId: string;
  status: CallStatus;
  startsAt: Timestamp | null;
  endsAt: Timestamp | null;
  /** JSON list of the UTC instants the buyer offered, while the firm is to pick one. */
  offeredSlots: Json | null;
  buyerTimeZone: string;
  /** iCalendar SEQUENCE: 0 when booked, one more on each reschedule or cancellation. */
  sequence: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  cancelledBy: 'buyer' | 'firm' | 'system' | null;
  cancelReason: string | null;
}

/** Migration 004: the buyer's private-page links, stored hashed; a request may have several. */
export interface RequestLinksTable {
  tokenHash: string;
  requestId: string;
  createdAt: Timestamp;
}

export interface Database {
  firms: FirmsTable;
  firmServices: FirmServicesTable;
  credentials: CredentialsTable;
  users: UsersTable;
  sessions: SessionsTable;
  signInTokens: SignInTokensTable;
  quoteRequests: QuoteRequestsTable;
  proposals: ProposalsTable;
  briefs: BriefsTable;
  quotes: QuotesTable;
  reviews: ReviewsTable;
  complaints: ComplaintsTable;
  outbox: OutboxTable;
  auditLog: AuditLogTable;
  apiKeys: ApiKeysTable;
  webhookEndpoints: WebhookEndpointsTable;
  demandCounts: DemandCountsTable;
  metricDays: MetricDaysTable;
  metricDaysDirty: MetricDaysDirtyTable;
  priceIndexTotals: PriceIndexTotalsTable;
  appState: AppStateTable;
  firmApplications: FirmApplicationsTable;
  requestLinks: RequestLinksTable;
  briefMessages: BriefMessagesTable;
  firmAvailability: FirmAvailabilityTable;
  calls: CallsTable;
  firmWebsiteChanges: FirmWebsiteChangesTable;
  leases: LeasesTable;
}
