import { Inject, Injectable } from '@nestjs/common';
import { AnyPrincipal } from '@renkei/identity';
import { BadInputError, ForbiddenError, HUB_CONFIG, HubConfig } from '@renkei/platform';
import { PolicyPrincipal, PublicationBoundary, ScopedDatabase, scopeOf } from '@renkei/sharing';
import { EntityManager } from 'typeorm';
import { isCoordinator } from '../contacts/coordinator';
import { RELEASED_REPORTS } from '../reports/released-reports';
import { suppressedFor, suppressedForEveryone } from './small-cell';
import { csvField, markdownOf, quarterBounds } from './statistics-format';
import {
  LessonLearned,
  QuarterlySummary,
  StatisticsCell,
  StatisticsTable,
} from './statistics.models';

/** The sector's quarters are Japan's: a report of 1 January 08:00 JST is in Q1. */
const ZONE = 'Asia/Tokyo';

/**
 * Counts over `RELEASED_REPORTS` (published or retracted, never an exercise) under the reader's
 * row-level security, each cell under the small-cell rule (./small-cell.ts).
 */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly boundary: PublicationBoundary,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async table(p: AnyPrincipal, from?: string, to?: string): Promise<StatisticsTable> {
    const start = from ? bounds(from, 'from').start : null;
    const end = to ? bounds(to, 'to').end : null;
    const reader = scopeOf(p);
    const cells = await this.scoped.run(reader, (tx) => this.cells(tx, reader, start, end, false));
    return { cells, csv: this.csv(cells), suppressedBelow: this.k };
  }

  /**
   * Meant to go to every member, so it is made of what every member may read: CLEAR and GREEN
   * reports, authors as a member sees them (the coordinator's view of an author who let it know
   * is not circulated).
   */
  async quarterly(p: AnyPrincipal, quarter: string): Promise<QuarterlySummary> {
    if (!(await isCoordinator(this.scoped, p.organisationId))) {
      throw new ForbiddenError('Only the coordinator produces the quarterly summary');
    }
    const { start, end } = bounds(quarter, 'quarter');
    const reader = scopeOf(p);
    return this.scoped.run(reader, async (tx) => {
      const counts = await this.cells(tx, reader, start, end, true);
      const rows = await tx.query(
        `SELECT * FROM ${RELEASED_REPORTS} AS report
          WHERE tlp IN ('CLEAR', 'GREEN') AND published_at >= $1 AND published_at < $2
            AND coalesce(sections->>'lessonsLearned', '') <> ''
          ORDER BY published_at, id`,
        [start, end],
      );
      const ctx = await this.boundary.authorContext(
        tx,
        reader,
        rows.map((r: { owner_org_id: string }) => r.owner_org_id),
      );
      const asMember = { ...ctx, readerIsCoordinator: false };
      const lessons: LessonLearned[] = rows.map(
        (r: {
          id: string;
          owner_org_id: string;
          anonymous: boolean;
          kind: LessonLearned['kind'];
          title: string;
          categories: string[];
          affected_sectors: string[];
          sections: Record<string, string>;
        }) => ({
          reportId: r.id,
          kind: r.kind,
          title: r.title,
          categories: r.categories,
          affectedSectors: r.affected_sectors,
          // As another member reads it, even where the coordinator's organisation wrote it.
          author: this.boundary.author(
            { ...asMember, reader: { ...reader, orgId: '' } },
            r.owner_org_id,
            r.anonymous,
            false,
          ).label,
          lessonsLearned: r.sections.lessonsLearned,
        }),
      );
      return {
        quarter,
        counts,
        lessons,
        markdown: markdownOf(quarter, counts, lessons, this.k),
        suppressedBelow: this.k,
      };
    });
  }

  private get k(): number {
    return this.config.anonymity.k;
  }

  private async cells(
    tx: EntityManager,
    reader: PolicyPrincipal,
    start: Date | null,
    end: Date | null,
    circulated: boolean,
  ): Promise<StatisticsCell[]> {
    const rows: {
      quarter: string;
      category: string;
      sector: string;
      count: number;
      hidden: number;
    }[] = await tx.query(
      `SELECT to_char(published_at AT TIME ZONE '${ZONE}', 'YYYY-"Q"Q') AS quarter, category, sector,
                count(*)::int AS count,
                count(DISTINCT owner_org_id) FILTER (WHERE anonymous AND owner_org_id <> $1)::int AS hidden
           FROM ${RELEASED_REPORTS} AS report
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(categories) = 0 THEN ARRAY['none'] ELSE categories END) AS category
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(affected_sectors) = 0 THEN ARRAY['none'] ELSE affected_sectors END) AS sector
          WHERE ($2::timestamptz IS NULL OR published_at >= $2) AND ($3::timestamptz IS NULL OR published_at < $3)
            AND (NOT $4 OR tlp IN ('CLEAR', 'GREEN'))
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [circulated ? '00000000-0000-0000-0000-000000000000' : reader.orgId, start, end, circulated],
    );
    return rows.map((r) => {
      const suppressed = circulated
        ? suppressedForEveryone(r.hidden, this.k)
        : suppressedFor(r.hidden, this.k);
      return {
        quarter: r.quarter,
        category: r.category,
        sector: r.sector,
        count: suppressed ? null : r.count,
        suppressed,
      };
    });
  }

  private csv(cells: StatisticsCell[]): string {
    const lines = ['quarter,category,sector,count'];
    for (const c of cells) {
      lines.push(
        [c.quarter, c.category, c.sector, c.suppressed ? `<${this.k}` : String(c.count)]
          .map(csvField)
          .join(','),
      );
    }
    return lines.join('\r\n') + '\r\n';
  }
}

function bounds(q: string, path: string): { start: Date; end: Date } {
  const b = quarterBounds(q);
  if (!b) throw new BadInputError([{ path, message: 'must be a quarter like 2026-Q4' }]);
  return b;
}
