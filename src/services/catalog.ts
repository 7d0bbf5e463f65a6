import type { Db } from '../db/client';
import { loadAllFirms, readCatalogVersion } from '../db/firms';
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
    const version = await readCatalogVersion(this.db.kysely);
    if (version !== this.snapshot.version) {
      const firms = await loadAllFirms(this.db.kysely);
      this.snapshot = { version, firms, bySlug: new Map(firms.map((f) => [f.slug, f])) };
    }
    this.checkedAt = Date.now();
  }
}
