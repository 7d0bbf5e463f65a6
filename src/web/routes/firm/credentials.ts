import { readFile } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../../services/context';
import { addCredential, credentialsOf, evidenceFileOf } from '../../../services/firm/credentials';
import { EVIDENCE_MAX_BYTES } from '../../../services/firm/schemas';
import type { FirmType } from '../../../domain/vocabulary';
import { RATE_LIMITS } from '../../plugins/security';
import { CredentialsPage } from '../../views/pages/firm/credentials';
import { parseCredentialForm } from './forms';
import { body, isId, registerFirmPage, signedIn } from './shared';

/** Credentials and their evidence. The only multipart form of the site, so the parser lives here alone. */
export default async function credentialRoutes(app: FastifyInstance) {
  const { ctx } = app;
  await app.register(multipart, {
    // Fields arrive as plain values and the file as a Buffer, so the CSRF check and the
    // schema read the multipart form like any other.
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 20, fieldSize: 4096, parts: 21 },
  });
  // The parser above runs in preValidation and throws plain errors ("Unexpected end of form",
  // "Malformed part header") for a broken body: the client's fault, so a 400, not a 500.
  const read = new WeakSet<FastifyRequest>();
  app.addHook('preValidation', async (request) => {
    read.add(request);
  });
  app.setErrorHandler((error: FastifyError, request) => {
    if (!read.has(request) && !error.statusCode && request.isMultipart()) {
      throw Object.assign(
        new Error('The form could not be read: the upload was malformed or cut short.'),
        { statusCode: 400, code: 'AM_MALFORMED_MULTIPART' },
      );
    }
    throw error;
  });

  const show = registerFirmPage(app, {
    path: '/credentials',
    title: 'Credentials',
    notices: {
      added: 'Thank you. The credential is awaiting verification by the Auditmatch team.',
    },
    rows: (firmId) => credentialsOf(ctx, firmId),
    page: ({ firm, rows, ...view }, form) =>
      CredentialsPage({
        ...view,
        ...form,
        firmName: firm.name,
        firmType: firm.firmType as FirmType,
        credentials: rows,
      }),
  });

  // The upload is read before anyone is checked (CSRF, then the session), so its size and rate are bounded.
  app.post(
    '/credentials',
    { config: { rateLimit: RATE_LIMITS.intake } },
    async (request, reply) => {
      const user = signedIn(request);
      const fields = body(request);
      // Never echo the uploaded bytes back into the page.
      const { evidence: _file, ...echo } = fields;
      const parsed = parseCredentialForm(fields);
      if (!parsed.ok) return show(reply.code(400), user, { fields: echo, errors: parsed.errors });
      try {
        await addCredential(ctx, user, parsed.value);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        return show(reply.code(error.status), user, {
          fields: echo,
          errors: { [error.field ?? 'kind']: error.message },
        });
      }
      return reply.redirect('/firm/credentials?done=added', 303);
    },
  );

  app.get<{ Params: { id: string } }>('/credentials/:id/evidence', async (request, reply) => {
    const user = signedIn(request);
    const path = isId(request.params.id)
      ? await evidenceFileOf(ctx, user.firmId!, request.params.id)
      : null;
    const pdf = path ? await readFile(path).catch(() => null) : null;
    if (!pdf) return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header('content-disposition', 'attachment; filename="credential-evidence.pdf"')
      .send(pdf);
  });
}
