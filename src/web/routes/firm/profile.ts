import type { FastifyInstance, FastifyReply } from 'fastify';
import { directory } from '../../../domain/directory';
import type { SessionUser } from '../../../services/auth';
import { type FirmProfile, firmProfile, updateProfile } from '../../../services/firm/profile';
import type { FormFields } from '../../forms/fields';
import { ProfileEditPage, ProfilePreviewPage } from '../../views/pages/firm/profile';
import { parseProfileForm, profileToFields } from './forms';
import { body, noticeFrom, sendWorkspacePage, signedIn } from './shared';
import { isoDay } from '../../../domain/matching/dates';
import type { WebsiteEdit } from '../../../domain/website-review';

const SAVED = {
  saved: 'Your profile is saved. Matching uses it from now on.',
  'website-queued':
    'Your profile is saved. Your new website is awaiting review: your public profile shows the approved one until then.',
  'website-withdrawn':
    'Your profile is saved. Your website change is withdrawn: your public profile keeps the approved one.',
};

/** Which notice follows a save, by what happened to the website. */
const SAVED_AS: Record<WebsiteEdit['kind'], keyof typeof SAVED> = {
  unchanged: 'saved',
  apply: 'saved',
  queue: 'website-queued',
  withdraw: 'website-withdrawn',
};

/** The profile editor and its preview (members and owners). */
export default async function profileRoutes(app: FastifyInstance) {
  const { ctx } = app;

  function show(
    reply: FastifyReply,
    user: SessionUser,
    profile: FirmProfile,
    fields: FormFields,
    errors: Record<string, string>,
    notice: string | null,
  ) {
    return sendWorkspacePage(
      reply,
      ProfileEditPage({
        user,
        firm: profile.firm,
        fields,
        errors,
        csrf: reply.generateCsrf(),
        notice,
        website: { live: profile.firm.website, pending: profile.pendingWebsite },
      }),
      'Your profile',
    );
  }

  app.get('/profile', async (request, reply) => {
    const user = signedIn(request);
    const profile = await firmProfile(ctx, user.firmId!);
    return show(reply, user, profile, profileToFields(profile), {}, noticeFrom(request, SAVED));
  });

  app.post('/profile', async (request, reply) => {
    const user = signedIn(request);
    const profile = await firmProfile(ctx, user.firmId!);
    const fields = body(request);
    const parsed = parseProfileForm(fields, profile);
    if (!parsed.ok) return show(reply.code(400), user, profile, fields, parsed.errors, null);
    const saved = await updateProfile(ctx, user, parsed.value);
    return reply.redirect(`/firm/profile?done=${SAVED_AS[saved.website]}`, 303);
  });

  app.get('/profile/preview', async (request, reply) => {
    const user = signedIn(request);
    const { firm } = await firmProfile(ctx, user.firmId!);
    const day = isoDay(ctx.now());
    // The preview shows the profile as it will read once active, whatever its status today.
    const [entry] = directory([{ ...firm, status: 'active' }], {}, day);
    return sendWorkspacePage(
      reply,
      ProfilePreviewPage({ firm, entry: entry!, today: day }),
      `Preview: ${firm.name}`,
    );
  });
}
