import { Inject, Injectable } from '@nestjs/common';
import { AnyPrincipal } from '@renkei/identity';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import type { EntityManager } from 'typeorm';
import { scopeOf } from '../principal-scope';
import type { PolicyPrincipal } from '../tlp-policy';
import type { ReportAuthor } from './item-author.models';
import { AuthorContext, authorOf, candidateCounts, OrgInfo } from './pseudonyms';
import { shownTime, shownTimeSql } from './shown-time';

/**
 * Where a shareable item of one organisation is made fit for another: who the author is shown
 * as, and which times are rounded. Every item type and every output asks here, so a new output
 * or a new item kind cannot show an author or a time any other way.
 */
@Injectable()
export class PublicationBoundary {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  scopeOf(p: AnyPrincipal): PolicyPrincipal {
    return scopeOf(p);
  }

  get roundingStepMs(): number {
    return this.config.anonymity.roundingMinutes * 60_000;
  }

  async authorContext(
    tx: EntityManager,
    reader: PolicyPrincipal,
    orgIds: string[],
  ): Promise<AuthorContext> {
    const ids = [...new Set([...orgIds, reader.orgId])];
    // One round trip: this runs for every item view, push events and feed renders included.
    const [{ rows, counts }]: {
      rows: OrgInfo[];
      counts: { kind: string; sector_code: string; n: number }[];
    }[] = await tx.query(
      `SELECT (SELECT coalesce(json_agg(x), '[]') FROM (
                 SELECT o.id, o.name, o.kind, o.sector_code, s.name_en AS sector_name
                   FROM organisation o JOIN sector s ON s.code = o.sector_code WHERE o.id = ANY($1)) x) AS rows,
              (SELECT coalesce(json_agg(c), '[]') FROM (
                 SELECT kind, sector_code, count(*)::int AS n FROM organisation
                  WHERE status = 'active' AND id <> $2 GROUP BY kind, sector_code) c) AS counts`,
      [ids, reader.orgId],
    );
    const orgs = new Map(rows.map((r) => [r.id, r]));
    return {
      reader,
      readerIsCoordinator: orgs.get(reader.orgId)?.kind === 'coordinator',
      orgs,
      others: candidateCounts(counts),
      k: this.config.anonymity.k,
    };
  }

  author(
    ctx: AuthorContext,
    orgId: string,
    anonymous: boolean,
    revealToCoordinators: boolean,
  ): ReportAuthor {
    return authorOf(ctx, orgId, anonymous, revealToCoordinators);
  }

  /** Comments, sightings and reviews are anonymous on the same terms as reports. */
  responder(ctx: AuthorContext, orgId: string): ReportAuthor {
    return authorOf(ctx, orgId, true, false);
  }

  /** A time as this reader is shown it, given how it is shown the author (ADR 0017). */
  time(author: { organisationId: string | null }, d: Date): Date;
  time(author: { organisationId: string | null }, d: Date | null): Date | null;
  time(author: { organisationId: string | null }, d: Date | null): Date | null {
    return d ? shownTime(author, d, this.roundingStepMs) : null;
  }

  /** The SQL form of `time` for filters (see shownTimeSql). */
  timeSql(column: string, anonymous: string): string {
    return shownTimeSql(column, anonymous, this.roundingStepMs / 1000);
  }
}
