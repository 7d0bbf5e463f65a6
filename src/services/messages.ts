import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { firmLead, loadFirm } from '../db/firms';
import type { Database } from '../db/schema';
import { standingProblem } from '../domain/lifecycle/standing';
import { isOpenRequest } from '../domain/lifecycle/states';
import { queueEmail } from '../outbox/queue';
import { audit } from './audit';
import { onRequest } from './briefs';
import { type ServiceContext, ServiceError } from './context';
import { answerEmail, questionEmail } from './emails';
import { firmActor, type FirmWho, ownBrief } from './firm/actor';
import { briefLink, standingOf } from './lifecycle';
import { buyerAddress, newPrivateLink } from './private-links';

/**
 * Questions and answers between a firm and the buyer, through Auditmatch: one thread per brief.
 * A firm that accepted asks; the buyer answers on its private page and may share an answer with
 * all its firms. Each side is emailed a link to the thread. Until the buyer books a call with a
 * firm or shares its details, no contact details pass through the thread in either direction's
 * copy to that firm: a buyer's message that holds an email address or a phone number is refused.
 */

export interface ThreadMessage {
  id: string;
  author: 'firm' | 'buyer';
  body: string;
  shared: boolean;
  createdAt: string;
}

/** An email address, or a run of digits long enough to be a phone number. */
const CONTACT_DETAILS = /[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+|\+?\d(?:[\s().-]?\d){7,}/;

export function holdsContactDetails(text: string): boolean {
  return CONTACT_DETAILS.test(text);
}

export async function threadOf(db: Kysely<Database>, briefId: string): Promise<ThreadMessage[]> {
  const rows = await db
    .selectFrom('briefMessages')
    .selectAll()
    .where('briefId', '=', briefId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return rows.map((m) => ({
    id: m.id,
    author: m.author,
    body: m.body,
    shared: m.sharedFrom !== null,
    createdAt: m.createdAt,
  }));
}

/** A firm that accepted the brief asks the buyer a question. */
export async function askBuyer(
  ctx: ServiceContext,
  who: FirmWho,
  briefId: string,
  body: string,
): Promise<{ id: string }> {
  const actor = firmActor(who);
  const brief = await ownBrief(ctx, actor, briefId);
  return onRequest(ctx, brief.requestId, async ({ trx, request, state, scope, now, at }) => {
    const current = state.briefs.find((b) => b.id === briefId)!;
    if (current.status !== 'accepted')
      throw new ServiceError(409, 'Accept the brief before you ask the buyer questions.');
    if (!isOpenRequest(state, at))
      throw new ServiceError(410, 'The buyer closed this request: it takes no more questions.');
    const firm = await loadFirm(trx, brief.firmId);
    const standing = firm ? standingOf('quote', firm, scope, now) : null;
    if (!standing?.ok)
      throw new ServiceError(
        409,
        `Your firm cannot write to this buyer now: ${standing ? standingProblem(standing) : 'not listed'}.`,
      );
    const id = randomUUID();
    await trx
      .insertInto('briefMessages')
      .values({
        id,
        briefId,
        requestId: request.id,
        author: 'firm',
        body,
        sharedFrom: null,
        createdAt: at,
      })
      .execute();
    const buyer = buyerAddress(ctx.secrets, request);
    if (buyer) {
      const link = await newPrivateLink(trx, ctx, request.id, now);
      await queueEmail(
        trx,
        ctx.secrets,
        `req:${request.id}:brief:${briefId}:message:${id}`,
        questionEmail(buyer.email, buyer.name, current.firmName, body, link),
        now,
      );
    }
    await audit(trx, now, {
      actorKind: actor.kind === 'brief-link' ? 'system' : actor.kind,
      actorId: actor.kind === 'brief-link' ? null : actor.id,
      action: 'message.firm',
      subjectKind: 'brief',
      subjectId: briefId,
      detail: { firmId: brief.firmId, via: actor.kind },
    });
    return { decision: { ok: true, effects: [] }, result: { id } };
  });
}

/**
 * The buyer writes in a firm's thread (usually answering its question), and may share the answer
 * with every firm that accepted its brief; each firm gets an email with the link to its lead.
 */
export async function answerFirm(
  ctx: ServiceContext,
  requestId: string,
  briefId: string,
  body: string,
  options: { shareWithAll?: boolean; inReplyTo?: string } = {},
): Promise<{ id: string; sharedWith: number }> {
  return onRequest(ctx, requestId, async ({ trx, request, state, now, at }) => {
    const brief = state.briefs.find((b) => b.id === briefId);
    if (!brief) throw new ServiceError(404, 'This firm did not receive your brief.', 'brief');
    if (!isOpenRequest(state, at)) throw new ServiceError(410, 'This request is closed.');
    if (brief.status !== 'accepted')
      throw new ServiceError(409, `${brief.firmName} no longer holds your request.`, 'body');
    const targets = options.shareWithAll
      ? state.briefs.filter((b) => b.status === 'accepted')
      : [brief];
    // No contact details to a firm that does not have them yet: that is what booking or sharing is for.
    if (holdsContactDetails(body) && targets.some((b) => b.contactReleasedAt === null)) {
      throw new ServiceError(
        400,
        'Please leave out email addresses and phone numbers: your details reach a firm when you book its call or choose to share them.',
        'body',
      );
    }
    const question = options.inReplyTo
      ? await trx
          .selectFrom('briefMessages')
          .select(['body', 'author'])
          .where('id', '=', options.inReplyTo)
          .where('briefId', '=', briefId)
          .executeTakeFirst()
      : undefined;
    const id = randomUUID();
    await trx
      .insertInto('briefMessages')
      .values({ id, briefId, requestId, author: 'buyer', body, sharedFrom: null, createdAt: at })
      .execute();
    let sharedWith = 0;
    for (const target of targets) {
      let messageId = id;
      let text = body;
      if (target.id !== briefId) {
        messageId = randomUUID();
        text =
          question?.author === 'firm'
            ? `Another firm asked: “${question.body}”\n\nThe buyer answered: ${body}`
            : body;
        await trx
          .insertInto('briefMessages')
          .values({
            id: messageId,
            briefId: target.id,
            requestId,
            author: 'buyer',
            body: text,
            sharedFrom: id,
            createdAt: at,
          })
          .execute();
        sharedWith++;
      }
      await tellFirmOfAnswer(trx, ctx, request, target.id, target.firmId, messageId, text, now);
    }
    await audit(trx, now, {
      actorKind: 'buyer',
      action: 'message.buyer',
      subjectKind: 'brief',
      subjectId: briefId,
      detail: { sharedWith },
    });
    return { decision: { ok: true, effects: [] }, result: { id, sharedWith } };
  });
}

async function tellFirmOfAnswer(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  request: { id: string; reference: string; expiresAt: string },
  briefId: string,
  firmId: string,
  messageId: string,
  text: string,
  now: Date,
): Promise<void> {
  const lead = await firmLead(trx, firmId);
  if (!lead) return;
  await queueEmail(
    trx,
    ctx.secrets,
    `req:${request.id}:brief:${briefId}:message:${messageId}`,
    answerEmail(
      lead.email,
      lead.name,
      request.reference,
      text,
      briefLink(ctx, briefId, new Date(request.expiresAt)),
    ),
    now,
  );
}
