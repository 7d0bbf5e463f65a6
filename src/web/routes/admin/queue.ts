import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { type FormFields, one } from '../../forms/fields';
import {
  attempt,
  bodyOf,
  noticeFor,
  parseWith,
  pick,
  queryOf,
  typedValues,
} from '../../forms/parse';
import { sendPage } from '../../render';
import { hrefWith } from '../../views/components/page-links';
import type { RowFailure } from '../../views/pages/admin/shell';
import { adminId } from './form';

/** What a queue's page shows besides its rows. */
export interface QueueView<F extends string> {
  filter: F;
  /** Where the page starts in a queue read by cursor; undefined on the first page. */
  cursor: string | undefined;
  csrf: string;
  notice: string | null;
  failure: RowFailure | null;
}

/**
 * The input of a decision taken with a note (credentials, website changes): the row's id under
 * `idName`, the button pressed and the note, empty when none was typed.
 */
export function decisionWithNote(idName: string) {
  return (id: string, field: (name: string) => string | undefined) => ({
    [idName]: id,
    decision: field('decision'),
    note: field('note') ?? '',
  });
}

/**
 * A console queue (credentials, complaints, reviews, website changes): a list at `path` narrowed by `?filter=`
 * (and paged by `?cursor=` where the queue reads by cursor), and one decision per row posted to `path/:id` (and `action`, when the row has several forms).
 * A decision the form or the service refuses shows the list again with the message and what was
 * typed on that row; a decision taken goes back to the list, same filter and page, with its notice.
 */
export function registerDecisionQueue<F extends string, S extends z.ZodType>(
  app: FastifyInstance,
  queue: {
    /** Relative to the console: '/complaints'. */
    path: string;
    /** After the row's id: '/resolve'. */
    action?: string;
    title: string;
    filters: readonly F[];
    defaultFilter: F;
    /** By the `done` code the redirect carries. */
    notices: Record<string, string>;
    /** Loads the rows for the filter and draws the page. */
    page(ctx: AppContext, view: QueueView<F>): Promise<VNode>;
    schema: S;
    /** The decision's input, from the row's id and its form's fields. */
    input(id: string, field: (name: string) => string | undefined): unknown;
    decide(ctx: AppContext, value: z.output<S>, adminId: string): Promise<unknown>;
    /** The notice's code for a decision taken. */
    done(value: z.output<S>): string;
  },
) {
  const { ctx } = app;
  const path = `${app.prefix}${queue.path}`;
  /** The filter and page a request names (a decision's form sends back those it was shown on). */
  const listOf = (fields: FormFields) => ({
    filter: pick(queue.filters, fields.filter, queue.defaultFilter),
    cursor: one(fields, 'cursor') || undefined,
  });

  async function show(
    reply: Parameters<typeof sendPage>[0],
    { filter, cursor }: { filter: F; cursor: string | undefined },
    notice: string | null,
    failure: RowFailure | null = null,
  ) {
    const csrf = reply.generateCsrf();
    const page = await queue.page(ctx, { filter, cursor, csrf, notice, failure });
    return sendPage(reply, page, { title: queue.title, noindex: true });
  }

  app.get(queue.path, async (request, reply) => {
    const query = queryOf(request);
    return show(reply, listOf(query), noticeFor(queue.notices, query.done));
  });

  app.post<{ Params: { id: string } }>(
    `${queue.path}/:id${queue.action ?? ''}`,
    async (request, reply) => {
      const fields: FormFields = bodyOf(request);
      const list = listOf(fields);
      const input = parseWith(
        queue.schema,
        queue.input(request.params.id, (name) => one(fields, name)),
      );
      const done = await attempt(input, (value) => queue.decide(ctx, value, adminId(request)));
      if (!done.ok)
        return show(reply.code(done.status), list, null, {
          id: request.params.id,
          errors: done.errors,
          values: typedValues(fields),
        });
      return reply.redirect(hrefWith(path, { ...list, done: queue.done(done.value) }), 303);
    },
  );
}
