import type { FastifyBaseLogger } from 'fastify';
import { devMailboxSender, smtpSender } from '../outbox/email';
import { webhookSender } from '../outbox/webhook';
import { OutboxWorker } from '../outbox/worker';
import { expireBriefs, lapseUnquotedBriefs, withdrawLostBriefs } from './briefs';
import { purgeExpired } from './buyer';
import type { ServiceContext } from './context';
import { queueCredentialReminders } from './credential-reminders';
import { inviteReviews } from './reviews';
import { refreshRollups } from './rollups';

/**
 * The work that runs beside the web server in every instance: delivering the outbox, and once
 * a minute expiring unanswered briefs, withdrawing briefs from firms that no longer stand,
 * purging contact details past retention, and refreshing the rollups behind the operator's
 * figures and the price index. Each step is safe to run in several instances at once.
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
  /**
   * One step of the pass; a step that fails is logged and the others still run, so one bad row
   * (say, in the withdrawals) never stops the retention purge or the rollups.
   */
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      log.warn({ err: error, step: name }, 'maintenance step failed; will retry');
      return null;
    }
  };
  const tick = async () => {
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
    // Closed days of the operator's figures and changed quotes of the price index (ADR 0028).
    const rolledUp = await step('rollups', () => refreshRollups(ctx));
    if (rolledUp?.metricDays || rolledUp?.quotes) log.info({ rolledUp }, 'rollups refreshed');
  };
  const timer = setInterval(() => void tick(), 60_000);
  timer.unref();
  void tick();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await worker.stop();
      email.close();
    },
  };
}
