import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import type { FormFields } from '../../forms/fields';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';
import { ErrorPage } from '../../views/pages/error';

/** Workspace pages are private: never indexed, never cached (requireUser also sets no-store). */
export function sendWorkspacePage(reply: FastifyReply, body: VNode, title: string) {
  return sendPage(reply, body, { title, noindex: true });
}

/** A service's refusal as a page with its status; anything else is a real error. */
export function refusal(reply: FastifyReply, error: unknown) {
  if (!(error instanceof ServiceError)) throw error;
  const title = error.status === 404 ? 'Not found' : error.status === 403 ? 'Not allowed' : error.status === 410 ? 'No longer possible' : 'Not possible';
  return sendPage(reply.code(error.status), ErrorPage({ status: error.status, title, detail: error.message }), { title, noindex: true });
}

export const signedIn = (request: FastifyRequest): SessionUser => {
  if (!request.user) throw new ServiceError(403, 'Sign in first.');
  return request.user;
};

export const body = (request: FastifyRequest): FormFields => (request.body ?? {}) as FormFields;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: string) => ID.test(value);

/** `?done=<key>` after a POST-redirect-GET, as a sentence; unknown keys show nothing. */
export function noticeFrom(request: FastifyRequest, notices: Record<string, string>): string | null {
  try {
    const done = one(request.query as FormFields, 'done');
    return done ? (notices[done] ?? null) : null;
  } catch {
    return null;
  }
}
