import { Inject, Injectable } from '@nestjs/common';
import { AnyPrincipal } from '@renkei/identity';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import type { EntityManager } from 'typeorm';
import { shownLinks } from '../link-anonymity';
import type { Tlp } from '../tlp';
import { canSee } from '../tlp-policy';
import { scopeOf } from '../principal-scope';
import type { PolicyPrincipal } from '../tlp-policy';
import type { ReportAuthor } from './item-author.models';
import {
  AuthorContext,
  authorOf,
  candidateCounts,
  NOT_ANONYMOUS_LABEL,
  OrgInfo,
  pseudonymsForEveryReader,
} from './pseudonyms';
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

  /**
   * `linkedReportIds`: the reports the items about to be shown link to (a report's links, a
   * list's report). Links not loaded here are withheld from anonymous items (`links`).
   * `attachedTo`: the reports the comments, sightings or assistance requests about to be shown
   * are attached to; their authors' pseudonyms are judged among each report's readers
   * (`author(…, attachedTo)`), which must be loaded here.
   */
  async authorContext(
    tx: EntityManager,
    reader: PolicyPrincipal,
    orgIds: string[],
    linkedReportIds: (string | null)[] = [],
    attachedTo: (string | null)[] = [],
  ): Promise<AuthorContext> {
    const [ctx] = await this.authorContexts(tx, [reader], orgIds);
    const orgs = ctx.orgs;
    const linked = [...new Set(linkedReportIds.filter((id): id is string => !!id))];
    const attached = [...new Set(attachedTo.filter((id): id is string => !!id))];
    if (!linked.length && !attached.length) return ctx;
    // With links, every active organisation: any of them could be the one a pseudonym stands for.
    const active = await this.activeOrgs(tx);
    for (const o of active) if (!orgs.has(o.id)) orgs.set(o.id, o);
    ctx.couldSeeOrgs = active.map((o) => o.id);
    const seen = await this.couldSee(tx, [...new Set([...linked, ...attached])], active);
    for (const id of linked) if (seen.has(id)) ctx.couldSee.set(id, seen.get(id)!);
    // A report this reader cannot read: it does not know who reads it, so it narrows nothing.
    for (const id of attached) ctx.readersOf.set(id, seen.get(id) ?? null);
    return ctx;
  }

  /**
   * `authorContext` without links for several readers of the same items, in one statement
   * (push, ADR 0041): the organisations' rows and the active organisations' counts are read
   * once, and each reader is left out of its own counts here, the one place that does it.
   */
  async authorContexts(
    tx: EntityManager,
    readers: PolicyPrincipal[],
    orgIds: string[],
  ): Promise<AuthorContext[]> {
    const readerOrgs = [...new Set(readers.map((r) => r.orgId))];
    const ids = [...new Set([...orgIds, ...readerOrgs])];
    const [{ rows, counts, active }]: {
      rows: OrgInfo[];
      counts: { kind: string; sector_code: string; n: number }[];
      active: string[];
    }[] = await tx.query(
      `SELECT (SELECT coalesce(json_agg(x), '[]') FROM (
                 SELECT o.id, o.name, o.kind, o.sector_code, s.name_en AS sector_name
                   FROM organisation o JOIN sector s ON s.code = o.sector_code WHERE o.id = ANY($1)) x) AS rows,
              (SELECT coalesce(json_agg(c), '[]') FROM (
                 SELECT kind, sector_code, count(*)::int AS n FROM organisation
                  WHERE status = 'active' GROUP BY kind, sector_code) c) AS counts,
              (SELECT coalesce(json_agg(id), '[]') FROM organisation
                WHERE status = 'active' AND id = ANY($2)) AS active`,
      [ids, readerOrgs],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const activeReaders = new Set(active);
    return readers.map((reader) => {
      const own = activeReaders.has(reader.orgId) ? byId.get(reader.orgId) : undefined;
      const others = counts
        .map((c) =>
          own && c.kind === own.kind && c.sector_code === own.sector_code
            ? { ...c, n: c.n - 1 }
            : c,
        )
        .filter((c) => c.n > 0);
      return {
        reader,
        readerIsCoordinator: byId.get(reader.orgId)?.kind === 'coordinator',
        // One map for the readers of one call: only `authorContext`'s links add to it, and it
        // asks for one reader.
        orgs: byId,
        others: candidateCounts(others),
        k: this.config.anonymity.k,
        couldSee: new Map(),
        couldSeeOrgs: [],
        readersOf: new Map(),
      };
    });
  }

  /**
   * What an author is told before publishing a report: its organisation's name when the report
   * is not anonymous, else every pseudonym it would be shown with, and whether some reader would be told it is not anonymous
   * (too few organisations to hide among). Judged as `authorOf` judges every reader, from the
   * same counts, so the warning and the labels readers get cannot disagree.
   */
  async pseudonymsOf(
    tx: EntityManager,
    authorOrgId: string,
    anonymous: boolean,
  ): Promise<{ labels: string[]; tooFewToHideIn: boolean }> {
    const [{ author, counts }]: {
      author: OrgInfo | null;
      counts: { kind: string; sector_code: string; n: number }[];
    }[] = await tx.query(
      `SELECT (SELECT row_to_json(x) FROM (
                 SELECT o.id, o.name, o.kind, o.sector_code, s.name_en AS sector_name
                   FROM organisation o JOIN sector s ON s.code = o.sector_code WHERE o.id = $1) x) AS author,
              (SELECT coalesce(json_agg(c), '[]') FROM (
                 SELECT kind, sector_code, count(*)::int AS n FROM organisation
                  WHERE status = 'active' GROUP BY kind, sector_code) c) AS counts`,
      [authorOrgId],
    );
    if (!author) return { labels: [], tooFewToHideIn: false };
    if (!anonymous) return { labels: [author.name], tooFewToHideIn: false };
    const labels = pseudonymsForEveryReader(author, counts, this.config.anonymity.k);
    return { labels, tooFewToHideIn: labels.includes(NOT_ANONYMOUS_LABEL) };
  }

  private activeOrgs(tx: EntityManager): Promise<(OrgInfo & { group_id: string | null })[]> {
    return tx.query(
      `SELECT o.id, o.name, o.kind, o.sector_code, o.group_id, s.name_en AS sector_name
         FROM organisation o JOIN sector s ON s.code = o.sector_code WHERE o.status = 'active'`,
    );
  }

  /**
   * For each linked report this reader can see (the others are not shown anyway: the query runs
   * under the reader's policy), the active organisations that could see it: by the policy for
   * an organisation's tokens (TLP, audience, forwarding), plus the owner and, for RED, the
   * organisations of its named users.
   */
  private async couldSee(
    tx: EntityManager,
    ids: string[],
    orgs: { id: string; sector_code: string; group_id: string | null }[],
  ): Promise<Map<string, Set<string>>> {
    const reports: {
      id: string;
      owner_org_id: string;
      tlp: Tlp;
      status: 'draft' | 'published' | 'retracted';
      audience_orgs: string[];
      audience_sectors: string[];
      audience_groups: string[];
      red_users: string[];
    }[] = await tx.query(
      `SELECT id, owner_org_id, tlp, status, audience_orgs, audience_sectors, audience_groups, red_users
         FROM report WHERE id = ANY($1)`,
      [ids],
    );
    const red = reports.flatMap((r) => (r.tlp === 'RED' ? r.red_users : []));
    // In the same transaction (a second pool connection here deadlocks a busy hub): the
    // restricted role reads only the users' organisations, through renkei_user_orgs.
    const redOrgs: { id: string; org: string }[] = red.length
      ? await tx.query('SELECT id, org FROM renkei_user_orgs($1::uuid[])', [red])
      : [];
    const groupOf = new Map(orgs.map((o) => [o.id, o.group_id]));
    const out = new Map<string, Set<string>>();
    for (const r of reports) {
      const item = {
        ownerOrg: r.owner_org_id,
        tlp: r.tlp,
        status: r.status,
        audienceOrgs: r.audience_orgs,
        audienceSectors: r.audience_sectors,
        audienceGroups: r.audience_groups,
        redUsers: r.red_users,
      };
      const seeing = orgs
        .filter((o) =>
          canSee(
            { kind: 'token', orgId: o.id, sector: o.sector_code, groupId: o.group_id },
            item,
            (org) => groupOf.get(org) ?? null,
          ),
        )
        .map((o) => o.id);
      const named = redOrgs.filter((u) => r.red_users.includes(u.id)).map((u) => u.org);
      out.set(r.id, new Set([r.owner_org_id, ...seeing, ...named]));
    }
    return out;
  }

  /**
   * The links of an item this reader may be shown (ADR 0018): all of them when it is shown who
   * wrote the item, else only while they leave at least ANONYMITY_K organisations the author
   * could be. Every view of a report's links and a list's report passes here.
   */
  links(
    ctx: AuthorContext,
    item: { ownerOrg: string; anonymous: boolean; revealToCoordinators: boolean },
    linked: string[],
  ): string[] {
    const author = this.author(ctx, item.ownerOrg, item.anonymous, item.revealToCoordinators);
    return shownLinks(
      {
        readerOrg: ctx.reader.orgId,
        authorShown: author.organisationId !== null,
        authorLabel: author.label,
        labelOf: (org) => this.author(ctx, org, true, false).label,
        orgs: [...ctx.couldSeeOrgs],
        couldSee: ctx.couldSee,
        k: ctx.k,
      },
      linked,
    );
  }

  /** `attachedTo`: see `authorOf` (the report a comment, sighting or request is about). */
  author(
    ctx: AuthorContext,
    orgId: string,
    anonymous: boolean,
    revealToCoordinators: boolean,
    attachedTo?: string,
  ): ReportAuthor {
    return authorOf(ctx, orgId, anonymous, revealToCoordinators, attachedTo);
  }

  /**
   * Comments and sightings are anonymous on the same terms as reports, among the organisations
   * that read the report they are on (`reportId`, loaded as `attachedTo` in `authorContext`).
   */
  responder(ctx: AuthorContext, orgId: string, reportId: string): ReportAuthor {
    return authorOf(ctx, orgId, true, false, reportId);
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
