import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { devMailboxSender, smtpSender } from '../outbox/email';
import { webhookSender } from '../outbox/webhook';
import { OutboxWorker } from '../outbox/worker';
import { expireBriefs, lapseUnquotedBriefs, withdrawLostBriefs } from './briefs';
import { purgeExpired } from './buyer';
import type { ServiceContext } from './context';
import { queueCredentialReminders } from './credential-reminders';
import { releaseLease, takeLease } from './lease';
import { inviteReviews } from './reviews';
import { refreshRollups } from './rollups';

/** How often the maintenance pass runs. */
export const PASS_MS = 60_000;

/**
 * How long one instance holds the pass (ADR 0030): renewed every pass, so while the holder
 * lives no other instance runs it; when it stops, another takes over within this time.
 */
export const PASS_LEASE_MS = 3 * PASS_MS;

const PASS_LEASE = 'maintenance-pass';

/**
 * The work that runs beside the web server: in every instance, delivering the outbox; in one
 * instance at a time (it holds a lease), once a minute expiring unanswered briefs, withdrawing
 * briefs from firms that no longer stand, purging contact details past retention, and
 * refreshing the rollups behind the operator's figures and the price index. Each step stays
 * safe to run in several instances at once (a lease can run out during a slow pass); the lease
 * only spares every instance the cost of the same pass, which at a million requests a year
 * took most of the database's time when each of them ran it.
 */
export function startBackgroundWork(
  ctx: ServiceContext,
  log: FastifyBaseLogger,
  /** How often an idle outbox looks for due messages (the browser tests look more often). */
  outboxPollMs = 1000,
) {
  const email = ctx.config.smtpUrl
    ? smtpSender(ctx.config.smtpUrl, ctx.config.mailFrom)
    : devMailboxSender;
  const worker = new OutboxWorker(
    ctx.db,
    ctx.secrets,
    {
      email,
      webhook: webhookSender(ctx.db, ctx.secrets, {
        allowPrivateAddresses: ctx.config.env !== 'production',
        now: ctx.now,
      }),
    },
    log,
    ctx.now,
    ctx.config.outboxBackoffMs,
  );
  worker.start(outboxPollMs);
  const holder = randomUUID();
  // A pass that outlasts the interval is not joined by a second one: the next starts on the
  // first tick after it ends.
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= maintenancePass(ctx, log, holder)
      .then(() => undefined)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, PASS_MS);
  timer.unref();
  tick();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await running;
      await worker.stop();
      await releaseLease(ctx.db.kysely, PASS_LEASE, holder).catch((error) =>
        log.warn({ err: error }, 'could not release the maintenance lease'),
      );
      email.close();
    },
  };
}

/**
 * One maintenance pass, when this instance (`holder`) holds the pass's lease or can take it;
 * false when another instance holds it.
 */
export async function maintenancePass(
  ctx: ServiceContext,
  log: FastifyBaseLogger,
  holder: string,
): Promise<boolean> {
  // A step that fails is logged and the others still run, so one bad row (say, in the
  // withdrawals) never stops the retention purge or the rollups.
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      log.warn({ err: error, step: name }, 'maintenance step failed; will retry');
      return null;
    }
  };
  const held = await step('lease', () =>
    takeLease(ctx.db.kysely, PASS_LEASE, holder, ctx.now(), PASS_LEASE_MS),
  );
  if (!held) return false;
  const expired =
    ((await step('expire briefs', () => expireBriefs(ctx))) ?? 0) +
    ((await step('lapse unquoted briefs', () => lapseUnquotedBriefs(ctx))) ?? 0);
  // Over time firms lose what made them eligible (a credential ends, a link to a buyer's
  // consultancy appears): their open briefs go, and the buyers are offered replacements.
  const lost = await step('withdraw lost briefs', () => withdrawLostBriefs(ctx));
  const purged = await step('purge', () => purgeExpired(ctx));
  const queued = {
    reviewInvites: await step('invite reviews', () => inviteReviews(ctx)),
    credentialReminders: await step('credential reminders', () => queueCredentialReminders(ctx)),
  };
  if (queued.reviewInvites || queued.credentialReminders)
    log.info(queued, 'review invitations and credential reminders queued');
  if (expired || lost || purged?.requests || purged?.emails)
    log.info({ expired, lost, purged }, 'maintenance pass');
  // The operator's figures by day, today's as it goes, and changed quotes of the price index
  // (ADR 0028, 0031).
  const rolledUp = await step('rollups', () => refreshRollups(ctx));
  if (rolledUp?.metricDays || rolledUp?.quotes) log.info({ rolledUp }, 'rollups refreshed');
  return true;
}
