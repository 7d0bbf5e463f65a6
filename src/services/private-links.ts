import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ServiceContext } from './context';
import { hashToken, newToken, type Secrets } from './secrets';

/**
 * The buyer's private page is reached by capability links, stored only as hashes. A message that
 * points the buyer to its page carries a link of its own (a new one: the server cannot recover an
 * old one), and every link keeps working until the request is deleted.
 */
export async function newPrivateLink(
  trx: Kysely<Database>,
  ctx: Pick<ServiceContext, 'config'>,
  requestId: string,
  now: Date,
): Promise<string> {
  const token = newToken();
  await trx
    .insertInto('requestLinks')
    .values({ tokenHash: hashToken(token), requestId, createdAt: now.toISOString() })
    .execute();
  return `${ctx.config.publicUrl}/r/${token}`;
}

/** Where a message to the buyer goes; null once the buyer's contact is erased: nobody is left to tell. */
export function buyerAddress(
  secrets: Secrets,
  request: { contactEmailEnc: string | null; contactNameEnc: string | null },
): { email: string; name: string } | null {
  if (!request.contactEmailEnc || !request.contactNameEnc) return null;
  return {
    email: secrets.decrypt(request.contactEmailEnc),
    name: secrets.decrypt(request.contactNameEnc),
  };
}
