import type { Db } from '../db/client';
import {
  liveChangesSince,
  loadAllFirms,
  loadLiveServices,
  type LiveLog,
  readCatalogState,
} from '../db/firms';
import type { Firm, LiveService } from '../domain/firm';
import { withLiveState } from '../domain/matching';
import { carryNameIndex } from './intake/scope';

interface Snapshot {
  version: number;
  /** The live-state log position this snapshot includes (ADR 0019). */
  liveSeq: number;
  firms: Firm[];
  /** Positions in `firms`: live updates replace firms in place, so these stay valid. */
  positionBySlug: Map<string, number>;
  positionById: Map<string, number>;
  /** Per firm, the log position of its last live update in this snapshot (absent: none yet). */
  liveStamps: Map<string, number>;
}

/**
 * The firm catalog held in memory: matching and the directory read it on every request,
 * and a few thousand firms fit comfortably. It reloads when the shared catalog version
 * moves; the version is read at most once per `checkEveryMs`, so another instance's
 * change shows here within that time (this instance's own changes call `invalidate`).
 * Live state (capacity taken as briefs are accepted) does not move the version: the same
 * read brings the log of firms whose live state changed, and only their services are read
 * again (ADR 0019).
 */
export class FirmCatalog {
  private snapshot: Snapshot = {
    version: -1,
    liveSeq: 0,
    firms: [],
    positionBySlug: new Map(),
    positionById: new Map(),
    liveStamps: new Map(),
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
    const position = this.snapshot.positionBySlug.get(slug);
    return position === undefined ? undefined : this.snapshot.firms[position];
  }

  /** Changes whenever this firm's live state in the snapshot does: for its profile page's cache key. */
  liveStamp(firmId: string): string {
    return `${this.snapshot.version}.${this.snapshot.liveStamps.get(firmId) ?? 0}`;
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

  /**
   * What a match preview depends on besides its scope and the day: the rotation, the catalog
   * version and the live state. Cached previews key on it.
   */
  async matchStateKey(): Promise<string> {
    await this.fresh();
    return `${this.rotationSeen}|${this.snapshot.version}.${this.snapshot.liveSeq}`;
  }

  /**
   * Whether a page rendered from `version` is what a read now would use: the version is this
   * snapshot's and no check is due (a due check may move it, so `fresh` must run first).
   */
  isCurrent(version: number): boolean {
    return version === this.snapshot.version && Date.now() - this.checkedAt < this.checkEveryMs;
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
    const { version, rotation, live } = await readCatalogState(this.db.kysely);
    this.rotationSeen = rotation;
    const changed = liveChangesSince(live, this.snapshot.liveSeq);
    if (version !== this.snapshot.version || changed === null) {
      await this.reload(version, live);
    } else if (changed.length > 0) {
      this.applyLive(live.seq, await loadLiveServices(this.db.kysely, changed));
    }
    this.checkedAt = Date.now();
  }

  /**
   * Every firm, as stored now. The log position was read before the load, so a live change
   * committed meanwhile is read again at the next check (reading it twice changes nothing).
   */
  private async reload(version: number, live: LiveLog): Promise<void> {
    const firms = await loadAllFirms(this.db.kysely);
    this.snapshot = {
      version,
      liveSeq: live.seq,
      firms,
      positionBySlug: new Map(firms.map((f, i) => [f.slug, i])),
      positionById: new Map(firms.map((f, i) => [f.id, i])),
      liveStamps: new Map(),
    };
  }

  private applyLive(seq: number, services: Map<string, LiveService[]>): void {
    const { firms, positionById, liveStamps } = this.snapshot;
    const changes = new Map<number, LiveService[]>();
    for (const [firmId, live] of services) {
      const position = positionById.get(firmId);
      // A firm not in the snapshot yet came with a catalog change, which reloads everything.
      if (position === undefined) continue;
      changes.set(position, live);
      liveStamps.set(firmId, seq);
    }
    const next = withLiveState(firms, changes);
    carryNameIndex(firms, next);
    this.snapshot = { ...this.snapshot, liveSeq: seq, firms: next };
  }
}
