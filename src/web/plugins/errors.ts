import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ErrorPage } from '../views/pages/error';
import { sendPage } from '../render';

/**
 * One error handler for the whole site: problem details (RFC 9457) under /api/, an HTML page
 * elsewhere. Server errors are logged with the request id and never shown: no stack traces.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

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

function validationProblems(error: FastifyError): FieldProblem[] {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const part = error.validationContext ?? 'body';
      return { field: path || part, message: v.message ?? 'is invalid' };
    });
  }
  return [{ field: error.validationContext ?? 'request', message: error.message }];
}

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
  422: 'Unprocessable request',
  429: 'Too many requests',
};

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    let errors: FieldProblem[] | undefined;
    let detail: string | undefined;
    if (error.validation) {
      status = 400;
      errors = validationProblems(error);
      detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    } else if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      status = 403;
      detail = 'The form had expired or did not come from this site. Reload the page and try again.';
    } else if (status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, too large) carry safe messages.
      detail = error.message;
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      detail = 'Something went wrong on our side. It has been logged; please try again.';
    } else {
      request.log.info({ code: error.code, status }, 'request refused');
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
      return sendProblem(reply, 404, 'Not found', `No API resource at ${request.url.split('?')[0]}`);
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
