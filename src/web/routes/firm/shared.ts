import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { SessionUser } from '../../../services/auth';
import { ServiceError } from '../../../services/context';
import type { FormFields } from '../../forms/fields';
import { one } from '../../forms/fields';
import { sendPage } from '../../render';

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

/** `?done=<key>` after a POST-redirect-GET, as a sentence; unknown keys show nothing. */
export function noticeFrom(request: FastifyRequest, notices: Record<string, string>): string | null {
  try {
    const done = one(request.query as FormFields, 'done');
    return done ? (notices[done] ?? null) : null;
  } catch {
    return null;
  }
}
