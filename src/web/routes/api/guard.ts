import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * An API file's guard, set once for every route in it: `check` reads the credential and either
 * returns what it opens or answers the problem itself (null). It runs as a preHandler, after the
 * input is validated; the returned function gives a handler what the guard found.
 */
export function guardEach<T extends object | string>(
  app: FastifyInstance,
  check: (request: FastifyRequest, reply: FastifyReply) => Promise<T | null>,
): (request: FastifyRequest) => T {
  const found = new WeakMap<FastifyRequest, T>();
  app.addHook('preHandler', async (request, reply) => {
    const value = await check(request, reply);
    if (value === null) return reply;
    found.set(request, value);
  });
  return (request) => {
    const value = found.get(request);
    if (value === undefined) throw new Error('an API route outside its guard');
    return value;
  };
}
