import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bumpCatalogVersion } from '../../db/firms';
import { type Credential, type CredentialState, credentialState } from '../../domain/firm';
import type { CredentialKind } from '../../domain/vocabulary';
import { audit } from '../audit';
import type { SessionUser } from '../auth';
import { type ServiceContext, ServiceError } from '../context';
import { CREDENTIALS_BY_FIRM_TYPE } from '../firm-import/record';
import { storedIssuer } from '../firm-import/upsert';
import { firmIdOf } from './profile';
import type { CredentialSubmission } from './schemas';
import { isoDay } from '../../domain/matching/dates';

/** Evidence files live under the data folder, named by a random id: no name a firm chose reaches the disk. */
export function evidenceDir(ctx: ServiceContext): string {
  return join(ctx.config.dataDir, 'evidence');
}

/** A stored credential as the firm and the operator read it: its lists parsed, its state today. */
export interface CredentialView extends Omit<Credential, 'verification'> {
  id: string;
  verification: string;
  state: CredentialState;
  /** The operator's note on its latest decision, which the firm reads. */
  note: string | null;
  createdAt: string;
}

type StoredCredential = Omit<
  CredentialView,
  'kind' | 'state' | 'scopeStandards' | 'schemeStandards'
> & {
  kind: string;
  scopeStandards: string;
  schemeStandards: string;
};

export function credentialView(c: StoredCredential, today: string): CredentialView {
  return {
    id: c.id,
    kind: c.kind as CredentialKind,
    issuer: c.issuer,
    identifier: c.identifier,
    scopeStandards: JSON.parse(c.scopeStandards) as string[],
    schemeStandards: JSON.parse(c.schemeStandards) as string[],
    validFrom: c.validFrom,
    validTo: c.validTo,
    verification: c.verification,
    state: credentialState(c, today),
    evidenceUrl: c.evidenceUrl,
    note: c.note,
    createdAt: c.createdAt,
  };
}

export interface FirmCredential extends CredentialView {
  hasEvidenceFile: boolean;
}

export async function credentialsOf(
  ctx: ServiceContext,
  firmId: string,
): Promise<FirmCredential[]> {
  const today = isoDay(ctx.now());
  const rows = await ctx.db.kysely
    .selectFrom('credentials')
    .selectAll()
    .where('firmId', '=', firmId)
    .orderBy('createdAt', 'desc')
    .execute();
  return rows.map((c) => ({
    ...credentialView(c, today),
    hasEvidenceFile: c.evidenceFile !== null,
  }));
}

/**
 * A firm adds a credential: it starts pending and counts for matching only once the operator
 * has verified it. The evidence PDF is written first and removed again if the insert fails, so
 * no row points at a missing file.
 */
export async function addCredential(
  ctx: ServiceContext,
  user: SessionUser,
  submission: CredentialSubmission,
): Promise<{ id: string }> {
  const firmId = firmIdOf(user);
  const { credential, evidenceFile } = submission;
  const now = ctx.now();
  let fileName: string | null = null;
  let filePath: string | null = null;
  if (evidenceFile) {
    fileName = `${randomBytes(16).toString('hex')}.pdf`;
    filePath = join(evidenceDir(ctx), fileName);
    await mkdir(evidenceDir(ctx), { recursive: true });
    await writeFile(filePath, evidenceFile, { mode: 0o600, flag: 'wx' });
  }
  try {
    const id = await ctx.db.kysely.transaction().execute(async (trx) => {
      const firm = await trx
        .selectFrom('firms')
        .select('firmType')
        .where('id', '=', firmId)
        .executeTakeFirstOrThrow();
      const allowed =
        CREDENTIALS_BY_FIRM_TYPE[firm.firmType as keyof typeof CREDENTIALS_BY_FIRM_TYPE] ?? [];
      if (!allowed.includes(credential.kind)) {
        throw new ServiceError(
          400,
          `Your kind of firm cannot hold this credential; choose one of the listed kinds.`,
          'kind',
        );
      }
      const waiting = await trx
        .selectFrom('credentials')
        .select('id')
        .where('firmId', '=', firmId)
        .where('kind', '=', credential.kind)
        .where('identifier', '=', credential.identifier)
        .where('verification', '=', 'pending')
        .executeTakeFirst();
      if (waiting)
        throw new ServiceError(
          409,
          'This credential is already waiting for verification.',
          'identifier',
        );
      const credentialId = randomUUID();
      await trx
        .insertInto('credentials')
        .values({
          id: credentialId,
          firmId,
          kind: credential.kind,
          issuer: storedIssuer(credential.kind, credential.issuer),
          identifier: credential.identifier,
          scopeStandards: JSON.stringify(credential.scopeStandards),
          schemeStandards: JSON.stringify(credential.schemeStandards),
          validFrom: credential.validFrom,
          validTo: credential.validTo,
          // Whatever the form says, a firm's own word never verifies a credential.
          verification: 'pending',
          evidenceUrl: credential.evidenceUrl,
          evidenceFile: fileName,
          verifiedAt: null,
          verifiedBy: null,
          note: null,
          createdAt: now.toISOString(),
        })
        .execute();
      await bumpCatalogVersion(trx);
      await audit(trx, now, {
        actorKind: 'firm-user',
        actorId: user.id,
        action: 'credential.submitted',
        subjectKind: 'credential',
        subjectId: credentialId,
        detail: { firmId, kind: credential.kind, evidence: fileName ? 'file' : 'link' },
      });
      return credentialId;
    });
    ctx.catalog.invalidate();
    return { id };
  } catch (error) {
    if (filePath) await rm(filePath, { force: true });
    throw error;
  }
}

/** The stored evidence file of one of the firm's own credentials, or null. */
export async function evidenceFileOf(
  ctx: ServiceContext,
  firmId: string,
  credentialId: string,
): Promise<string | null> {
  const row = await ctx.db.kysely
    .selectFrom('credentials')
    .select('evidenceFile')
    .where('id', '=', credentialId)
    .where('firmId', '=', firmId)
    .executeTakeFirst();
  if (!row?.evidenceFile || !/^[0-9a-f]{32}\.pdf$/.test(row.evidenceFile)) return null;
  return join(evidenceDir(ctx), row.evidenceFile);
}
