import type { Config } from '../config';
import type { Db } from '../db/client';
import type { FirmCatalog } from './catalog';
import type { DemandTally } from './demand';
import type { Secrets } from './secrets';

/** What a use case needs: the database, keys, settings, the firm catalog and the clock. */
export interface ServiceContext {
  config: Config;
  db: Db;
  secrets: Secrets;
  catalog: FirmCatalog;
  /** Preview counts waiting to be written; see DemandTally. */
  demand: DemandTally;
  /** Injected so tests can move time (expiry, response windows). */
  now: () => Date;
}

/** A refusal the user can act on: routes show it as a 4xx with this message. */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 422,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
