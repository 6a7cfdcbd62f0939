import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyPrincipal, AuditAction, AuditService, Principal, Role } from '@renkei/identity';
import {
  BadInputError,
  ConflictError,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  FieldError,
  ForbiddenError,
  futureObservation,
  HUB_CONFIG,
  HubConfig,
  isUuid,
  NotFoundError,
  Page,
  parseInstant,
  toPage,
} from '@renkei/platform';
import {
  applyKeeps,
  AudienceService,
  AuthorContext,
  loadScrubContext,
  PolicyPrincipal,
  PublicationBoundary,
  recordEvent,
  ScopedDatabase,
  scopeOf,
  ScrubContext,
  scrubberFor,
  seenAlike,
  tlpRank,
} from '@renkei/sharing';
import { lockCommitOrder } from '@renkei/platform';
import { DataSource, EntityManager } from 'typeorm';
import { cappedCount } from './capped-count';
import { RELEASED_REPORTS } from './released-reports';
import { suppressedFor } from '../statistics/small-cell';
import {
  AudienceInput,
  Report,
  ReportCategory,
  ReportComment,
  ReportCount,
  ReportFilter,
  ReportFilterOptions,
  ReportInput,
  ReportKind,
  ReportRevision,
  ReportSighting,
  ReportStatus,
  RedactionKeepInput as RedactionKeep,
  RedactionPreview,
  SECTION_FIELDS,
  StatisticsPeriod,
  TlpMarking,
} from './report.models';

interface ReportRow {
  id: string;
  owner_org_id: string;
  author_user_id: string;
  kind: ReportKind;
  status: ReportStatus;
  tlp: TlpMarking;
  audience_orgs: string[];
  audience_sectors: string[];
  audience_groups: string[];
  red_users: string[];
  red_recipient_emails: string[];
  anonymous: boolean;
  reveal_to_coordinators: boolean;
  title: string;
  sections: Record<string, string | null>;
  categories: string[];
  affected_sectors: string[];
  timeline: Record<string, string | null>;
  impact: {
    servicesAffected?: string | null;
    durationMinutes?: number | null;
    scope?: string | null;
  };
  linked_reports: string[];
  revision: number;
  retraction_reason: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  exercise: string | null;
}

/**
 * Reports under TLP 2.0. Every statement runs through ScopedDatabase, so PostgreSQL's policy
 * decides what exists for the caller: an invisible report is NOT_FOUND exactly like a missing
 * one, and counts, searches, histories and responses only ever see visible rows.
 */
@Injectable()
export class ReportService {
  constructor(
    private readonly scoped: ScopedDatabase,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
    private readonly audience: AudienceService,
    private readonly boundary: PublicationBoundary,
  ) {}

  categories(): Promise<ReportCategory[]> {
    return this.db.query(
      `SELECT code, parent_code AS "parentCode", name_en AS "nameEn", name_ja AS "nameJa"
         FROM report_category ORDER BY position`,
    );
  }

  // --- writing -------------------------------------------------------------------------------

  async create(p: Principal, input: ReportInput): Promise<Report> {
    this.assertMayWrite(p);
    const errors: FieldError[] = [];
    if (!input.kind) errors.push({ path: 'input.kind', message: 'is required' });
    if (!input.title) errors.push({ path: 'input.title', message: 'is required' });
    if (!input.tlp)
      errors.push({
        path: 'input.tlp',
        message: 'is required: the marking is set when the report is created',
      });
    const tlp = input.tlp ?? TlpMarking.GREEN;
    const audience = await this.audience.resolve(tlp, input.audience, errors);
    this.checkTimeline(input, errors);
    await this.checkReferences(input, errors);
    if (errors.length) throw new BadInputError(errors);
    const written = this.scoped.run(scopeOf(p), async (tx) => {
      const linked = await this.visibleIds(
        tx,
        input.linkedReportIds ?? [],
        'input.linkedReportIds',
      );
      // The drill's name is read by every reader of the report: scrubbed like the text.
      const exercise = input.exercise
        ? await this.scrubText(tx, p.organisationId, input.exercise)
        : null;
      const [row] = await tx.query(
        `INSERT INTO report (owner_org_id, author_user_id, kind, tlp, audience_orgs, audience_sectors, audience_groups,
           red_users, red_recipient_emails, anonymous, reveal_to_coordinators, title, sections, categories,
           affected_sectors, timeline, impact, linked_reports, search_text, exercise)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING *`,
        [
          p.organisationId,
          p.userId,
          input.kind,
          tlp,
          audience.orgs,
          audience.sectors,
          audience.groups,
          audience.redUsers,
          audience.redEmails,
          input.anonymous ?? true,
          input.revealToCoordinators ?? false,
          input.title,
          JSON.stringify(sectionsOf(input)),
          input.categories ?? [],
          input.affectedSectors ?? [],
          JSON.stringify(timelineOf(input)),
          JSON.stringify(input.impact ?? {}),
          linked,
          searchText(input.title!, sectionsOf(input)),
          exercise,
        ],
      );
      return this.view(tx, row, scopeOf(p));
    });
    return refusingAdvisories(written);
  }

