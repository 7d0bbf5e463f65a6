import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../../services/context';
import { RepeatedField } from '../forms/fields';
import { ErrorPage } from '../views/pages/error';
import { sendPage } from '../render';
import { securityHeaders } from './headers';

/**
 * One error handler for the whole site: problem details (RFC 9457) under /api/, an HTML page
 * elsewhere. A service's refusal (`ServiceError`) is mapped here, once, to its status and its
 * message (and field): routes throw it and catch it only to re-render a form with the message.
 * Server errors are logged with the request id and never shown: no stack traces.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The problem-details body (RFC 9457) every API error has: one schema, for every route's docs. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail?: string,
  errors?: FieldProblem[],
) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
      instance: reply.request.url.split('?')[0],
      ...(errors ? { errors } : {}),
    });
}

/** One problem per field of a Zod error; an unknown key is named itself rather than hidden under "body". */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: key, message: 'is not a field this endpoint accepts' }))
      : [{ field: issue.path.map(String).join('.') || 'body', message: issue.message }],
  );
}

/** 400 problem details naming each field. */
export function sendBadRequest(reply: FastifyReply, problems: FieldProblem[]) {
  return sendProblem(
    reply,
    400,
    'Bad request',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems,
  );
}

function validationProblems(error: FastifyError): FieldProblem[] {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return error.validation.flatMap((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const part = error.validationContext ?? 'body';
      // An unknown key is named itself rather than hidden under its parent ("body").
      const keys =
        v.keyword === 'unrecognized_keys' ? (v.params as { keys?: unknown }).keys : undefined;
      if (Array.isArray(keys) && keys.length > 0) {
        return keys.map((k) => ({
          field: path ? `${path}.${String(k)}` : String(k),
          message: 'is not a field this endpoint accepts',
        }));
      }
      return [{ field: path || part, message: v.message ?? 'is invalid' }];
    });
  }
  return [{ field: error.validationContext ?? 'request', message: error.message }];
}

/** What a person reads above a service's refusal. */
const REFUSAL_TITLES: Record<number, string> = {
  400: 'Please check what you sent',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible',
  410: 'No longer available',
  422: 'Not possible',
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request too large',
  415: 'Unsupported media type',
  421: 'Misdirected request',
  422: 'Unprocessable request',
  429: 'Too many requests',
};

/**
 * Fastify answers a URL it cannot decode (`/r/%C3%28`) or a path parameter over the length limit
 * before any hook runs: without this, as bare JSON echoing the path, with none of the security
 * headers. Passed as the `frameworkErrors` option, it answers them like every other error.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
  const title = status >= 500 ? 'Server error' : (TITLES[status] ?? 'Request refused');
  const detail =
    status >= 500
      ? 'Something went wrong on our side. It has been logged; please try again.'
      : status === 414
        ? 'The address is too long.'
        : 'The address is not valid.';
  // The onRequest hook that sets these headers (security.ts) never runs for such requests;
  // test/security/headers.test.ts checks these answers against the same rules as all others.
  reply.headers(securityHeaders(reply.server.ctx.config.publicUrl.startsWith('https:')));
  if (status >= 500) request.log.error({ reqId: request.id, err: error }, 'request failed');
  else request.log.info({ reqId: request.id, code: error.code, status }, 'request refused');
  if (isApiRequest(request)) return sendProblem(reply, status, title, detail);
  return sendPage(reply.code(status), ErrorPage({ status, title, detail }), {
    title,
    noindex: true,
  });
}

/**
 * Node refuses some requests before Fastify sees them: a malformed request line or header
 * (400), headers too large (431), a client too slow to send its request (408). Passed as the
 * `clientErrorHandler` option, this answers them as problem details with the same security
 * headers as every other answer, then closes the connection.
 */
export function clientErrorHandler(overTls: boolean) {
  const headers = Object.entries(securityHeaders(overTls))
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? 431
          : 400;
    const title = STATUS_CODES[status] ?? 'Bad Request';
    const detail =
      status === 408
        ? 'The request took too long to arrive.'
        : status === 431
          ? 'The request headers are too large.'
          : 'The request could not be read.';
    const body = JSON.stringify({ type: 'about:blank', title, status, detail });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${title}\r\n${headers}cache-control: no-store\r\nconnection: close\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    let errors: FieldProblem[] | undefined;
    let detail: string | undefined;
    if (error instanceof ServiceError) {
      status = error.status;
      detail = error.message;
      errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
      request.log.info(
        { reqId: request.id, status, field: error.field },
        'request refused by a service',
      );
      const title = REFUSAL_TITLES[status] ?? 'Not possible';
      if (isApiRequest(request)) return sendProblem(reply, status, title, detail, errors);
      return sendPage(reply.code(status), ErrorPage({ status, title, detail }), {
        title,
        noindex: true,
      });
    }
    if (error instanceof RepeatedField) {
      // A single-valued field sent twice, or as a list or object in JSON: the client's mistake.
      status = 400;
      errors = [{ field: error.field, message: 'must be sent once, as text' }];
      detail = `${error.field}: must be sent once, as text`;
    } else if (error.validation) {
      status = 400;
      errors = validationProblems(error);
      detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    } else if (
      error.code === 'FST_CSRF_INVALID_TOKEN' ||
      error.code === 'FST_CSRF_MISSING_SECRET'
    ) {
      status = 403;
      detail =
        'The form had expired or did not come from this site. Reload the page and try again.';
    } else if (status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, too large) carry safe messages.
      detail = error.message;
    }
    if (status >= 500) {
      request.log.error({ reqId: request.id, err: error }, 'request failed');
      detail = 'Something went wrong on our side. It has been logged; please try again.';
    } else {
      request.log.info({ reqId: request.id, code: error.code, status }, 'request refused');
    }
    const title = status >= 500 ? 'Server error' : (TITLES[status] ?? 'Request refused');
    if (isApiRequest(request)) return sendProblem(reply, status, title, detail, errors);
    return sendPage(reply.code(status), ErrorPage({ status, title, detail, errors }), {
      title,
      noindex: true,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApiRequest(request)) {
      return sendProblem(
        reply,
        404,
        'Not found',
        `No API resource at ${request.url.split('?')[0]}`,
      );
    }
    return sendPage(
      reply.code(404),
      ErrorPage({
        status: 404,
        title: 'Page not found',
        detail: 'There is no page at this address. It may have moved, or the link may be mistyped.',
      }),
      { title: 'Page not found', noindex: true },
    );
  });
}
