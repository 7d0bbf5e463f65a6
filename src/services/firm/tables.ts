/**
 * Table types added by migration 002_firm_workspace. They extend the `Database` interface of
 * src/db/schema.ts by declaration merging, so the firm workspace could land without editing a
 * file other work was changing at the same time; fold them into schema.ts when convenient.
 */
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

declare module '../../db/schema' {
  interface Database {
    firmApplications: FirmApplicationsTable;
  }
}