  async update(p: Principal, id: string, input: ReportInput): Promise<Report> {
    this.assertMayWrite(p);
    if (input.exercise !== undefined) {
      throw new BadInputError([
        { path: 'input.exercise', message: 'is set when the report is created, not later' },
      ]);
    }
    const written = this.scoped.run(scopeOf(p), async (tx) => {
      const current = await this.ownRow(tx, p, id);
      if (current.status === ReportStatus.RETRACTED)
        throw new ConflictError('A retracted report cannot be edited');
      const errors: FieldError[] = [];
      const tlp = input.tlp ?? current.tlp;
      const audience =
        input.audience || input.tlp
          ? await this.audience.resolve(
              tlp,
              input.audience ?? this.audience.inputOf(current),
              errors,
            )
          : null;
      this.checkTimeline(input, errors);
      await this.checkReferences(input, errors);
      if (errors.length) throw new BadInputError(errors);
      if (
        audience &&
        current.status !== ReportStatus.DRAFT &&
        (await this.audience.widens(current, tlp, audience))
      ) {
        throw new BadInputError([
          {
            path: 'input.tlp',
            message:
              'would show the report to more readers: use lowerReportMarking, which is recorded',
          },
        ]);
      }
      const merged = { ...current.sections, ...sectionsOf(input) };
      const title = input.title ?? current.title;
      const impact = { ...current.impact, ...(input.impact ?? {}) };
      const published = current.status === ReportStatus.PUBLISHED;
      // A published report's text is scrubbed on every change: others never read an original.
      const text = published
        ? await this.scrubbed(tx, current.owner_org_id, title, merged, impact, current)
        : { title, sections: merged, impact };
      const linked = input.linkedReportIds
        ? await this.visibleIds(tx, input.linkedReportIds, 'input.linkedReportIds')
        : current.linked_reports;
      const [[row]] = await tx.query(
        `UPDATE report SET kind = $2, tlp = $3, audience_orgs = $4, audience_sectors = $5, audience_groups = $6,
           red_users = $7, red_recipient_emails = $8, anonymous = $9, reveal_to_coordinators = $10, title = $11,
           sections = $12, categories = $13, affected_sectors = $14, timeline = $15, impact = $16, linked_reports = $17,
           search_text = $18, revision = revision + $19, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          input.kind ?? current.kind,
          tlp,
          audience?.orgs ?? current.audience_orgs,
          audience?.sectors ?? current.audience_sectors,
          audience?.groups ?? current.audience_groups,
          audience?.redUsers ?? current.red_users,
          audience?.redEmails ?? current.red_recipient_emails,
          input.anonymous ?? current.anonymous,
          input.revealToCoordinators ?? current.reveal_to_coordinators,
          text.title,
          JSON.stringify(text.sections),
          input.categories ?? current.categories,
          input.affectedSectors ?? current.affected_sectors,
          JSON.stringify({ ...current.timeline, ...timelineOf(input) }),
          JSON.stringify(text.impact),
          linked,
          searchText(text.title, text.sections),
          published ? 1 : 0,
        ],
      );
      if (published) await this.saveRevision(tx, row);
      return this.view(tx, row, scopeOf(p));
    });
    return refusingAdvisories(written);
  }

  async preview(p: Principal, id: string, keep: RedactionKeep[] = []): Promise<RedactionPreview> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const row = await this.ownRow(tx, p, id);
      const preview = await this.previewOf(tx, row, keep);
      // Only the author's preview says how readers will be shown it; publishing needs the hash.
      const author = await this.boundary.pseudonymsOf(tx, row.owner_org_id, row.anonymous);
      return { ...preview, author };
    });
  }

  async publish(
    p: Principal,
    id: string,
    previewHash: string,
    keep: RedactionKeep[] = [],
  ): Promise<Report> {
    this.assertMayWrite(p);
    return this.scoped.run(scopeOf(p), async (tx) => {
      const row = await this.ownRow(tx, p, id);
      if (row.status !== ReportStatus.DRAFT)
        throw new ConflictError('Only a draft can be published');
      const preview = await this.previewOf(tx, row, keep);
      if (preview.previewHash !== previewHash) {
        throw new ConflictError(
          'The report or what you keep changed since the preview: preview the redactions again and confirm',
        );
      }
      // Exactly the text the author confirmed, kept spans included.
      const previewed = new Map(preview.sections.map((f) => [f.field, f.text]));
      const text = {
        title: previewed.get('title') ?? row.title,
        sections: Object.fromEntries(
          Object.entries(row.sections).map(([k, v]) => [k, previewed.get(k) ?? v]),
        ),
        impact: {
          ...row.impact,
          servicesAffected: previewed.get('impact.servicesAffected') ?? row.impact.servicesAffected,
          scope: previewed.get('impact.scope') ?? row.impact.scope,
        },
      };
      const [[published]] = await tx.query(
        `UPDATE report SET status = 'published', published_at = now(), updated_at = now(), revision = 1,
           title = $2, sections = $3, impact = $4, search_text = $5
         WHERE id = $1 RETURNING *`,
        [
          id,
          text.title,
          JSON.stringify(text.sections),
          JSON.stringify(text.impact),
          searchText(text.title, text.sections),
        ],
      );
      await this.saveRevision(tx, published);
      return this.view(tx, published, scopeOf(p));
    });
  }

  /** The explicit, audited act of showing a report to more readers. */
  async lowerMarking(
    p: Principal,
    id: string,
    tlp: TlpMarking,
    audienceInput: AudienceInput | undefined,
    reason: string,
  ): Promise<Report> {
    this.assertMayWrite(p);
    const errors: FieldError[] = [];
    if (reason.trim().length < 3)
      errors.push({ path: 'reason', message: 'must say why (at least 3 characters)' });
    const audience = await this.audience.resolve(tlp, audienceInput, errors);
    if (errors.length) throw new BadInputError(errors);
    const result = await this.scoped.run(scopeOf(p), async (tx) => {
      const current = await this.ownRow(tx, p, id);
      // The audit entry says "lowered": a change that shows the report to nobody new (a raise,
      // a narrower audience, the same one) is an ordinary edit and would make that entry false.
      if (!(await this.audience.widens(current, tlp, audience))) {
        throw new BadInputError([
          {
            path: 'tlp',
            message:
              'shows the report to no new reader: raise or narrow a marking with updateReport',
          },
        ]);
      }
      // Lowering adds readers and takes none away: a reader who had it keeps it. Reversed, the
      // same rule says whether the old audience reaches anyone the new one does not. From RED the
      // hub cannot tell which organisations hold the named people, so the owner's choice stands.
      const after = {
        ...current,
        tlp,
        audience_orgs: audience.orgs,
        audience_sectors: audience.sectors,
        audience_groups: audience.groups,
      };
      const before = {
        orgs: current.audience_orgs,
        sectors: current.audience_sectors,
        groups: current.audience_groups,
        redEmails: current.red_recipient_emails,
      };
      if (
        current.tlp !== TlpMarking.RED &&
        (await this.audience.widens(after, current.tlp, before))
      ) {
        throw new BadInputError([
          {
            path: 'audience',
            message:
              'would take the report away from readers who have it: keep its audience in the new one',
          },
        ]);
      }
      const [[row]] = await tx.query(
        `UPDATE report SET tlp = $2, audience_orgs = $3, audience_sectors = $4, audience_groups = $5, red_users = $6,
           red_recipient_emails = $7, updated_at = now(), revision = revision + CASE WHEN status = 'draft' THEN 0 ELSE 1 END
         WHERE id = $1 RETURNING *`,
        [
          id,
          tlp,
          audience.orgs,
          audience.sectors,
          audience.groups,
          audience.redUsers,
          audience.redEmails,
        ],
      );
      if (row.status !== ReportStatus.DRAFT) await this.saveRevision(tx, row);
      return { view: await this.view(tx, row, scopeOf(p)), from: current.tlp };
    });
    await this.audit.record({
      action: AuditAction.REPORT_MARKING_LOWERED,
      outcome: 'success',
      actorUserId: p.userId,
      actorOrganisationId: p.organisationId,
      organisationId: p.organisationId,
      targetType: 'report',
      targetId: id,
      details: { from: result.from, to: tlp, reason: reason.trim().slice(0, 500) },
    });
    return result.view;
  }

  async retract(p: Principal, id: string, reason: string): Promise<Report> {
    this.assertMayWrite(p);
    if (reason.trim().length < 3)
      throw new BadInputError([
        { path: 'reason', message: 'must say why (at least 3 characters)' },
      ]);
    return this.scoped.run(scopeOf(p), async (tx) => {
      const current = await this.ownRow(tx, p, id);
      if (current.status !== ReportStatus.PUBLISHED)
        throw new ConflictError('Only a published report can be retracted');
      const text = await this.scrubText(tx, current.owner_org_id, reason.trim());
      const [[row]] = await tx.query(
        `UPDATE report SET status = 'retracted', retraction_reason = $2, updated_at = now(), revision = revision + 1
         WHERE id = $1 RETURNING *`,
        [id, text],
      );
      await this.saveRevision(tx, row);
      return this.view(tx, row, scopeOf(p));
    });
  }

  async comment(p: Principal, reportId: string, body: string): Promise<ReportComment> {
    this.assertMayWrite(p);
    const text = body.trim();
    if (!text || text.length > 10000)
      throw new BadInputError([{ path: 'body', message: 'must be 1 to 10000 characters' }]);
    return this.scoped.run(scopeOf(p), async (tx) => {
      await this.visibleRow(tx, reportId, 'published');
      const scrubbedBody = await this.scrubText(tx, p.organisationId, text);
      const [row] = await tx.query(
        `INSERT INTO report_comment (report_id, org_id, user_id, body) VALUES ($1, $2, $3, $4)
         RETURNING id, org_id, body, created_at`,
        [reportId, p.organisationId, p.userId, scrubbedBody],
      );
      await recordEvent(tx, {
        kind: 'report.comment_added',
        orgId: p.organisationId,
        reportId,
        payload: { commentId: row.id },
      });
      const ctx = await this.boundary.authorContext(tx, scopeOf(p), [row.org_id], [], [reportId]);
      return {
        id: row.id,
        body: row.body,
        author: this.boundary.responder(ctx, row.org_id, reportId),
        createdAt: row.created_at,
      };
    });
  }

  /**
   * A day (YYYY-MM-DD) that exists and has begun somewhere: the member's today may already be
   * tomorrow in UTC (14 hours ahead at most, Kiribati), so that much is allowed on top of the skew.
   */
  private sightingDateProblem(seenOn: string): string | undefined {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(seenOn)) return 'must be a date YYYY-MM-DD';
    const read = parseInstant(seenOn);
    if (!read.ok) return read.message;
    return futureObservation(read.date, new Date(Date.now() + 14 * 3_600_000), this.config.times);
  }

  async sighting(
    p: Principal,
    reportId: string,
    seenOn: string | undefined,
    note: string | undefined,
  ): Promise<ReportSighting> {
    this.assertMayWrite(p);
    if (seenOn) {
      const message = this.sightingDateProblem(seenOn);
      if (message) throw new BadInputError([{ path: 'seenOn', message }]);
    }
    if (note && note.length > 1000)
      throw new BadInputError([{ path: 'note', message: 'must be at most 1000 characters' }]);
    return this.scoped.run(scopeOf(p), async (tx) => {
      await this.visibleRow(tx, reportId, 'published');
      const scrubbedNote = note ? await this.scrubText(tx, p.organisationId, note.trim()) : null;
      const [row] = await tx.query(
        `INSERT INTO report_sighting (report_id, org_id, user_id, seen_on, note) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (report_id, org_id) DO UPDATE SET seen_on = EXCLUDED.seen_on, note = EXCLUDED.note, user_id = EXCLUDED.user_id
         RETURNING id, org_id, seen_on::text AS seen_on, note, created_at`,
        [reportId, p.organisationId, p.userId, seenOn ?? null, scrubbedNote],
      );
      await recordEvent(tx, {
        kind: 'report.sighting_added',
        orgId: p.organisationId,
        reportId,
        payload: { sightingId: row.id },
      });
      const ctx = await this.boundary.authorContext(tx, scopeOf(p), [row.org_id], [], [reportId]);
      return {
        id: row.id,
        seenOn: row.seen_on,
        note: row.note,
        author: this.boundary.responder(ctx, row.org_id, reportId),
        createdAt: row.created_at,
      };
    });
  }

  // --- reading -------------------------------------------------------------------------------

  /**
   * Published and retracted reports the caller may see, never RED nor exercises
   * (`RELEASED_REPORTS`), each with the time its current version was added in commit order
   * (microseconds, UTC): what TAXII serves.
   */
  async forStix(p: AnyPrincipal): Promise<{ report: Report; addedAt: string }[]> {
    const reader = scopeOf(p);
    return this.scoped.run(reader, async (tx) => {
      const rows: (ReportRow & { added_at: string })[] = await tx.query(
        `SELECT *, to_char(stix_added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS added_at
           FROM ${RELEASED_REPORTS} AS report WHERE tlp <> 'RED' AND stix_added_at IS NOT NULL
          ORDER BY stix_added_at, id`,
      );
      const ctx = await this.boundary.authorContext(
        tx,
        reader,
        rows.map((r) => r.owner_org_id),
        rows.flatMap((r) => r.linked_reports),
      );
      return rows.map((r) => ({ report: this.toView(r, ctx), addedAt: r.added_at }));
    });
  }

  /**
   * When the current version of a report the caller may see was added, in commit order
   * (microseconds, UTC): TAXII's date added and the basis of its STIX version. Null for a draft
   * or an exercise, which are never released.
   */
  async stixAddedAt(p: AnyPrincipal, id: string): Promise<string | null> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      await this.visibleRow(tx, id);
      const [row]: { added_at: string | null }[] = await tx.query(
        `SELECT to_char(stix_added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS added_at
           FROM ${RELEASED_REPORTS} AS report WHERE id = $1`,
        [id],
      );
      return row?.added_at ?? null;
    });
  }

  async get(p: AnyPrincipal, id: string): Promise<Report> {
    return this.scoped.run(scopeOf(p), async (tx) =>
      this.view(tx, await this.visibleRow(tx, id), scopeOf(p)),
    );
  }

  /**
   * `get` for several readers at once (push: one event, every kind of reader): every reader's
   * row in one statement, each under that reader's own policy (renkei_report_rows_each, ADR
   * 0041), null where that reader may not see the report. `each` hears of every reader's view,
   * and whether every reader with the same `alikeKey` would read this very view: a report that
   * is not RED (`seenAlike`) and links no report (the links shown depend on which linked reports
   * the reader sees, RED ones included; such a report is read again by each, as `get` does).
   */
  async getEach(
    readers: AnyPrincipal[],
    id: string,
    each?: (index: number, view: Report | null, alike: boolean) => void,
  ): Promise<(Report | null)[]> {
    const scopes = readers.map(scopeOf);
    const out: (Report | null)[] = readers.map(() => null);
    const linking: number[] = [];
    if (isUuid(id) && scopes.length) {
      // Every reader's row in one statement, each under that reader's own policy (ADR 0041),
      // and the author context of those whose row links nothing in one more.
      await this.scoped.runForEach(scopes, async (tx, names, values) => {
        const found: (ReportRow & { reader_index: number })[] = await tx.query(
          `SELECT e.reader_index, (e.seen).* FROM renkei_report_rows_each($1, $2, $3) AS e`,
          [id, names, values],
        );
        const plain: { index: number; row: ReportRow }[] = [];
        for (const { reader_index: index, ...row } of found) {
          if (row.linked_reports?.length) linking.push(index);
          else plain.push({ index, row });
        }
        if (!plain.length) return;
        const owners = [...new Set(plain.map((x) => x.row.owner_org_id))];
        const ctxs = await this.boundary.authorContexts(
          tx,
          plain.map((x) => scopes[x.index]),
          owners,
        );
        plain.forEach(({ index, row }, i) => {
          out[index] = this.toView(row, ctxs[i]);
        });
      });
    }
    const linked = new Set(linking);
    readers.forEach((_, i) => {
      if (!linked.has(i)) each?.(i, out[i], !!out[i] && seenAlike(out[i]!.tlp));
    });
    if (!linking.length) return out;
    // A report that links others: each reader's links depend on what that reader sees of them,
    // so each reads it with its links under its own scope, as `get` does.
    await this.scoped.runEach(
      linking.map((i) => scopes[i]),
      async (tx, reader, n) => {
        const index = linking[n];
        try {
          out[index] = await this.view(tx, await this.visibleRow(tx, id), reader);
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
        }
        each?.(index, out[index], false);
      },
    );
    return out;
  }

  async list(
    p: AnyPrincipal,
    filter: ReportFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<Report> & { totalCountCapped: boolean }> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const { where, params } = whereOf(filter, this.boundary.timeSql('published_at', 'anonymous'));
      const total = await cappedCount(
        tx,
        `FROM report WHERE ${where}`,
        params,
        this.config.reportCountCap,
      );
      let keyset = '';
      if (after) {
        // The cursor names the last row only; its sort time is looked up under the same policy,
        // so a cursor never carries another organisation's exact publication time.
        const [id] = decodeCursor(after, 1);
        if (typeof id !== 'string' || !isUuid(id)) {
          throw new BadInputError([{ path: 'after', message: 'is not a cursor this hub issued' }]);
        }
        params.push(id);
        keyset = ` AND (coalesce(published_at, created_at), id) <
          (SELECT coalesce(published_at, created_at), id FROM report WHERE id = $${params.length}::uuid)`;
      }
      params.push(first + 1);
      // Comparing in SQL keeps PostgreSQL's microseconds: rows sharing a millisecond stay in order.
      const rows: ReportRow[] = await tx.query(
        `SELECT * FROM report WHERE ${where}${keyset}
          ORDER BY coalesce(published_at, created_at) DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      const reader = scopeOf(p);
      const ctx = await this.boundary.authorContext(
        tx,
        reader,
        rows.map((r) => r.owner_org_id),
        rows.flatMap((r) => r.linked_reports),
      );
      const views = rows.map((r) => this.toView(r, ctx));
      return {
        ...toPage(views, first, total.count, (v) => [v.id]),
        totalCountCapped: total.capped,
      };
    });
  }

  async comments(p: AnyPrincipal, reportId: string): Promise<ReportComment[]> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows = await tx.query(
        'SELECT id, org_id, body, created_at FROM report_comment WHERE report_id = $1 ORDER BY created_at, id',
        [reportId],
      );
      const ctx = await this.boundary.authorContext(
        tx,
        scopeOf(p),
        rows.map((r: { org_id: string }) => r.org_id),
        [],
        [reportId],
      );
      return rows.map((r: { id: string; org_id: string; body: string; created_at: Date }) => {
        const author = this.boundary.responder(ctx, r.org_id, reportId);
        return {
          id: r.id,
          body: r.body,
          author,
          createdAt: this.boundary.time(author, r.created_at),
        };
      });
    });
  }

