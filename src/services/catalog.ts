import type { Db } from '../db/client';
import { loadAllFirms, readCatalogState } from '../db/firms';
import type { Firm } from '../domain/firm';

/**
 * The firm catalog held in memory: matching and the directory read it on every request,
 * and a few thousand firms fit comfortably. It reloads when the shared catalog version
 * moves; the version is read at most once per `checkEveryMs`, so another instance's
 * change shows here within that time (this instance's own changes call `invalidate`).
 */
export class FirmCatalog {
  private snapshot: { version: number; firms: Firm[]; bySlug: Map<string, Firm> } = {
    version: -1,
    firms: [],
    bySlug: new Map(),
  };
  /** The shared match rotation, read with the version: previews need it, and it moves only on confirmation. */
  private rotationSeen = 0;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly checkEveryMs = 2000,
  ) {}

  get version(): number {
    return this.snapshot.version;
  }

  hasDemoFirms(): boolean {
    return this.snapshot.firms.some((f) => f.demo);
  }

  async firms(): Promise<Firm[]> {
    await this.fresh();
    return this.snapshot.firms;
  }

  async bySlug(slug: string): Promise<Firm | undefined> {
    await this.fresh();
    return this.snapshot.bySlug.get(slug);
  }

  /**
   * The rotation counter as of the last check (at most `checkEveryMs` old; this instance's own
   * confirmations call `invalidate`). Good enough for a preview, which a buyer reads for a while
   * before sending; the request itself stores the counter read in its own transaction.
   */
  async rotation(): Promise<number> {
    await this.fresh();
    return this.rotationSeen;
  }

  /** Forget the freshness check so the next read compares versions again. */
  invalidate(): void {
    this.checkedAt = 0;
  }

  async fresh(): Promise<void> {
    if (Date.now() - this.checkedAt < this.checkEveryMs && this.snapshot.version >= 0) return;
    this.loading ??= this.reloadIfChanged().finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  private async reloadIfChanged(): Promise<void> {
    const { version, rotation } = await readCatalogState(this.db.kysely);
    this.rotationSeen = rotation;
    if (version !== this.snapshot.version) {
      const firms = await loadAllFirms(this.db.kysely);
      this.snapshot = { version, firms, bySlug: new Map(firms.map((f) => [f.slug, f])) };
    }
    this.checkedAt = Date.now();
  }
}
