import { defineArea, registerEach } from '../area';
import buyerApi from './buyer';
import guideApi from './guides';
import intakeApi from './intake';
import leadsApi from './leads';

/**
 * The JSON API under /api, version 1 at /api/v1: every route validates its input with a Zod
 * schema (one schema per input, shared with the forms) and answers errors as RFC 9457 problem
 * details. No guard for the whole area: each resource has its own credential, read by its
 * file (a firm's API key for leads, the buyer's private link for /buyer, none for intake and
 * the guides). Each file adds one line here.
 */
export default defineArea({
  async routes(app) {
    await app.register(async (v1) => registerEach(v1, [intakeApi, leadsApi, buyerApi, guideApi]), {
      prefix: '/v1',
    });
  },
});