  async sightings(p: AnyPrincipal, reportId: string): Promise<ReportSighting[]> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows = await tx.query(
        `SELECT id, org_id, seen_on::text AS seen_on, note, created_at FROM report_sighting
          WHERE report_id = $1 ORDER BY created_at, id`,
        [reportId],
      );
      const ctx = await this.boundary.authorContext(
        tx,
        scopeOf(p),
        rows.map((r: { org_id: string }) => r.org_id),
        [],
        [reportId],
      );
      return rows.map(
        (r: {
          id: string;
          org_id: string;
          seen_on: string | null;
          note: string | null;
          created_at: Date;
        }) => {
          const author = this.boundary.responder(ctx, r.org_id, reportId);
          const createdAt = this.boundary.time(author, r.created_at);
          return { id: r.id, seenOn: r.seen_on, note: r.note, author, createdAt };
        },
      );
    });
  }

  async revisions(p: AnyPrincipal, reportId: string): Promise<ReportRevision[]> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows = await tx.query(
        `SELECT v.revision, v.snapshot->>'title' AS title, v.snapshot->>'tlp' AS tlp, v.created_at, r.owner_org_id,
                r.anonymous, r.reveal_to_coordinators
           FROM report_revision v JOIN report r ON r.id = v.report_id
          WHERE v.report_id = $1 ORDER BY v.revision DESC`,
        [reportId],
      );
      const ctx = await this.boundary.authorContext(
        tx,
        scopeOf(p),
        rows.map((r: { owner_org_id: string }) => r.owner_org_id),
      );
      return rows.map(
        (r: {
          revision: number;
          title: string;
          tlp: TlpMarking;
          created_at: Date;
          owner_org_id: string;
          anonymous: boolean;
          reveal_to_coordinators: boolean;
        }) => ({
          revision: r.revision,
          title: r.title,
          tlp: r.tlp,
          createdAt: this.boundary.time(
            this.boundary.author(ctx, r.owner_org_id, r.anonymous, r.reveal_to_coordinators),
            r.created_at,
          ),
        }),
      );
    });
  }

  /** Linked reports the caller can see; links to others are simply absent. */
  async linked(p: AnyPrincipal, ids: string[]): Promise<Report[]> {
    if (!ids.length) return [];
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows: ReportRow[] = await tx.query(
        'SELECT * FROM report WHERE id = ANY($1) ORDER BY published_at DESC NULLS LAST',
        [ids],
      );
      const ctx = await this.boundary.authorContext(
        tx,
        scopeOf(p),
        rows.map((r) => r.owner_org_id),
        rows.flatMap((r) => r.linked_reports),
      );
      return rows.map((r) => this.toView(r, ctx));
    });
  }

  async statistics(
    p: AnyPrincipal,
    period: StatisticsPeriod,
    from?: Date,
    to?: Date,
  ): Promise<ReportCount[]> {
    const shown = this.boundary.timeSql('published_at', 'anonymous');
    const reader = scopeOf(p);
    const rows: (ReportCount & { hidden: number })[] = await this.scoped.run(reader, (tx) =>
      tx.query(
        `SELECT CASE WHEN $1 = 'quarter' THEN to_char(date_trunc('quarter', published_at), 'YYYY-"Q"Q')
                     ELSE to_char(date_trunc('month', published_at), 'YYYY-MM') END AS period,
                kind, category, sector, count(*)::int AS count,
                count(DISTINCT owner_org_id) FILTER (WHERE anonymous AND owner_org_id <> $4)::int AS hidden
           FROM ${RELEASED_REPORTS} AS report
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(categories) = 0 THEN ARRAY['none'] ELSE categories END) AS category
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(affected_sectors) = 0 THEN ARRAY['none'] ELSE affected_sectors END) AS sector
          WHERE ($2::timestamptz IS NULL OR ${shown} >= $2)
            AND ($3::timestamptz IS NULL OR ${shown} < $3)
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [period, from ?? null, to ?? null, reader.orgId],
      ),
    );
    // The count is not nullable here, so a cell `statistics` would suppress is left out, and with
    // it every row of the same quarter, category and sector (other kinds, other months): those
    // subtracted from `statistics`' quarter total would give the hidden one back (attack pass).
    const group = (r: ReportCount) => `${quarterOf(r.period)}|${r.category}|${r.sector}`;
    const hidden = new Set(
      rows.filter((r) => suppressedFor(r.hidden, this.config.anonymity.k)).map(group),
    );
    return rows.filter((r) => !hidden.has(group(r))).map(({ hidden: _hidden, ...count }) => count);
  }

  async filterOptions(p: AnyPrincipal): Promise<ReportFilterOptions> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      // One pass over the visible rows: the policy is asked once per report, not once per list.
      const [row] = await tx.query(
        `WITH visible AS MATERIALIZED (SELECT tlp, kind, categories, affected_sectors FROM report)
         SELECT coalesce((SELECT array_agg(DISTINCT tlp) FROM visible), '{}') AS markings,
                coalesce((SELECT array_agg(DISTINCT kind) FROM visible), '{}') AS kinds,
                coalesce((SELECT array_agg(DISTINCT c ORDER BY c) FROM visible, unnest(categories) c), '{}') AS categories,
                coalesce((SELECT array_agg(DISTINCT s ORDER BY s) FROM visible, unnest(affected_sectors) s), '{}') AS sectors`,
      );
      const order = (m: TlpMarking) => tlpRank(m);
      return {
        ...row,
        markings: (row.markings as TlpMarking[]).sort((a, b) => order(a) - order(b)),
      };
    });
  }

  // --- scrub terms ---------------------------------------------------------------------------

  async setScrubTerms(p: Principal, terms: string[]): Promise<string[]> {
    if (p.role !== Role.ORG_ADMIN && p.role !== Role.HUB_ADMIN)
      throw new ForbiddenError('Only org admins set scrub terms');
    const clean = this.validScrubTerms(terms);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM organisation_scrub_term WHERE org_id = $1', [p.organisationId]);
      if (clean.length) {
        await tx.query(
          'INSERT INTO organisation_scrub_term (org_id, term) SELECT $1, unnest($2::text[])',
          [p.organisationId, clean],
        );
      }
    });
    return clean;
  }

  /**
   * Terms are matched in one pass whatever their number, but each is compiled for every text
   * scrubbed with them: the caps keep that work small (SCRUB_MAX_TERMS, SCRUB_MAX_TERM_LENGTH).
   * Blank entries (a trailing line of a text box) are dropped, duplicates kept once.
   */
  private validScrubTerms(terms: string[]): string[] {
    const { maxScrubTerms, maxScrubTermLength } = this.config.anonymity;
    const errors: FieldError[] = [];
    const clean = new Set<string>();
    terms.forEach((raw, i) => {
      const term = raw.trim();
      const length = [...term].length;
      if (length === 0) return;
      if (length < 2) {
        errors.push({ path: `terms.${i}`, message: 'must be at least 2 characters' });
      } else if (length > maxScrubTermLength) {
        errors.push({
          path: `terms.${i}`,
          message: `must be at most ${maxScrubTermLength} characters (it has ${length})`,
        });
      } else {
        clean.add(term);
      }
    });
    if (clean.size > maxScrubTerms) {
      errors.unshift({
        path: 'terms',
        message: `at most ${maxScrubTerms} terms per organisation (${clean.size} given)`,
      });
    }
    if (errors.length > 0) throw new BadInputError(errors);
    return [...clean];
  }

  async scrubTerms(p: Principal): Promise<string[]> {
    const rows = await this.db.query(
      'SELECT term FROM organisation_scrub_term WHERE org_id = $1 ORDER BY term',
      [p.organisationId],
    );
    return rows.map((r: { term: string }) => r.term);
  }

  // --- internals -----------------------------------------------------------------------------

  private assertMayWrite(p: Principal): void {
    if (p.role === Role.VIEWER) throw new ForbiddenError('Viewers read only');
  }

  /** A row the caller can see (RLS decides), else NOT_FOUND: hidden and missing look the same. */
  private async visibleRow(tx: EntityManager, id: string, status?: string): Promise<ReportRow> {
    const rows: ReportRow[] = isUuid(id)
      ? await tx.query('SELECT * FROM report WHERE id = $1', [id])
      : [];
    if (!rows[0] || (status && rows[0].status !== status)) throw new NotFoundError('Report');
    return rows[0];
  }

  /**
   * The caller's own report, locked for the rest of the transaction and read again once
   * locked: an edit derives from the row as it is, never from a version a concurrent edit (a
   * raised marking, a narrowed audience) has already replaced, which it would write back.
   */
  private async ownRow(tx: EntityManager, p: Principal, id: string): Promise<ReportRow> {
    const row = await this.visibleRow(tx, id);
    if (row.owner_org_id !== p.organisationId)
      throw new ForbiddenError('Only the owner organisation edits a report');
    const [locked]: ReportRow[] = await tx.query('SELECT * FROM report WHERE id = $1 FOR UPDATE', [
      id,
    ]);
    if (!locked) throw new NotFoundError('Report');
    return locked;
  }

  private async visibleIds(tx: EntityManager, ids: string[], path: string): Promise<string[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    const rows: { id: string }[] = await tx.query('SELECT id FROM report WHERE id = ANY($1)', [
      wanted,
    ]);
    const seen = new Set(rows.map((r) => r.id));
    const missing = wanted.findIndex((x) => !seen.has(x));
    if (missing >= 0)
      throw new BadInputError([
        { path: `${path}.${missing}`, message: 'is not a report you can see' },
      ]);
    return wanted;
  }

  /** The timeline says when things happened: not later than now (within the clock skew). */
  private checkTimeline(input: ReportInput, errors: FieldError[]): void {
    const now = new Date();
    for (const [key, at] of Object.entries(input.timeline ?? {})) {
      const future = at instanceof Date && futureObservation(at, now, this.config.times);
      if (future) errors.push({ path: `input.timeline.${key}`, message: future });
    }
  }

  private async checkReferences(input: ReportInput, errors: FieldError[]): Promise<void> {
    await this.audience.reportUnknown(
      'report_category',
      'code',
      input.categories ?? [],
      'input.categories',
      (c) => `"${c}" is not a category (see reportCategories)`,
      errors,
    );
    await this.audience.reportUnknown(
      'sector',
      'code',
      input.affectedSectors ?? [],
      'input.affectedSectors',
      (c) => `"${c}" is not a sector`,
      errors,
    );
  }

  async scrubContext(tx: EntityManager, orgId: string): Promise<ScrubContext> {
    return loadScrubContext(tx, orgId);
  }

  /** A comment, note or reason, scrubbed with its writer's organisation context. */
  async scrubText(tx: EntityManager, orgId: string, text: string): Promise<string> {
    return scrubberFor(await this.scrubContext(tx, orgId))(text).text;
  }

  private async scrubbed(
    tx: EntityManager,
    orgId: string,
    title: string,
    sections: Record<string, string | null>,
    impact: ReportRow['impact'],
    published?: ReportRow,
  ) {
    const scrubOne = scrubberFor(await this.scrubContext(tx, orgId));
    // What the author kept in the preview is already in the published text; an edit keeps it
    // rather than redacting an indicator the author chose to share (own data is never kept).
    const shown = published
      ? [
          published.title,
          ...Object.values(published.sections),
          published.impact.servicesAffected,
          published.impact.scope,
        ].join('\n')
      : '';
    // One field at a time, letting other requests in between: a report is up to ten long texts.
    const s = async (v: string | null | undefined) => {
      if (!v) return v ?? null;
      await setImmediate();
      const result = scrubOne(v);
      const keep = result.redactions
        .filter((r) => r.keepable && shown.includes(r.original))
        .map((r) => r.start);
      return keep.length ? applyKeeps(v, result.redactions, keep).text : result.text;
    };
    const scrubbedSections: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(sections)) scrubbedSections[k] = await s(v);
    return {
      title: (await s(title)) as string,
      sections: scrubbedSections,
      impact: {
        ...impact,
        servicesAffected: await s(impact.servicesAffected),
        scope: await s(impact.scope),
      },
    };
  }

  private async previewOf(
    tx: EntityManager,
    row: ReportRow,
    keep: RedactionKeep[],
  ): Promise<Omit<RedactionPreview, 'author'>> {
    const scrubOne = scrubberFor(await this.scrubContext(tx, row.owner_org_id));
    const keepOf = new Map<string, number[]>();
    keep.forEach((k) => keepOf.set(k.field, [...(keepOf.get(k.field) ?? []), k.start]));
    const errors: FieldError[] = [];
    const fields: [string, string | null | undefined][] = [
      ['title', row.title],
      ...SECTION_FIELDS.map((f) => [f, row.sections[f]] as [string, string | null | undefined]),
      ['impact.servicesAffected', row.impact.servicesAffected],
      ['impact.scope', row.impact.scope],
    ];
    const sections: RedactionPreview['sections'] = [];
    for (const [field, v] of fields) {
      if (!v) continue;
      await setImmediate(); // as in scrubbed(): other requests get in between the fields
      const scrubbedField = scrubOne(v);
      const r = applyKeeps(v, scrubbedField.redactions, keepOf.get(field) ?? []);
      keepOf.delete(field);
      for (const start of r.refused) {
        const own = scrubbedField.redactions.find((x) => x.start === start);
        errors.push({
          path: `keep.${keep.findIndex((k) => k.field === field && k.start === start)}`,
          message: own
            ? `${field} at ${start} is your organisation's own data (${own.kind}): it cannot be kept`
            : `${field} has no redaction starting at ${start}`,
        });
      }
      sections.push({ field, text: r.text, redactions: r.redactions, kept: r.kept });
    }
    for (const [field] of keepOf) {
      errors.push({
        path: `keep.${keep.findIndex((k) => k.field === field)}`,
        message: `"${field}" is not a field of the preview`,
      });
    }
    if (errors.length) throw new BadInputError(errors);
    const previewHash = createHash('sha256')
      .update(
        JSON.stringify([
          row.tlp,
          row.audience_orgs,
          row.audience_sectors,
          row.audience_groups,
          row.red_users,
          sections,
        ]),
      )
      .digest('base64url');
    return { previewHash, sections };
  }

  /** A published version: kept, and stamped in commit order for TAXII (called last). */
  private async saveRevision(tx: EntityManager, row: ReportRow): Promise<void> {
    const snapshot = { ...row, search_text: undefined, stix_added_at: undefined };
    await tx.query(
      'INSERT INTO report_revision (report_id, revision, snapshot) VALUES ($1, $2, $3)',
      [row.id, row.revision, JSON.stringify(snapshot)],
    );
    await lockCommitOrder(tx);
    await tx.query('UPDATE report SET stix_added_at = clock_timestamp() WHERE id = $1', [row.id]);
    await recordEvent(tx, {
      kind:
        row.status === ReportStatus.RETRACTED
          ? 'report.retracted'
          : row.revision === 1
            ? 'report.published'
            : 'report.updated',
      orgId: row.owner_org_id,
      reportId: row.id,
      payload: { revision: row.revision },
    });
  }

  private async view(tx: EntityManager, row: ReportRow, reader: PolicyPrincipal): Promise<Report> {
    return this.toView(
      row,
      await this.boundary.authorContext(tx, reader, [row.owner_org_id], row.linked_reports),
    );
  }

  toView(r: ReportRow, ctx: AuthorContext): Report {
    const own = r.owner_org_id === ctx.reader.orgId;
    const author = this.boundary.author(ctx, r.owner_org_id, r.anonymous, r.reveal_to_coordinators);
    const round = (d: Date | null) => this.boundary.time(author, d);
    const t = (k: string) => (r.timeline[k] ? round(new Date(r.timeline[k] as string)) : null);
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      tlp: r.tlp,
      title: r.title,
      summary: r.sections.summary ?? null,
      background: r.sections.background ?? null,
      detection: r.sections.detection ?? null,
      response: r.sections.response ?? null,
      cause: r.sections.cause ?? null,
      countermeasures: r.sections.countermeasures ?? null,
      lessonsLearned: r.sections.lessonsLearned ?? null,
      categories: r.categories,
      affectedSectors: r.affected_sectors,
      timeline: {
        occurredAt: t('occurredAt'),
        detectedAt: t('detectedAt'),
        containedAt: t('containedAt'),
        recoveredAt: t('recoveredAt'),
      },
      impact: {
        servicesAffected: r.impact.servicesAffected ?? null,
        durationMinutes: r.impact.durationMinutes ?? null,
        scope: r.impact.scope ?? null,
      },
      anonymous: r.anonymous,
      author,
      revision: r.revision,
      retractionReason: r.retraction_reason,
      createdAt: round(r.created_at)!,
      updatedAt: round(r.updated_at)!,
      publishedAt: round(r.published_at),
      audience: own ? (this.audience.inputOf(r) as Report['audience']) : null,
      ownerOrgId: r.owner_org_id,
      linkedReportIds: this.boundary.links(
        ctx,
        {
          ownerOrg: r.owner_org_id,
          anonymous: r.anonymous,
          revealToCoordinators: r.reveal_to_coordinators,
        },
        r.linked_reports,
      ),
      exercise: Boolean(r.exercise),
      exerciseName: r.exercise ?? null,
    };
  }
}

