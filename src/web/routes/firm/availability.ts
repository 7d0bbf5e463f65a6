import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionUser } from '../../../services/auth';
import type { AvailabilityWindow } from '../../../domain/calls/slots';
import { availabilityOf, setAvailability } from '../../../services/calls';
import { type FormFields, one } from '../../forms/fields';
import { AvailabilityPage, WEEK_ORDER } from '../../views/pages/firm/availability';
import { body, noticeFrom, sendFirmPage, signedIn } from './shared';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The windows as typed, or the field errors: a day is both times or neither, on the half hour. */
function parseWindows(fields: FormFields): {
  windows: AvailabilityWindow[];
  errors: Record<string, string>;
} {
  const windows: AvailabilityWindow[] = [];
  const errors: Record<string, string> = {};
  for (const day of WEEK_ORDER) {
    const from = (one(fields, `from${day}`) ?? '').trim();
    const to = (one(fields, `to${day}`) ?? '').trim();
    if (from === '' && to === '') continue;
    const valid = (t: string) => /^([01]\d|2[0-3]):(00|30)$/.test(t);
    if (!valid(from)) errors[`from${day}`] = 'enter a start time on the hour or half hour';
    else if (!valid(to) && to !== '24:00')
      errors[`to${day}`] = 'enter an end time on the hour or half hour';
    else if (minutes(to) <= minutes(from)) errors[`to${day}`] = 'must be after the start';
    else windows.push({ weekday: day, startMinute: minutes(from), endMinute: minutes(to) });
  }
  return { windows, errors };
}

export default async function availabilityRoutes(app: FastifyInstance) {
  const { ctx } = app;

  const show = (
    reply: FastifyReply,
    user: SessionUser,
    form: { fields: FormFields | null; errors: Record<string, string>; notice: string | null },
  ) =>
    sendFirmPage(
      reply,
      user,
      (firmId) => availabilityOf(ctx.db.kysely, firmId),
      (firm, availability, csrf) =>
        AvailabilityPage({ user, firmName: firm.name, availability, csrf, ...form }),
      'Times for short calls',
    );

  app.get('/availability', async (request, reply) =>
    show(reply, signedIn(request), {
      fields: null,
      errors: {},
      notice: noticeFrom(request, {
        saved: 'Saved. Buyers now see these times, in their own time zone.',
      }),
    }),
  );

  app.post('/availability', async (request, reply) => {
    const user = signedIn(request);
    const fields = body(request);
    const { windows, errors } = parseWindows(fields);
    const timeZone = one(fields, 'timeZone') ?? '';
    if (Object.keys(errors).length === 0) {
      try {
        await setAvailability(ctx, user, { timeZone, windows });
        return reply.redirect('/firm/availability?done=saved', 303);
      } catch (error) {
        if (!(error instanceof Error && 'field' in error && error.field)) throw error;
        errors[String(error.field)] = error.message;
      }
    }
    return show(reply.code(400), user, { fields, errors, notice: null });
  });
}
