import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import type { FormFields } from '../../forms/fields';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { firmHeader } from '../../../services/firm/workspace';

type FirmHeader = Awaited<ReturnType<typeof firmHeader>>;

/** Workspace pages are private: never indexed, never cached (requireUser also sets no-store). */
export function sendWorkspacePage(reply: FastifyReply, body: VNode, title: string) {
  return sendPage(reply, body, { title, noindex: true });
}

export const signedIn = (request: FastifyRequest): SessionUser => {
  if (!request.user) throw new ServiceError(403, 'Sign in first.');
  return request.user;
};

export const body = (request: FastifyRequest): FormFields => (request.body ?? {}) as FormFields;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: string) => ID.test(value);

/** A row's id from the address; one that cannot be an id is the same 404 as an unknown one. */
export function rowId(value: string, missing: string): string {
  if (!isId(value)) throw new ServiceError(404, missing);
  return value;
}

/** A workspace form as it is shown again: what was typed, its problems, and a notice. */
export interface FirmForm {
  fields: FormFields;
  errors: Record<string, string>;
  notice: string | null;
}

/**
 * A workspace page of the firm's rows and their forms (credentials, team, integrations): GET at
 * `path` shows it with the notice its POSTs' redirects name (`?done=`); the `show` it returns
 * draws it again for a POST, with the form as typed and its problems.
 */
export function registerFirmPage<T, Extra extends object = object>(
  app: FastifyInstance,
  spec: {
    path: string;
    title: string;
    notices: Record<string, string>;
    rows: (firmId: string) => Promise<T>;
    page: (
      view: { user: SessionUser; firm: FirmHeader; rows: T; csrf: string },
      form: FirmForm & Partial<Extra>,
    ) => VNode;
  },
) {
  const show = (reply: FastifyReply, user: SessionUser, form: Partial<FirmForm & Extra> = {}) =>
    sendFirmPage(
      reply,
      user,
      spec.rows,
      (firm, rows, csrf) =>
        spec.page({ user, firm, rows, csrf }, {
          fields: {},
          errors: {},
          notice: null,
          ...form,
        } as FirmForm & Partial<Extra>),
      spec.title,
    );
  app.get(spec.path, async (request, reply) =>
    show(reply, signedIn(request), {
      notice: noticeFrom(request, spec.notices),
    } as Partial<FirmForm & Extra>),
  );
  return show;
}

/** A workspace page that shows the firm's name: its header read beside the page's own rows. */
export async function sendFirmPage<T>(
  reply: FastifyReply,
  user: SessionUser,
  rows: (firmId: string) => Promise<T>,
  page: (firm: FirmHeader, rows: T, csrf: string) => VNode,
  title: string,
) {
  const [firm, data] = await Promise.all([firmHeader(reply.server.ctx, user), rows(user.firmId!)]);
  return sendWorkspacePage(reply, page(firm, data, reply.generateCsrf()), title);
}

/** `?done=<key>` after a POST-redirect-GET, as a sentence; unknown keys show nothing. */
export function noticeFrom(
  request: FastifyRequest,
  notices: Record<string, string>,
): string | null {
  try {
    const done = one(request.query as FormFields, 'done');
    return done ? (notices[done] ?? null) : null;
  } catch {
    return null;
  }
}

/** What a suspended firm may still open: its account, where the reason is shown. */
const OPEN_WHILE_SUSPENDED = new Set(['/firm', '/firm/profile', '/firm/credentials', '/firm/team']);

/**
 * A suspended firm loses every door at once: its sessions answer 403 with the reason on every
 * workspace route but the account pages it may still read (GET only). Runs after requireUser.
 */
export async function refuseWhileSuspended(request: FastifyRequest, _reply: FastifyReply) {
  const user = request.user;
  if (user?.firmStatus !== 'suspended') return;
  if (request.method === 'GET' && OPEN_WHILE_SUSPENDED.has(request.routeOptions.url ?? '')) return;
  const reason = user.firmStatusReason ? `: ${user.firmStatusReason}` : '';
  throw new ServiceError(
    403,
    `Your firm is suspended on Auditmatch${reason}. You can still read your account; leads, quotes and integrations are closed until the operator reinstates the firm.`,
  );
}