/** The advisory trigger's refusal (SQLSTATE RK001, ADR 0022) as the client should read it. */
async function refusingAdvisories<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const code = (e as { driverError?: { code?: string } }).driverError?.code;
    if (code === 'RK001') throw new ForbiddenError('Only the coordinator issues advisories');
    throw e;
  }
}

function sectionsOf(input: ReportInput): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of SECTION_FIELDS) if (input[f] !== undefined) out[f] = input[f] || null;
  return out;
}

function timelineOf(input: ReportInput): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input.timeline ?? {}))
    out[k] = v ? (v as Date).toISOString() : null;
  return out;
}

function searchText(title: string, sections: Record<string, string | null>): string {
  return [title, ...Object.values(sections)].filter(Boolean).join('\n').toLowerCase();
}

/**
 * Date filters compare the publication time as shown (`rounded`: rounded for anonymous reports,
 * ADR 0017): bisecting with publishedAfter must not recover an anonymous report's exact minute.
 */
function whereOf(f: ReportFilter, rounded: string): { where: string; params: unknown[] } {
  const clauses = ['true'];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    clauses.push(sql.replace('$?', `$${params.length}`));
  };
  if (f.kind) add('kind = $?', f.kind);
  if (f.category) add('$? = ANY (categories)', f.category);
  if (f.sector) add('$? = ANY (affected_sectors)', f.sector);
  if (f.tlp) add('tlp = $?', f.tlp);
  if (f.status) add('status = $?', f.status);
  if (f.publishedAfter) add(`${rounded} >= $?`, f.publishedAfter);
  if (f.publishedBefore) add(`${rounded} < $?`, f.publishedBefore);
  if (f.text)
    add(
      `search_text LIKE $? ESCAPE '\\'`,
      `%${f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    );
  return { where: clauses.join(' AND '), params };
}

/** '2026-Q4' as it is; a month '2026-11' as its quarter '2026-Q4'. */
function quarterOf(period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  return month ? `${month[1]}-Q${Math.ceil(Number(month[2]) / 3)}` : period;
}
