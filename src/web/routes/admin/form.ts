import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../../../services/context';

/** The signed-in operator (set by the console's guard). */
export function adminId(request: FastifyRequest): string {
  const user = request.user;
  if (user?.role !== 'admin') throw new ServiceError(403, 'Only the operator can do this.');
  return user.id;
}
