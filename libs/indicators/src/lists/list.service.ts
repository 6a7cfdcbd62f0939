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
  HUB_CONFIG,
  HubConfig,
  importedLines,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  Page,
  toPage,
} from '@renkei/platform';
import {
  AudienceService,
  AuthorContext,
  authorNamed,
  HubEventKind,
  loadScrubContext,
  PolicyPrincipal,
  PublicationBoundary,
  recordEvent,
  ScopedDatabase,
  scopeOf,
  scrubberFor,
  TlpMarking,
} from '@renkei/sharing';
import { ChangeNotifications, lockCommitOrder } from '@renkei/platform';
import ipaddr from 'ipaddr.js';
import { DataSource, EntityManager } from 'typeorm';
import { AllowList, AllowedRange } from '../feeds/allow-list';
import { guardEntries } from '../feeds/feed-guard';
import { FeedGuardService, ServedSpace } from '../feeds/feed-guard.service';
import { EntryError, EntryRow, LINES_PER_TURN } from '../imports/entry-input';
import { copyLines, copyParts, copyRows, execute } from '../imports/copy-rows';
import { diffWithList, listText } from '../imports/list-diff';
import { BatchTimePaths, batchTimeProblems, boundEntryTimes } from '../imports/entry-times';
import { everyInTurns, firstInTurns, mapInTurns, partsInTurns } from '../imports/in-turns';
import { sortedRanges, sortInTurns, uniqueSorted } from '../imports/sort-in-turns';
import { countBetween, roundedModified } from '../stix/versions';
import { IndicatorType, parseIndicator } from '../values/indicator-value';
import {
  EntryImportResult,
  FeedPull,
  EntryProblem,
  Indicator,
  IndicatorKind,
  IndicatorList,
  IndicatorListFilter,
  IndicatorListInput,
  ListEntry,
  ListEntryFilter,
  ListStatus,
  RemoveEntriesResult,
} from './list.models';
import { LiveCounts } from './live-counts';

export interface ListRow {
  id: string;
  seq: number;
  owner_org_id: string;
  author_user_id: string | null;
  name: string;
  description: string;
  status: ListStatus;
  tlp: TlpMarking;
  audience_orgs: string[];
  audience_sectors: string[];
  audience_groups: string[];
  red_users: string[];
  red_recipient_emails: string[];
  anonymous: boolean;
  reveal_to_coordinators: boolean;
  sectors: string[];
  default_validity_days: number | null;
  report_id: string | null;
  revision: number;
  retraction_reason: string | null;
  /** The change (a raised marking, a retraction) that made the last version of every entry. */
  stix_change_id: string | null;
  created_at: Date;
  updated_at: Date;
  exercise: string | null;
  /** Raised with every change of the list's entries (migration FeedVersions); bigint as text. */
  feed_version: string;
}

/** What a bulk add needs besides the parsed lines. */
export interface EntryBatchOptions {
  source: 'text' | 'csv' | 'stix' | 'api';
  partial: boolean;
  confidence?: number;
  seenAt?: Date;
  validityDays?: number;
  tags?: string[];
  note?: string;
  reportId?: string;
  /** How many rejected lines to list (all are counted); GraphQL answers list 1,000. */
  listRejected?: number;
  /** How the caller's surface names seenAt and validityDays in errors; default their own names. */
  paths?: BatchTimePaths;
}

const MAX_LISTED_PROBLEMS = 1000;
/** Up to this many values travel with a `list.entries_added` event; more are read at delivery. */
const EVENT_VALUES = 10_000;
/**
 * A re-post that leaves out more of the list's values than this is merged through the staging
 * table: the whole-list update passes the left-out values as one array parameter.
 */
const MAX_NOT_REPOSTED = 100_000;
const DAY_MS = 86_400_000;
/** Why an organisation's own ranges are allowed (its own feeds only). */
const OWN_RANGE = "your organisation's own address range";

const VALIDITY_KIND: Record<IndicatorType, keyof HubConfig['indicators']['validityDays']> = {
  ipv4: 'ip',
  ipv6: 'ip',
  'ipv4-cidr': 'cidr',
  'ipv6-cidr': 'cidr',
  domain: 'domain',
  url: 'url',
  email: 'email',
  md5: 'hash',
  sha1: 'hash',
  sha256: 'hash',
};

/** The effective properties of an entry: its own where it has them, else its last batch's. */
export const ENTRY_COLUMNS = `e.value, e.type,
  coalesce(e.confidence, lb.confidence)::int AS confidence,
  coalesce(e.first_seen, fb.seen_at) AS first_seen,
  coalesce(e.last_seen, lb.seen_at) AS last_seen,
  coalesce(e.valid_until, lb.valid_until) AS valid_until,
  coalesce(e.tags, lb.tags) AS tags,
  coalesce(e.note, lb.note) AS note,
  lb.report_id`;
export const ENTRY_JOINS = `JOIN entry_batch lb ON lb.id = e.last_batch
  JOIN entry_batch fb ON fb.id = e.first_batch`;

interface EntryDbRow {
  value: string;
  type: IndicatorType;
  confidence: number;
  first_seen: Date;
  last_seen: Date;
  valid_until: Date;
  tags: string[];
  note: string | null;
  report_id: string | null;
}

/**
 * Indicator lists under TLP 2.0, on the reports' rules (ADR 0006/0007): every statement runs
 * through ScopedDatabase, so a list the caller may not see does not exist for it, nor do its
 * entries. Lists are published when created; retracting one keeps it readable but takes its
 * entries out of every feed. Entries arrive in batches (ADR 0008), all-or-nothing unless the
 * caller asks for a partial import.
 */
@Injectable()
export class ListService {
  private copyAllowed?: Promise<boolean>;
  /** Live-entry counts of the read paths, per list version (ADR 0033). */
  private readonly liveCache = new LiveCounts();

  constructor(
    private readonly scoped: ScopedDatabase,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
    private readonly audience: AudienceService,
    private readonly boundary: PublicationBoundary,
    private readonly changes: ChangeNotifications,
    private readonly guard: FeedGuardService,
  ) {}

  scopeOf(p: AnyPrincipal): PolicyPrincipal {
    return scopeOf(p);
  }

  /**
   * A change under the caller's policy; once committed, this process's feeds stop trusting
   * their cached change counter (the database notifies every instance too, a moment later).
   */
  private async write<T>(p: AnyPrincipal, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const scope = this.scopeOf(p);
    try {
      return await this.scoped.run(scope, async (tx) => {
        // One write of an organisation's lists at a time, and only then the feed's counter:
        // a member's parallel imports queue on their own organisation, not on the hub-wide
        // counter ahead of every other organisation's writes (attack pass 8). Then the counter
        // before the list (migration FeedLockFirst): every writer of lists and entries takes
        // them in that order, so none waits in a circle (ADR 0043).
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          ORGANISATION_WRITE_LOCK,
          scope.orgId,
        ]);
        await tx.query('SELECT renkei_take_feed()');
        await showWithheld(tx);
        return work(tx);
      });
    } finally {
      this.changes.changedHere('renkei_feed');
    }
  }

  // --- lists ---------------------------------------------------------------------------------

  async create(p: Principal, input: IndicatorListInput): Promise<IndicatorList> {
    this.assertMayWrite(p);
    const errors: FieldError[] = [];
    if (!input.name?.trim()) errors.push({ path: 'input.name', message: 'is required' });
    if (!input.tlp) {
      errors.push({
        path: 'input.tlp',
        message: 'is required: the marking is set when the list is created',
      });
    }
    const tlp = input.tlp ?? TlpMarking.GREEN;
    const audience = await this.audience.resolve(tlp, input.audience, errors);
    await this.checkSectors(input.sectors ?? [], errors);
    if (errors.length) throw new BadInputError(errors);
    const anonymous = input.anonymous ?? true;
    const sectors = input.sectors?.length
      ? [...new Set(input.sectors)]
      : await this.defaultSectors(p.organisationId, anonymous).then((d) => d.sectors);
    try {
      return await this.write(p, async (tx) => {
        await this.checkReport(tx, input.reportId, 'input.reportId');
        // The drill's name is read by every reader of the list: scrubbed whatever the list is.
        const scrub =
          anonymous || input.exercise?.trim()
            ? await this.textScrubber(tx, p.organisationId)
            : keepText;
        const text = anonymous ? scrub : keepText;
        const exercise = input.exercise?.trim() ? scrub(input.exercise.trim()) : null;
        const [row]: ListRow[] = await tx.query(
          `INSERT INTO indicator_list (owner_org_id, author_user_id, name, description, tlp, audience_orgs,
             audience_sectors, audience_groups, red_users, red_recipient_emails, anonymous, reveal_to_coordinators,
             sectors, default_validity_days, report_id, exercise)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING *`,
          [
            p.organisationId,
            p.userId,
            text(input.name!.trim()),
            text(input.description?.trim() ?? ''),
            tlp,
            audience.orgs,
            audience.sectors,
            audience.groups,
            audience.redUsers,
            audience.redEmails,
            anonymous,
            input.revealToCoordinators ?? false,
            sectors,
            input.defaultValidityDays ?? null,
            input.reportId ?? null,
            exercise,
          ],
        );
        await this.event(tx, 'list.created', row);
        return this.view(tx, row, this.scopeOf(p));
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          'Your organisation already has a list with this name',
          'input.name',
        );
      }
      throw e;
    }
  }

  /**
   * Name, description, sectors, validity; anonymity until the first entry is added; the
   * marking may be raised or the audience narrowed, never widened (those who saw the list may
   * have copied it already). A raised marking makes a new STIX version of every entry (ADR
   * 0009); the author of what was shared cannot change (one STIX id has one creator), nor the
   * report a list names once set.
   */
  async update(p: Principal, id: string, input: IndicatorListInput): Promise<IndicatorList> {
    this.assertMayWrite(p);
    const errors: FieldError[] = [];
    if (input.exercise !== undefined) {
      errors.push({
        path: 'input.exercise',
        message: 'is set when the list is created, not later',
      });
    }
    if (input.name !== undefined && !input.name.trim()) {
      errors.push({ path: 'input.name', message: 'must not be empty' });
    }
    await this.checkSectors(input.sectors ?? [], errors);
    // Read before the transaction (on another connection): a list made anonymous loses the
    // author's sector it was given by default, under the same rule as at creation.
    const sectorRule =
      input.anonymous === true && !input.sectors?.length
        ? await this.defaultSectors(p.organisationId, true)
        : null;
    return this.write(p, async (tx) => {
      const current = await this.ownRow(tx, p.organisationId, id);
      if (current.status === ListStatus.RETRACTED) {
        throw new ConflictError('A retracted list cannot be changed');
      }
      const tlp = input.tlp ?? current.tlp;
      const audience =
        input.audience || input.tlp
          ? await this.audience.resolve(
              tlp,
              input.audience ?? {
                organisationIds: current.audience_orgs,
                sectorCodes: current.audience_sectors,
                groupIds: current.audience_groups,
                redRecipientEmails: current.red_recipient_emails,
              },
              errors,
            )
          : null;
      await this.checkReport(tx, input.reportId, 'input.reportId');
      await this.checkStixIdentity(tx, current, input, errors);
      if (errors.length) throw new BadInputError(errors);
      // Anonymous from now on: the name and description others read are scrubbed, including
      // those written while the list was named.
      const anonymous = input.anonymous ?? current.anonymous;
      const text = anonymous ? await this.textScrubber(tx, p.organisationId) : keepText;
      const name = input.name?.trim() ?? (anonymous && !current.anonymous ? current.name : null);
      const description =
        input.description?.trim() ?? (anonymous && !current.anonymous ? current.description : null);
      if (audience && (await this.audience.widens(current, tlp, audience))) {
        throw new BadInputError([
          {
            path: 'input.tlp',
            message:
              'would show the list to readers who could not see it; a marking can only be raised ' +
              'or its audience narrowed (create a new list for a wider audience)',
          },
        ]);
      }
      try {
        const [[row]]: [ListRow[], number] = await tx.query(
          `UPDATE indicator_list SET
             name = coalesce($2, name), description = coalesce($3, description), tlp = $4,
             audience_orgs = coalesce($5, audience_orgs), audience_sectors = coalesce($6, audience_sectors),
             audience_groups = coalesce($7, audience_groups), red_users = coalesce($8, red_users),
             red_recipient_emails = coalesce($9, red_recipient_emails),
             anonymous = coalesce($10, anonymous), reveal_to_coordinators = coalesce($11, reveal_to_coordinators),
             sectors = coalesce($12, sectors), default_validity_days = coalesce($13, default_validity_days),
             report_id = coalesce($14, report_id), revision = revision + 1, updated_at = now()
           WHERE id = $1 RETURNING *`,
          [
            id,
            name === null ? null : text(name),
            description === null ? null : text(description),
            tlp,
            audience?.orgs ?? null,
            audience?.sectors ?? null,
            audience?.groups ?? null,
            audience?.redUsers ?? null,
            audience?.redEmails ?? null,
            input.anonymous ?? null,
            input.revealToCoordinators ?? null,
            input.sectors?.length
              ? [...new Set(input.sectors)]
              : sectorRule &&
                  !current.anonymous &&
                  !sectorRule.sectors.length &&
                  current.sectors.join() === sectorRule.own
                ? []
                : null,
            input.defaultValidityDays ?? null,
            input.reportId ?? null,
          ],
        );
        // A new marking is a new version of every indicator; a new link, of the report.
        if (row.tlp !== current.tlp || row.report_id !== current.report_id) {
          const change = await this.stixChange(
            tx,
            row,
            row.tlp !== current.tlp ? 'marking' : 'linked',
          );
          if (row.tlp !== current.tlp) {
            await tx.query('UPDATE indicator_list SET stix_change_id = $2 WHERE id = $1', [
              id,
              change,
            ]);
          }
          await this.stampChange(tx, change);
        }
        await this.event(tx, 'list.updated', row);
        return this.view(tx, row, this.scopeOf(p));
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new ConflictError(
            'Your organisation already has a list with this name',
            'input.name',
          );
        }
        throw e;
      }
    });
  }

  /** Takes the list out of every feed at once; readers still see it, marked retracted. */
  async retract(p: Principal, id: string, reason: string): Promise<IndicatorList> {
    this.assertMayWrite(p);
    if (!reason?.trim()) throw new BadInputError([{ path: 'reason', message: 'is required' }]);
    const view = await this.write(p, async (tx) => {
      const current = await this.ownRow(tx, p.organisationId, id);
      if (current.status === ListStatus.RETRACTED) throw new ConflictError('Already retracted');
      // Every indicator of the list gets its last, revoked version (ADR 0009).
      const change = await this.stixChange(tx, current, 'retracted');
      const [[row]]: [ListRow[], number] = await tx.query(
        `UPDATE indicator_list SET status = 'retracted', retraction_reason = $2, revision = revision + 1,
           stix_change_id = $3, updated_at = now() WHERE id = $1 RETURNING *`,
        [
          id,
          (current.anonymous ? await this.textScrubber(tx, p.organisationId) : keepText)(
            reason.trim().slice(0, 2000),
          ),
          change,
        ],
      );
      await this.stampChange(tx, change);
      await this.event(tx, 'list.retracted', row, { reason: row.retraction_reason });
      return this.view(tx, row, this.scopeOf(p));
    });
    await this.audit.record({
      action: AuditAction.LIST_RETRACTED,
      outcome: 'success',
      actorUserId: p.userId,
      actorOrganisationId: p.organisationId,
      organisationId: p.organisationId,
      targetType: 'indicator_list',
      targetId: id,
    });
    return view;
  }

  /**
   * Every entry expires now (the list stays, and takes new entries). Each live entry takes the
   * expiry as its own and points to the change, which makes its new STIX version (ADR 0009). A
   * retracted list's indicators are revoked already, and a revoked object has no later version.
   */
  async expire(p: Principal, id: string): Promise<IndicatorList> {
    this.assertMayWrite(p);
    return this.write(p, async (tx) => {
      const current = await this.ownRow(tx, p.organisationId, id);
      if (current.status === ListStatus.RETRACTED) {
        throw new ConflictError('A retracted list cannot be changed');
      }
      const change = await this.stixChange(tx, current, 'expired');
      const [, expired] = await tx.query(
        `UPDATE list_entry e SET valid_until = now(), stix_change_id = $2
           FROM entry_batch lb
          WHERE e.list_seq = $1 AND lb.id = e.last_batch
            AND coalesce(e.valid_until, lb.valid_until) > now()`,
        [current.seq, change],
      );
      await tx.query(
        `UPDATE entry_batch SET valid_until = now() WHERE list_seq = $1 AND valid_until > now()`,
        [current.seq],
      );
      const [[row]]: [ListRow[], number] = await tx.query(
        `UPDATE indicator_list SET updated_at = now() WHERE id = $1 RETURNING *`,
        [id],
      );
      await this.stampChange(tx, change);
      await this.event(tx, 'list.expired', row, { overrides: expired });
      return this.view(tx, row, this.scopeOf(p));
    });
  }

  async get(p: AnyPrincipal, id: string): Promise<IndicatorList> {
    return this.scoped.run(this.scopeOf(p), async (tx) =>
      this.view(tx, await this.visibleRow(tx, id), this.scopeOf(p)),
    );
  }

  async list(
    p: AnyPrincipal,
    filter: IndicatorListFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<IndicatorList>> {
    if (filter.reportId !== undefined) {
      return this.listByReport(p, filter.reportId, filter, first, after);
    }
    const scope = this.scopeOf(p);
    return this.scoped.run(scope, async (tx) => {
      const { where, params } = listWhere(filter, scope.orgId);
      const [{ count }] = await tx.query(
        `SELECT count(*)::int AS count FROM indicator_list WHERE ${where}`,
        params,
      );
      const page = [...params];
      let keyset = '';
      if (after) {
        const [name, id] = decodeCursor(after, 2);
        page.push(name, id);
        keyset = `AND (lower(name), id::text) > ($${page.length - 1}, $${page.length})`;
      }
      page.push(first + 1);
      const rows: ListRow[] = await tx.query(
        `SELECT * FROM indicator_list WHERE ${where} ${keyset}
          ORDER BY lower(name), id::text LIMIT $${page.length}`,
        page,
      );
      return toPage(await this.views(tx, scope, rows), first, count, keyOf);
    });
  }

  /**
   * The lists naming one report, as the reader is shown the link: matched on the view, after
   * the publication boundary withheld the links only two organisations could have made (ADR
   * 0018), so the filter never tells a reader what the list's own reportId field withholds. A
   * report is named by a handful of lists; they are read whole and paged here.
   */
  private async listByReport(
    p: AnyPrincipal,
    reportId: string,
    filter: IndicatorListFilter,
    first: number,
    after?: string,
  ): Promise<Page<IndicatorList>> {
    const scope = this.scopeOf(p);
    if (!isUuid(reportId)) return toPage([], first, 0, keyOf);
    return this.scoped.run(scope, async (tx) => {
      const { where, params } = listWhere(filter, scope.orgId, reportId);
      const rows: ListRow[] = await tx.query(`SELECT * FROM indicator_list WHERE ${where}`, params);
      const shown = (await this.views(tx, scope, rows))
        .filter((v) => v.reportId === reportId)
        // Paged by the cursor's comparison below, so ordered by it too (not the collation's).
        .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
      const from = after ? (decodeCursor(after, 2).map(String) as [string, string]) : null;
      const rest = from ? shown.filter((v) => compareKeys(keyOf(v), from) > 0) : shown;
      return toPage(rest.slice(0, first + 1), first, shown.length, keyOf);
    });
  }

  private async views(
    tx: EntityManager,
    scope: PolicyPrincipal,
    rows: ListRow[],
  ): Promise<IndicatorList[]> {
    const ctx = await this.boundary.authorContext(
      tx,
      scope,
      rows.map((r) => r.owner_org_id),
      rows.map((r) => r.report_id),
    );
    // Only read paths come here (list, listByReport): see LiveCounts for why writes may not.
    const live = await this.liveCache.of(tx, rows);
    return rows.map((r) => this.toView(r, ctx, live.get(r.seq) ?? 0));
  }

  async entries(
    p: AnyPrincipal,
    listId: string,
    filter: ListEntryFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<ListEntry>> {
    return this.scoped.run(this.scopeOf(p), async (tx) => {
      await showWithheld(tx);
      const list = await this.visibleRow(tx, listId);
      const clauses = ['e.list_seq = $1'];
      const params: unknown[] = [list.seq];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        clauses.push(sql.replace('$?', `$${params.length}`));
      };
      if (!filter.includeExpired) clauses.push('coalesce(e.valid_until, lb.valid_until) > now()');
      if (filter.type) add('e.type = $?', filter.type);
      if (filter.text)
        add(`e.value LIKE $? ESCAPE '\\'`, `%${escapeLike(filter.text.toLowerCase())}%`);
      const where = clauses.join(' AND ');
      const [{ count }] = await tx.query(
        `SELECT count(*)::int AS count FROM list_entry e JOIN entry_batch lb ON lb.id = e.last_batch WHERE ${where}`,
        params,
      );
      const page = [...params];
      let keyset = '';
      if (after) {
        const [value] = decodeCursor(after, 1);
        page.push(value);
        keyset = `AND e.value > $${page.length}`;
      }
      page.push(first + 1);
      const rows: EntryDbRow[] = await tx.query(
        `SELECT ${ENTRY_COLUMNS} FROM list_entry e ${ENTRY_JOINS}
          WHERE ${where} ${keyset} ORDER BY e.value LIMIT $${page.length}`,
        page,
      );
      const { round } = await this.rounding(tx, this.scopeOf(p), list);
      const ctx = await this.boundary.authorContext(
        tx,
        this.scopeOf(p),
        [list.owner_org_id],
        rows.map((r) => r.report_id),
      );
      return toPage(
        rows.map((r) => ({
          ...entryView(r),
          reportId: this.shownReport(ctx, list, r.report_id),
          firstSeen: round(r.first_seen),
          lastSeen: round(r.last_seen),
          // The sighting time plus a validity: shown exactly, it would give the time away.
          validUntil: round(r.valid_until),
        })),
        first,
        count,
        (e) => [e.value],
      );
    });
  }

  /** One value and every sighting of it the caller may see; null when there is none. */
  async indicator(p: AnyPrincipal, value: string): Promise<Indicator | null> {
    const parsed = parseIndicator(value, { hostBits: 'mask' });
    if (!parsed.ok) throw new BadInputError([{ path: 'value', message: parsed.message }]);
    const scope = this.scopeOf(p);
    return this.scoped.run(scope, async (tx) => {
      const rows: (EntryDbRow & ListRow & { list_id: string })[] = await tx.query(
        `SELECT ${ENTRY_COLUMNS}, l.id AS list_id, l.name, l.tlp, l.owner_org_id, l.anonymous,
                l.reveal_to_coordinators
           FROM list_entry e ${ENTRY_JOINS} JOIN indicator_list l ON l.seq = e.list_seq
          WHERE e.value = $1 ORDER BY lb.seen_at DESC, l.id`,
        [parsed.value],
      );
      if (!rows.length) return null;
      const ctx = await this.boundary.authorContext(
        tx,
        scope,
        rows.map((r) => r.owner_org_id),
        rows.map((r) => r.report_id),
      );
      const sightings = rows.map((r) => {
        const author = this.boundary.author(
          ctx,
          r.owner_org_id,
          r.anonymous,
          r.reveal_to_coordinators,
        );
        return {
          ...entryView(r),
          reportId: this.shownReport(ctx, r, r.report_id),
          listId: r.list_id,
          listName: r.name,
          tlp: r.tlp,
          author,
          lastSeen: this.boundary.time(author, r.last_seen),
          firstSeen: this.boundary.time(author, r.first_seen),
          validUntil: this.boundary.time(author, r.valid_until),
        };
      });
      return {
        value: parsed.value,
        type: parsed.type as IndicatorKind,
        confidence: Math.max(...sightings.map((s) => s.confidence)),
        firstSeen: new Date(Math.min(...sightings.map((s) => s.firstSeen.getTime()))),
        lastSeen: new Date(Math.max(...sightings.map((s) => s.lastSeen.getTime()))),
        validUntil: new Date(Math.max(...sightings.map((s) => s.validUntil.getTime()))),
        sightings,
      };
    });
  }

  /** The values a batch added or sighted again that still name it as their last sighting. */
  async batchValues(p: AnyPrincipal, listId: string, batchId: number): Promise<string[]> {
    return this.scoped.run(this.scopeOf(p), async (tx) => {
      const list = await this.visibleRow(tx, listId);
      const rows: { value: string }[] = await tx.query(
        'SELECT value FROM list_entry WHERE list_seq = $1 AND last_batch = $2 ORDER BY value',
        [list.seq, batchId],
      );
      return rows.map((r) => r.value);
    });
  }

  // --- STIX and TAXII -----------------------------------------------------------------------

  /**
   * The TLP of a list the caller may see, read before a STIX import is parsed: objects marked
   * stricter are refused (ADR 0009). A list's marking only ever rises, so a list raised between
   * this read and the import is compared with a lower level, which can refuse too much but
   * never lets in too much. Unknown and hidden lists are NOT_FOUND, as for the import itself.
   */
  async stixImportTlp(p: AnyPrincipal, listId: string): Promise<TlpMarking> {
    return this.scoped.run(this.scopeOf(p), async (tx) => (await this.visibleRow(tx, listId)).tlp);
  }

  /**
   * Refuses, before an import's body is read, a caller that could not add to the list (a
   * viewer, another organisation, a list it cannot see): only the owner's writers make the hub
   * read up to IMPORT_BODY_LIMIT. addEntries checks again under its lock. Answers the list's TLP.
   */
  async assertMayAddEntries(p: AnyPrincipal, listId: string): Promise<TlpMarking> {
    if (p.kind === 'user') this.assertMayWrite(p);
    const scope = this.scopeOf(p);
    return this.scoped.run(scope, async (tx) => {
      const row = await this.visibleRow(tx, listId);
      if (row.owner_org_id !== scope.orgId) {
        throw new ForbiddenError('Only the owner organisation adds to a list');
      }
      return row.tlp;
    });
  }

  /**
   * Lists the caller may see that TAXII offers, never RED: published ones, and retracted ones,
   * whose indicators are served revoked (ADR 0009). `firstAddedAt`: the date added of the
   * list's first batch (microseconds, UTC), when the author's identity joins the collection;
   * null while nothing was added.
   */
  async forStix(p: AnyPrincipal): Promise<StixList[]> {
    const scope = this.scopeOf(p);
    return this.scoped.run(scope, async (tx) => {
      const rows: (ListRow & { first_added_at: string | null })[] = await tx.query(
        `SELECT l.*, (SELECT ${microsText('min(b.committed_at)')} FROM entry_batch b
                        WHERE b.list_seq = l.seq) AS first_added_at
           FROM indicator_list l WHERE l.status IN ('published', 'retracted') AND l.tlp <> 'RED'
            AND l.exercise IS NULL
          ORDER BY lower(l.name), l.id`,
      );
      const ctx = await this.boundary.authorContext(
        tx,
        scope,
        rows.map((r) => r.owner_org_id),
        rows.map((r) => r.report_id),
      );
      return rows.map((r) => ({ ...this.toView(r, ctx, 0), firstAddedAt: r.first_added_at }));
    });
  }

  /**
   * The STIX versions of a visible list's indicators, in the order they were added (commit
   * order, ADR 0008/0009), after a position: each current entry in its newest version (revoked
   * when the list is retracted) and, unless `current`, the tombstones of removed entries
   * (revoked) that a reader may still need. `addedAt` is TAXII's date added, exact to the
   * microsecond; what the object says (created, modified, valid_from, valid_until) is rounded
   * behind a pseudonym (ADR 0007, 0017), `modified` plus one millisecond per change of the list
   * within the rounding step so that two versions never share it (stix/versions.ts). `limit`
   * undefined: all.
   *
   * A tombstone is served only while its entry would still have been valid (after that every
   * consumer has expired it anyway), and only to organisations that existed when the entry was
   * removed: one that joined later never could have seen the entry, and learns nothing of it.
   */
  async stixEntries(
    p: AnyPrincipal,
    listId: string,
    opts: {
      after?: { addedAt: string; value: string; firstBatch: number };
      addedAfter?: string;
      limit?: number;
      current?: boolean;
    },
  ): Promise<StixEntryVersion[]> {
    const scope = this.scopeOf(p);
    return this.scoped.run(scope, async (tx) => {
      const list = await this.visibleRow(tx, listId);
      // A drill's indicators never reach another organisation as STIX (feeds, TAXII, exports):
      // to them an exercise list does not exist (ADR 0022; the attack pass found the export
      // serving one). Its owner may still export its own drill.
      if (list.exercise && list.owner_org_id !== scope.orgId) throw new NotFoundError('List');
      const rows =
        opts.limit === undefined
          ? await this.stixRows(tx, list, scope.orgId, opts, null)
          : await this.stixPage(tx, list, scope.orgId, { ...opts, limit: opts.limit });
      // Exact where the reader is shown who wrote the list (its own, or not anonymous).
      const { named: exactTimes, round } = await this.rounding(tx, scope, list);
      const events = exactTimes ? [] : await this.listEvents(tx, [list.seq], rows, round);
      const step = this.boundary.roundingStepMs;
      return rows.map((r) => {
        const versionUs = Number(r.version_us);
        const exact = new Date(Math.floor(versionUs / 1000));
        return {
          ...entryView(r),
          firstSeen: round(r.first_seen),
          lastSeen: round(r.last_seen),
          validUntil: round(r.valid_until),
          firstBatch: r.first_batch,
          addedAt: r.added_at,
          versionUs,
          createdAt: round(r.created_at),
          modifiedAt: exactTimes
            ? exact
            : roundedModified(versionUs, round, step, (from) =>
                countBetween(events, from, versionUs),
              ),
          tlp: r.tlp,
          removed: r.removed,
          revoked: r.removed || list.status === ListStatus.RETRACTED,
        };
      });
    });
  }

  /**
   * A page of `stixEntries`, costing the page and the list's versions rather than every entry:
   * an entry's version is the commit time of its last batch, of its expiry or of the list's own
   * change (a raised marking, a retraction), whichever is latest, so the versions a page can
   * hold are the commit times of the list's batches and changes (few, indexed). They are walked
   * in order and each one's entries read in key order (value, then first batch) up to what the
   * page still needs: the same rows, in the same order, as sorting every entry (ADR 0035).
   */
  private async stixPage(
    tx: EntityManager,
    list: ListRow,
    orgId: string,
    opts: StixRowsOptions & { limit: number },
  ): Promise<StixEntryRow[]> {
    const params: unknown[] = [list.seq];
    const param = (value: unknown) => `$${params.push(value)}`;
    const clauses = [];
    // The position's own time, compared as PostgreSQL reads it (not as text).
    const resumes = opts.after ? `x.at = ${param(opts.after.addedAt)}::timestamptz` : 'false';
    if (opts.after) clauses.push(`x.at >= $2::timestamptz`);
    if (opts.addedAfter)
      clauses.push(addedAfterClause('x.at', param, this.config, opts.addedAfter));
    // A link to a report makes a version of the report only (stix-versions migration).
    const groups: VersionTime[] = await tx.query(
      `SELECT ${microsText('x.at')} AS at, ${resumes} AS resumes,
              coalesce(array_agg(x.batch) FILTER (WHERE x.batch IS NOT NULL), '{}') AS batches,
              coalesce(array_agg(x.change::text) FILTER (WHERE x.change IS NOT NULL), '{}') AS changes
         FROM (SELECT b.committed_at AS at, b.id AS batch, NULL::bigint AS change
                 FROM entry_batch b WHERE b.list_seq = $1 AND b.committed_at IS NOT NULL
               UNION ALL
               SELECT c.committed_at, NULL, c.id FROM stix_change c
                WHERE c.list_seq = $1 AND c.committed_at IS NOT NULL AND c.kind <> 'linked') x
        ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
        GROUP BY x.at ORDER BY x.at`,
      params,
    );
    const rows: StixEntryRow[] = [];
    const listChange = list.stix_change_id === null ? null : String(list.stix_change_id);
    const listChangeAt = groups.findIndex(
      (g) => listChange !== null && g.changes.includes(listChange),
    );
    for (let i = 0; i < groups.length && rows.length < opts.limit; i++) {
      const later = groups.slice(i + 1);
      const group = {
        ...groups[i],
        listWide: i === listChangeAt,
        // Before the list's own change, every entry's version is that change or later.
        entries: i >= listChangeAt,
        laterBatches: later.flatMap((g) => g.batches),
        laterChanges: later.flatMap((g) => g.changes),
      };
      let after = group.resumes ? opts.after : undefined;
      for (;;) {
        const need = opts.limit - rows.length;
        const found = await this.stixRows(tx, list, orgId, { after, limit: need }, group);
        // Read in another snapshot than the times: an entry changed since has a later version,
        // served with that time on a later page; one left out here.
        const kept = found.filter((r) => r.added_at === group.at);
        rows.push(...kept);
        if (found.length < need || kept.length === found.length) break;
        const last = found[found.length - 1];
        after = { addedAt: group.at, value: last.value, firstBatch: last.first_batch };
      }
    }
    return rows;
  }

  /**
   * STIX versions of a list's entries in date-added order: every one after `opts.after`, or,
   * given a `group`, those whose version is the group's commit time (then `after` is a position
   * within it). A group names what may have made a version at its time: its batches, its
   * changes (an expiry, a removal, or the list's own change, which concerns every entry).
   */
  private async stixRows(
    tx: EntityManager,
    list: ListRow,
    orgId: string,
    opts: StixRowsOptions,
    group: VersionGroup | null,
  ): Promise<StixEntryRow[]> {
    const params: unknown[] = [list.seq, list.stix_change_id, list.tlp];
    const param = (value: unknown) => `$${params.push(value)}`;
    const clauses = ['true'];
    const tombstoneClauses = ['true'];
    const limit = opts.limit === undefined ? '' : `LIMIT ${param(opts.limit)}`;
    let entries = 'list_entry';
    let order = 'v.version_at, v.value, v.first_batch';
    if (group) {
      const at = `${param(group.at)}::timestamptz`;
      order = 'v.value, v.first_batch';
      const position = (alias: string) => {
        if (!opts.after) return '';
        const value = param(opts.after.value);
        const firstBatch = param(opts.after.firstBatch);
        return `AND ${alias}.value >= ${value} AND (${alias}.value, ${alias}.first_batch) > (${value}, ${firstBatch}::int)`;
      };
      // The entries whose version is this time, on their own columns and in key order, so that
      // PostgreSQL walks the primary key and stops at the page: one of their batch or change
      // was committed then (or the list's own change, which concerns every entry) and none
      // later. The caller drops what a commit since the times were read moved on.
      const own = group.listWide
        ? 'true'
        : `(e.last_batch = ANY(${param(group.batches)}::int[]) OR e.stix_change_id = ANY(${param(group.changes)}::bigint[]))`;
      entries = `(SELECT * FROM list_entry e
          WHERE e.list_seq = $1 AND ${group.entries} ${position('e')} AND ${own}
            AND e.last_batch <> ALL(${param(group.laterBatches)}::int[])
            AND (e.stix_change_id IS NULL OR e.stix_change_id <> ALL(${param(group.laterChanges)}::bigint[]))
          ORDER BY e.value ${limit})`;
      tombstoneClauses.push(`c.committed_at = ${at} ${position('t')}`);
    } else if (opts.after) {
      const { addedAt, value, firstBatch } = opts.after;
      clauses.push(
        `(v.version_at, v.value, v.first_batch) > (${param(addedAt)}::timestamptz, ${param(value)}, ${param(firstBatch)}::int)`,
      );
    }
    if (!group && opts.addedAfter) {
      clauses.push(addedAfterClause('v.version_at', param, this.config, opts.addedAfter));
    }
    // Within a group each part is read in key order, as far as the page needs.
    const partLimit = group ? `ORDER BY 1, 3 ${limit}` : '';
    const tombstones = opts.current
      ? ''
      : `UNION ALL
         (SELECT t.value, t.type, t.first_batch, t.confidence::int, t.first_seen, t.last_seen,
                t.valid_until, t.tags, t.note, t.report_id, t.created_at, c.committed_at, t.tlp, true
           FROM stix_tombstone t JOIN stix_change c ON c.id = t.change_id
          WHERE t.list_seq = $1 AND c.committed_at IS NOT NULL AND t.valid_until > now()
            AND c.committed_at >= (SELECT o.created_at FROM organisation o WHERE o.id = ${param(orgId)})
            AND ${tombstoneClauses.join(' AND ')}
          ${partLimit})`;
    return tx.query(
      `SELECT v.*, ${microsText('v.version_at')} AS added_at,
              (extract(epoch FROM v.version_at) * 1000000)::bigint::text AS version_us
         FROM (
           (SELECT e.value, e.type, e.first_batch,
                  coalesce(e.confidence, lb.confidence)::int AS confidence,
                  coalesce(e.first_seen, fb.seen_at) AS first_seen,
                  coalesce(e.last_seen, lb.seen_at) AS last_seen,
                  coalesce(e.valid_until, lb.valid_until) AS valid_until,
                  coalesce(e.tags, lb.tags) AS tags,
                  coalesce(e.note, lb.note) AS note,
                  lb.report_id, fb.committed_at AS created_at,
                  ${ENTRY_VERSION} AS version_at,
                  $3::text AS tlp, false AS removed
             FROM ${entries} e
             -- An entry's batches are of its list (renkei_list_entry_check): saying so lets
             -- PostgreSQL find them by the list's index rather than scan every visible batch.
             JOIN entry_batch lb ON lb.id = e.last_batch AND lb.list_seq = $1
             JOIN entry_batch fb ON fb.id = e.first_batch AND fb.list_seq = $1
             LEFT JOIN stix_change ec ON ec.id = e.stix_change_id
             LEFT JOIN stix_change lc ON lc.id = $2::bigint
            WHERE e.list_seq = $1 AND lb.committed_at IS NOT NULL AND fb.committed_at IS NOT NULL
            ${partLimit})
           ${tombstones}
         ) v
        WHERE ${clauses.join(' AND ')}
        ORDER BY ${order} ${limit}`,
      params,
    );
  }

  /**
   * When each visible list changed (every committed batch and change: what makes new versions
   * of its indicators, and of the reports that name it), as sorted microseconds since the epoch.
   */
  async stixHistory(p: AnyPrincipal, listIds: string[]): Promise<Map<string, number[]>> {
    if (!listIds.length) return new Map();
    return this.scoped.run(this.scopeOf(p), async (tx) => {
      const rows: { id: string; us: string }[] = await tx.query(
        `SELECT l.id, (extract(epoch FROM x.at) * 1000000)::bigint::text AS us
           FROM indicator_list l
           JOIN LATERAL (
             SELECT b.committed_at AS at FROM entry_batch b
              WHERE b.list_seq = l.seq AND b.committed_at IS NOT NULL
             UNION ALL
             SELECT c.committed_at FROM stix_change c
              WHERE c.list_seq = l.seq AND c.committed_at IS NOT NULL
           ) x ON true
          WHERE l.id = ANY($1::uuid[])
          ORDER BY l.id, x.at`,
        [listIds],
      );
      const out = new Map<string, number[]>();
      for (const r of rows) {
        const events = out.get(r.id) ?? [];
        events.push(Number(r.us));
        out.set(r.id, events);
      }
      return out;
    });
  }

  /** Every change of the lists between the first rounded and the last exact version of `rows`. */
  private async listEvents(
    tx: EntityManager,
    seqs: number[],
    rows: { version_us: string }[],
    round: (d: Date) => Date,
  ): Promise<number[]> {
    if (!rows.length) return [];
    const versions = rows.map((r) => Number(r.version_us));
    const from = round(new Date(Math.floor(Math.min(...versions) / 1000))).getTime() * 1000;
    const to = Math.max(...versions);
    const found: { us: string }[] = await tx.query(
      `SELECT (extract(epoch FROM x.at) * 1000000)::bigint::text AS us FROM (
         SELECT committed_at AS at FROM entry_batch WHERE list_seq = ANY($1) AND committed_at IS NOT NULL
         UNION ALL
         SELECT committed_at FROM stix_change WHERE list_seq = ANY($1) AND committed_at IS NOT NULL
       ) x
       WHERE x.at >= to_timestamp($2::float8 / 1000000) - interval '1 millisecond'
         AND x.at <= to_timestamp($3::float8 / 1000000) + interval '1 millisecond'
       ORDER BY 1`,
      [seqs, from, to],
    );
    return found.map((f) => Number(f.us)).sort((a, b) => a - b);
  }

  // --- entries -------------------------------------------------------------------------------

  /**
   * Adds parsed entries as one batch. Without `partial`, any error refuses the whole input and
   * nothing is written; the errors name every bad line (the first 1,000 are listed).
   */
  async addEntries(
    p: AnyPrincipal,
    listId: string,
    input: { rows: EntryRow[]; errors: EntryError[]; ignored?: EntryProblem[] },
    opts: EntryBatchOptions,
  ): Promise<EntryImportResult> {
    if (p.kind === 'user') this.assertMayWrite(p);
    const now = new Date();
    const paths = opts.paths ?? { seenAt: 'seenAt', validityDays: 'validityDays' };
    const batchErrors = batchTimeProblems(opts, paths, now, this.config.times);
    if (batchErrors.length) throw new BadInputError(batchErrors);
    input = { ...input, ...boundEntryTimes(input, opts.source, now, this.config.times) };
    // The guard-rails, here because every input path (GraphQL, REST text, CSV, STIX, the bulk
    // COPY) comes through this method (ADR 0012).
    const ranges = await this.guard.protectedRanges();
    const guarded = await partsInTurns(input.rows, (part) =>
      guardEntries(part, this.config.indicators.guard.broadest, ranges),
    );
    const own = await this.ownDataEntries(p, listId, guarded.rows);
    const rows = own.rows;
    const rejected = [...input.errors, ...guarded.errors, ...own.errors]
      .sort((a, b) => a.line - b.line)
      .map(problem);
    if (rejected.length) importedLines.inc({ outcome: 'rejected' }, rejected.length);
    const result: EntryImportResult = {
      applied: false,
      added: 0,
      resighted: 0,
      rejectedCount: rejected.length,
      rejected: rejected.slice(0, opts.listRejected ?? MAX_LISTED_PROBLEMS),
      suppressed: [],
      warnings: (await firstInTurns(rows, (r) => !!r.warning, MAX_LISTED_PROBLEMS)).map((r) => ({
        line: r.line,
        where: whereOf(r),
        input: r.value,
        message: r.warning!,
      })),
      ignored: (input.ignored ?? []).slice(0, MAX_LISTED_PROBLEMS),
      ignoredCount: (input.ignored ?? []).length,
    };
    if (rejected.length && !opts.partial) return result;
    const scope = this.scopeOf(p);
    const allow = await this.allowListFor(scope.orgId);
    // What the allow-list keeps out of feeds is only told, never decides what is written: it is
    // worked out while PostgreSQL takes the rows (the COPY below), on the hub's core rather
    // than before the write (ADR 0034).
    let report: Promise<EntryProblem[]> | undefined;
    const reportSuppressed = () => {
      if (!report) {
        report = suppressedOf(rows, allow);
        report.catch(() => undefined); // awaited below; an abandoned write must not leave it unhandled
      }
    };
    if (!rows.length) return { ...result, applied: true };
    const bulk = await everyInTurns(rows, isBare);

    const counts = await this.write(p, async (tx) => {
      // Locked: imports into one list run one after another (see the merge below), and a
      // retraction committed meanwhile is seen.
      const list = await this.ownRow(
        tx,
        scope.orgId,
        listId,
        'Only the owner organisation adds to a list',
      );
      if (list.status === ListStatus.RETRACTED) {
        throw new ConflictError('A retracted list takes no entries');
      }
      await this.checkReport(tx, opts.reportId, 'reportId');
      // What an anonymous list says about its entries reaches others as scrubbed text, whatever
      // the input path (a STIX description arrives here as a note).
      const text = list.anonymous ? await this.textScrubber(tx, scope.orgId) : keepText;
      const batchTags = (opts.tags ?? []).map(text);
      const batchNote = opts.note === undefined || opts.note === null ? null : text(opts.note);
      if (list.anonymous) await scrubEntryTexts(rows, text);
      const seenAt = opts.seenAt ?? new Date();
      // A list's or the hub's default may predate a lower INDICATOR_MAX_VALIDITY_DAYS.
      const validity = (type: IndicatorType) =>
        Math.min(
          opts.validityDays ??
            list.default_validity_days ??
            this.config.indicators.validityDays[VALIDITY_KIND[type]],
          this.config.times.maxValidityDays,
        );
      const batchDays = validity(rows[0].type);
      const batchUntil = new Date(seenAt.getTime() + batchDays * DAY_MS);
      const [batch] = await tx.query(
        `INSERT INTO entry_batch (list_seq, owner_org_id, added_by_user, added_by_token, source, confidence,
           seen_at, valid_until, tags, note, report_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
        [
          list.seq,
          scope.orgId,
          p.kind === 'user' ? p.userId : null,
          p.kind === 'token' ? p.tokenId : null,
          opts.source,
          opts.confidence ?? 50,
          seenAt,
          batchUntil,
          batchTags,
          batchNote,
          opts.reportId ?? null,
        ],
      );
      const untilOf = (type: IndicatorType) =>
        validity(type) === batchDays ? null : new Date(seenAt.getTime() + validity(type) * DAY_MS);
      const fresh = bulk && (await this.mayCopyEntries()) && (await isEmpty(tx, list.seq));
      // Into an empty list every value is new: what every member already receives (the growth
      // rule's base, a scan of every served entry) is read on a second connection under the
      // same scope while the hub sorts and PostgreSQL takes the rows. Nothing of this list is
      // in it either way, as the list was empty.
      const served =
        fresh && this.guard.mayApplyGrowthRule(rows) ? this.readServed(scope, batch.id) : undefined;
      const merged = fresh
        ? await this.copyIntoNewList(tx, list.seq, batch.id, rows, untilOf, reportSuppressed)
        : await this.mergeEntries(
            tx,
            list.seq,
            batch.id,
            batchUntil,
            rows,
            untilOf,
            bulk,
            reportSuppressed,
          );
      const held = merged.added
        ? await this.guard.holdIfNeeded(
            tx,
            scope.orgId,
            list.seq,
            batch.id,
            rows,
            merged.added,
            served?.take(),
          )
        : null;
      await lockCommitOrder(tx);
      await tx.query(
        `UPDATE entry_batch SET added = $2, resighted = $3, committed_at = clock_timestamp() WHERE id = $1`,
        [batch.id, merged.added, merged.resighted],
      );
      const [[row]]: [ListRow[], number] = await tx.query(
        `UPDATE indicator_list SET updated_at = now() WHERE id = $1 RETURNING *`,
        [list.id],
      );
      // The values travel with the event (up to 10,000), so a subscriber told later still
      // learns what this batch added, whatever was removed since; larger batches are read at
      // delivery (payload.values absent). A held batch's event is written when it is approved.
      if (!held) {
        await this.event(
          tx,
          'list.entries_added',
          row,
          {
            added: merged.added,
            resighted: merged.resighted,
            ...(merged.values ? { values: merged.values } : {}),
          },
          batch.id,
        );
      } else {
        // Its readers are the author's organisation and the coordinators (push's
        // feedReviewEvents), not the list's audience: the values reach no one yet.
        await recordEvent(tx, {
          kind: 'feed.change_held',
          orgId: row.owner_org_id,
          listId: row.id,
          batchId: batch.id,
          payload: { reason: held },
        });
      }
      return {
        added: merged.added,
        resighted: merged.resighted,
        held: held
          ? {
              changeId: batch.id as number,
              reason: held,
              named: !list.anonymous || list.reveal_to_coordinators,
            }
          : null,
      };
    });
    if (counts.held) {
      await this.guard.recordHeld(
        p,
        scope.orgId,
        counts.held.named,
        counts.held.changeId,
        counts.held.reason,
      );
    }
    importedLines.inc({ outcome: 'applied' }, rows.length);
    reportSuppressed();
    result.suppressed = (await report!).slice(0, MAX_LISTED_PROBLEMS);
    const { held } = counts;
    return {
      ...result,
      applied: true,
      added: counts.added,
      resighted: counts.resighted,
      held: held && { changeId: held.changeId, reason: held.reason },
    };
  }

  /**
   * The general merge: one row per value (the last line wins), in the index's order so the
   * inserts append to the primary key, staged with COPY; values already in the list are
   * sighted again, the rest inserted. Two plain statements rather than INSERT … ON CONFLICT,
   * which costs half as much again per row; the list row is locked (FOR UPDATE), so no other
   * import adds the same value between them. When every value was already there (the daily
   * re-post of a whole list) the second statement is skipped. Bare lines are staged as sorted
   * strings, as the bulk path writes them: a map of a million row objects took a second.
   *
   * A value sighted again is one heap update of its row: `list_entry` leaves half of each page
   * free (migration EntryFillfactor) so the new version stays on its page and the primary key
   * is not touched (a HOT update), ADR 0029.
   *
   * Bare lines of one kind skip the staging table and its join (ADR 0039): the list's values,
   * read while the hub sorts, are compared with the posted ones in the hub, and one pass over
   * the list's rows sights all of them again but the few left out; only new values are staged.
   */
  private async mergeEntries(
    tx: EntityManager,
    listSeq: number,
    batchId: number,
    batchUntil: Date,
    input: EntryRow[],
    untilOf: (type: IndicatorType) => Date | null,
    bare: boolean,
    whileWriting: () => void,
  ): Promise<Merged> {
    await tx.query(`SET LOCAL work_mem = '256MB'`);
    await tx.query(`CREATE TEMP TABLE entry_staging (
        value text, type text, line int, confidence smallint, first_seen timestamptz,
        last_seen timestamptz, valid_until timestamptz, tags text[], note text
      ) ON COMMIT DROP`);
    // The latest expiry of the list's earlier batches: when no entry's last batch outlasts this
    // sighting, an entry without an expiry of its own takes the new one without a look-up of
    // its last batch (a million index probes on a re-post).
    const [{ latest }]: { latest: Date | null }[] = await tx.query(
      'SELECT max(valid_until) AS latest FROM entry_batch WHERE list_seq = $1 AND id <> $2',
      [listSeq, batchId],
    );
    const type = input[0].type;
    // Bare lines of one kind (the daily re-post of a list of addresses): the list's values are
    // read while the hub sorts the posted ones, and compared in the hub (ADR 0039).
    const known =
      bare && input.every((r) => r.type === type)
        ? listText(tx, listSeq, input.length + MAX_NOT_REPOSTED)
        : undefined;
    known?.catch(() => undefined); // awaited below; a failed sort must not leave it unhandled
    const lines = bare ? await bareLines(input, untilOf) : undefined;
    if (known && lines) {
      const list = await known;
      const diff = list && (await diffWithList(lines.keys, list));
      if (diff && diff.missing.length <= MAX_NOT_REPOSTED) {
        const resighted = await this.resightList(
          tx,
          [listSeq, batchId, batchUntil, latest],
          untilOf(type),
          diff.missing,
          whileWriting,
        );
        // Every value read must have been sighted again: a row deleted since the read (by a
        // writer that bypasses the feed trigger's serialisation) makes the staged merge below
        // redo it, which inserts what is gone.
        if (resighted === lines.keys.length - diff.added.length) {
          const added = diff.added.length
            ? await this.insertStaged(tx, listSeq, batchId, diff.added, `${lines.kind}\n`)
            : 0;
          const n = lines.keys.length;
          return { added, resighted, values: n <= EVENT_VALUES ? lines.values() : undefined };
        }
      }
    }
    let count: number;
    let values: string[] | undefined;
    if (lines) {
      count = lines.keys.length;
      const staging = copyLines(
        tx,
        'COPY entry_staging (value, type, valid_until) FROM STDIN',
        lines.keys,
        `${lines.kind}\n`,
      );
      whileWriting();
      await staging;
      values = count <= EVENT_VALUES ? lines.values() : undefined;
    } else {
      const rows = (await uniqueSorted(input)).map((r) => {
        const until = r.validUntil ? null : untilOf(r.type);
        return until ? { ...r, validUntil: until } : r;
      });
      count = rows.length;
      const staging = copyRows(tx, 'entry_staging', rows);
      whileWriting();
      await staging;
      values = count <= EVENT_VALUES ? rows.map((r) => r.value) : undefined;
    }
    await tx.query('ANALYZE entry_staging');
    const resighted = await execute(
      tx,
      `UPDATE list_entry e SET ${resighting({
        confidence: 's.confidence',
        firstSeen: 's.first_seen',
        lastSeen: 's.last_seen',
        tags: 's.tags',
        note: 's.note',
        validUntil: 's.valid_until',
      })}
        FROM entry_staging s
       WHERE e.list_seq = $1 AND e.value = s.value`,
      [listSeq, batchId, batchUntil, latest],
    );
    const added = resighted === count ? 0 : await execute(tx, INSERT_STAGED, [listSeq, batchId]);
    return { added, resighted, values };
  }

  /**
   * Sights every entry of the list again except the `missing` values (which the re-post left
   * out): one pass over the list's rows, no staging table and no join, every row a HOT update
   * as in the staged form. The same rule (`resighting`) with a bare line's columns: no
   * confidence, dates, tags or note of its own, and the kind's expiry.
   */
  private async resightList(
    tx: EntityManager,
    params: [number, number, Date, Date | null],
    until: Date | null,
    missing: string[],
    whileWriting: () => void,
  ): Promise<number> {
    const update = execute(
      tx,
      `UPDATE list_entry e SET ${resighting({
        confidence: 'NULL::smallint',
        firstSeen: 'NULL::timestamptz',
        lastSeen: 'NULL::timestamptz',
        tags: 'NULL::text[]',
        note: 'NULL::text',
        validUntil: '$5::timestamptz',
      })}
       WHERE e.list_seq = $1 AND e.value <> ALL ($6::text[])`,
      [...params, until, missing],
    );
    whileWriting();
    return update;
  }

  /** New values (sorted, one kind: `suffix` is its type and expiry) staged and inserted. */
  private async insertStaged(
    tx: EntityManager,
    listSeq: number,
    batchId: number,
    values: string[],
    suffix: string,
  ): Promise<number> {
    await copyLines(tx, 'COPY entry_staging (value, type, valid_until) FROM STDIN', values, suffix);
    await tx.query('ANALYZE entry_staging');
    return execute(tx, INSERT_STAGED, [listSeq, batchId]);
  }

  /**
   * The bulk case — bare values into a list that has no entries yet, which is how a campaign's
   * million addresses arrive — straight into `list_entry` with COPY: no staging table, no
   * merge, no per-row executor (ADR 0008, "import"). Values are sorted and de-duplicated as
   * strings in Node (natively, no comparator), each carrying its type and expiry, so the rows
   * append to the primary key in order.
   *
   * PostgreSQL refuses COPY FROM under row-level security, so the COPY runs as the login role
   * (which must bypass it: see `mayCopyEntries`), between checks made under the caller's policy
   * in this same transaction: the list is the caller's, locked, and empty, and the batch was
   * written as the caller. The entries' statement trigger checks list ownership and batches
   * again for every row, whoever writes.
   */
  private async copyIntoNewList(
    tx: EntityManager,
    listSeq: number,
    batchId: number,
    rows: EntryRow[],
    untilOf: (type: IndicatorType) => Date | null,
    whileWriting: () => void,
  ): Promise<Merged> {
    const { strings, kind, valueOfKey } = await bareKeys(rows, untilOf);
    // The entries' statement trigger reads the new rows back (its transition table): kept in
    // memory rather than spilled to a temporary file and read again (ADR 0034).
    await tx.query(`SET LOCAL work_mem = '256MB'`);
    await tx.query('SET LOCAL ROLE NONE');
    // Sorted a key range at a time, each written while the next is sorted (ADR 0042); the
    // allow-list report starts once the first is written.
    let n = 0;
    const few: string[][] = [];
    const parts = async function* () {
      for await (const part of sortedRanges(strings)) {
        n += part.length;
        if (n <= EVENT_VALUES) few.push(part);
        yield part;
        if (n === part.length) whileWriting();
      }
    };
    await copyParts(
      tx,
      'COPY list_entry (value, type, valid_until, list_seq, first_batch, last_batch) FROM STDIN',
      parts(),
      `${kind}\t${listSeq}\t${batchId}\t${batchId}\n`,
    );
    await tx.query('SET LOCAL ROLE renkei_app');
    const keys = n > EVENT_VALUES ? undefined : few.flat();
    return { added: n, resighted: 0, values: keys && (valueOfKey ? keys.map(valueOfKey) : keys) };
  }

  /**
   * The growth rule's base (`FeedGuardService.servedSpace`) read on a connection of its own,
   * under the caller's scope and with the same view of its withheld entries as the import's
   * transaction. `take()` answers the read if it has its connection, and otherwise cancels it
   * (the import then reads the base itself): an import holding a connection never waits for a
   * second one, so a pool full of imports cannot wait on itself.
   */
  private readServed(
    scope: PolicyPrincipal,
    batchId: number,
  ): { take(): Promise<ServedSpace> | undefined } {
    let reading: Promise<ServedSpace> | undefined;
    let taken = false;
    this.scoped
      .run(scope, async (other) => {
        if (taken) return;
        reading = showWithheld(other).then(() => this.guard.servedSpace(other, batchId));
        await reading;
      })
      .catch(() => undefined); // a failed read fails the import where it is taken
    return {
      take: () => {
        taken = true;
        return reading;
      },
    };
  }

  /** Whether the login role bypasses row-level security, as COPY into list_entry needs. */
  private mayCopyEntries(): Promise<boolean> {
    this.copyAllowed ??= this.db
      .query('SELECT rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = session_user')
      .then(([row]: { ok: boolean }[]) => row?.ok === true);
    return this.copyAllowed;
  }

  async removeEntries(
    p: AnyPrincipal,
    listId: string,
    values: string[],
  ): Promise<RemoveEntriesResult> {
    if (p.kind === 'user') this.assertMayWrite(p);
    const errors: FieldError[] = [];
    const wanted = new Map<string, string>(); // canonical → as given
    values.forEach((v, i) => {
      const parsed = parseIndicator(v, { hostBits: 'mask' });
      if (parsed.ok) wanted.set(parsed.value, v);
      else errors.push({ path: `values.${i}`, message: parsed.message });
    });
    if (errors.length) throw new BadInputError(errors);
    const scope = this.scopeOf(p);
    return this.write(p, async (tx) => {
      const list = await this.ownRow(
        tx,
        scope.orgId,
        listId,
        'Only the owner organisation removes entries from a list',
      );
      const values = [...wanted.keys()];
      const [{ present }]: { present: number }[] = await tx.query(
        'SELECT count(*)::int AS present FROM list_entry WHERE list_seq = $1 AND value = ANY($2)',
        [list.seq, values],
      );
      // A removed entry that is still valid leaves a tombstone, its revoked STIX version (ADR
      // 0009). On a retracted list the retraction revoked it already: the tombstone keeps that
      // version, since a revoked object has no later one.
      const retracted = list.status === ListStatus.RETRACTED;
      const change = !present
        ? null
        : retracted
          ? list.stix_change_id
          : await this.stixChange(tx, list, 'removed');
      // A SELECT (over the DELETE's rows): the driver returns the rows alone.
      const removed: { value: string }[] = await tx.query(
        `WITH gone AS (
           DELETE FROM list_entry e USING entry_batch lb, entry_batch fb
            WHERE e.list_seq = $1 AND e.value = ANY($2) AND lb.id = e.last_batch AND fb.id = e.first_batch
           RETURNING e.value, e.type, e.first_batch, coalesce(e.confidence, lb.confidence) AS confidence,
                     coalesce(e.first_seen, fb.seen_at) AS first_seen,
                     coalesce(e.last_seen, lb.seen_at) AS last_seen,
                     coalesce(e.valid_until, lb.valid_until) AS valid_until,
                     coalesce(e.tags, lb.tags) AS tags, coalesce(e.note, lb.note) AS note,
                     lb.report_id, fb.committed_at AS created_at
         ), kept AS (
           INSERT INTO stix_tombstone (list_seq, value, type, first_batch, change_id, tlp, created_at,
             confidence, first_seen, last_seen, valid_until, tags, note, report_id)
           SELECT $1, value, type, first_batch, $3, $4, created_at, confidence, first_seen, last_seen,
                  valid_until, tags, note, report_id
             FROM gone WHERE $3::bigint IS NOT NULL AND valid_until > now() AND created_at IS NOT NULL
              -- A held or refused value never reached anyone: no revocation to tell of it.
              AND first_batch NOT IN (SELECT b.id FROM entry_batch b WHERE b.review IN ('held', 'refused'))
         )
         SELECT value FROM gone`,
        [list.seq, values, change, list.tlp],
      );
      const gone = new Set(removed.map((r) => r.value));
      if (removed.length) {
        const [[row]]: [ListRow[], number] = await tx.query(
          `UPDATE indicator_list SET updated_at = now() WHERE id = $1 RETURNING *`,
          [list.id],
        );
        if (change && !retracted) await this.stampChange(tx, change);
        await this.event(tx, 'list.entries_removed', row, { values: [...gone].sort() });
      }
      return {
        removed: removed.length,
        notFound: [...wanted]
          .filter(([canonical]) => !gone.has(canonical))
          .map(([, given]) => given),
      };
    });
  }

  // --- the allow-list ------------------------------------------------------------------------

  /** Hub-wide allowed ranges, plus the organisation's own (which it must never block). */
  async extraAllowed(orgId: string): Promise<(AllowedRange & { source: string })[]> {
    const hub: { range: string; note: string }[] = await this.db.query(
      'SELECT range::text AS range, note FROM feed_allow_entry ORDER BY range',
    );
    const [own] = await this.db.query(
      'SELECT address_ranges::text[] AS ranges FROM organisation WHERE id = $1',
      [orgId],
    );
    return [
      ...hub.map((h) => ({
        range: h.range,
        reason: h.note || 'on the hub-wide allow-list',
        source: 'hub',
      })),
      ...((own?.ranges as string[]) ?? []).map((range) => ({
        range,
        reason: OWN_RANGE,
        source: 'own',
      })),
    ];
  }

  async allowListFor(orgId: string): Promise<AllowList> {
    return new AllowList(await this.extraAllowed(orgId));
  }

  async setHubAllowed(p: Principal, range: string, note: string, add: boolean): Promise<void> {
    await this.guard.setRange('allowed', p, range, note, add);
  }

  async feedPulls(p: Principal, since: Date): Promise<FeedPull[]> {
    return this.db.query(
      `SELECT f.token_id AS "tokenId", t.name AS "tokenName", f.hour, f.requests,
              f.not_modified AS "notModified", f.bytes::text AS bytes,
              host(f.last_address) AS "lastAddress", f.last_path AS "lastPath", f.last_at AS "lastAt"
         FROM feed_pull f JOIN api_token t ON t.id = f.token_id
        WHERE f.hour >= date_trunc('hour', $1::timestamptz)
          AND ($2::boolean OR t.organisation_id = $3)
        ORDER BY f.hour DESC, t.name, f.token_id
        LIMIT 5000`,
      [since, p.role === Role.HUB_ADMIN, p.organisationId],
    );
  }

  // --- helpers -------------------------------------------------------------------------------

  /** How this reader is shown the list's times: rounded only behind a pseudonym (ADR 0017). */
  private async rounding(
    tx: EntityManager,
    reader: PolicyPrincipal,
    list: ListRow,
  ): Promise<{ named: boolean; round: (d: Date) => Date }> {
    const ctx = await this.boundary.authorContext(tx, reader, [list.owner_org_id]);
    const author = this.boundary.author(
      ctx,
      list.owner_org_id,
      list.anonymous,
      list.reveal_to_coordinators,
    );
    return { named: authorNamed(author), round: (d) => this.boundary.time(author, d) };
  }

  private assertMayWrite(p: Principal): void {
    if (p.role === Role.VIEWER) throw new ForbiddenError('Viewers read only');
  }

  /** The organisation's scrubber, compiled once for the texts of one request. */
  private async textScrubber(tx: EntityManager, orgId: string): Promise<(text: string) => string> {
    const scrub = scrubberFor(await loadScrubContext(tx, orgId));
    return (text) => scrub(text).text;
  }

  /**
   * A list created without sectors is about the author's sector. An anonymous one only when at
   * least ANONYMITY_K other active organisations of the author's kind share the sector: then
   * every reader is shown the author as one of them (the sector's pseudonym, or a wider class
   * that takes the whole sector in), and the sector narrows nothing. Counting other kinds is not
   * enough: the only CSIRT of a sector of many operators, shown as "a member organisation", was
   * singled out by the sector (the identifiability test found it).
   */
  private async defaultSectors(
    orgId: string,
    anonymous: boolean,
  ): Promise<{ own: string; sectors: string[] }> {
    const [org] = await this.db.query(
      `SELECT o.sector_code,
              (SELECT count(*) FROM organisation x
                WHERE x.sector_code = o.sector_code AND x.kind = o.kind AND x.status = 'active'
                  AND x.id <> o.id)::int AS others
         FROM organisation o WHERE o.id = $1`,
      [orgId],
    );
    const hidden = anonymous && org.others < this.config.anonymity.k;
    return { own: org.sector_code, sectors: hidden ? [] : [org.sector_code] };
  }

  /**
   * Entries inside the author's own registered ranges or domains, refused in an anonymous list:
   * shown to others they would name the author (a named list may hold them, and the author's own
   * feeds leave its ranges out). Refused rather than withheld, so the author learns it at once
   * and nothing is stored that some later output could show.
   */
  private async ownDataEntries(
    p: AnyPrincipal,
    listId: string,
    rows: EntryRow[],
  ): Promise<{ rows: EntryRow[]; errors: EntryError[] }> {
    if (!isUuid(listId)) return { rows, errors: [] };
    const scope = this.scopeOf(p);
    const [list] = await this.scoped.run(scope, (tx) =>
      tx.query(
        `SELECT l.anonymous, o.address_ranges::text[] AS ranges, o.domains
           FROM indicator_list l JOIN organisation o ON o.id = l.owner_org_id
          WHERE l.id = $1 AND l.owner_org_id = $2`,
        [listId, scope.orgId],
      ),
    );
    if (!list?.anonymous || (!list.ranges.length && !list.domains.length)) {
      return { rows, errors: [] };
    }
    const ranges = (list.ranges as string[]).map(
      (range) => [range, ipaddr.parseCIDR(range)] as const,
    );
    const domains = (list.domains as string[]).map((d) =>
      d.toLowerCase().replace(/^\.+|\.+$/g, ''),
    );
    const kept: EntryRow[] = [];
    const errors: EntryError[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
      const r = rows[i];
      const within = ADDRESS_TYPES.has(r.type)
        ? ranges.filter(([, range]) => overlaps(r.value, range)).map(([text]) => text)
        : domains.filter((d) => underDomain(hostOf(r), d));
      if (!within.length) {
        kept.push(r);
        continue;
      }
      errors.push({
        line: r.line,
        where: whereOf(r),
        input: r.value.slice(0, 200),
        message: `within ${within.join(', ')}, your organisation's own ${
          ADDRESS_TYPES.has(r.type) ? 'address range' : 'domain'
        }: an anonymous list would name you (post it in a named list)`,
      });
    }
    return { rows: kept, errors };
  }

  private async visibleRow(tx: EntityManager, id: string): Promise<ListRow> {
    const rows: ListRow[] = isUuid(id)
      ? await tx.query('SELECT * FROM indicator_list WHERE id = $1', [id])
      : [];
    if (!rows[0]) throw new NotFoundError('List');
    return rows[0];
  }

  /**
   * The caller's own list, locked for the rest of the transaction and read again once locked:
   * a change derives from the row as it is, never from a version a concurrent change (a raised
   * marking, a retraction) has already replaced, which it would otherwise write back.
   */
  private async ownRow(
    tx: EntityManager,
    orgId: string,
    id: string,
    refusal = 'Only the owner organisation changes a list',
  ): Promise<ListRow> {
    const row = await this.visibleRow(tx, id);
    if (row.owner_org_id !== orgId) throw new ForbiddenError(refusal);
    const [locked]: ListRow[] = await tx.query(
      'SELECT * FROM indicator_list WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!locked) throw new NotFoundError('List');
    return locked;
  }

  private async checkSectors(sectors: string[], errors: FieldError[]): Promise<void> {
    if (!sectors.length) return;
    const found: { code: string }[] = await this.db.query(
      'SELECT code FROM sector WHERE code = ANY($1)',
      [sectors],
    );
    const known = new Set(found.map((f) => f.code));
    sectors.forEach((s, i) => {
      if (!known.has(s))
        errors.push({ path: `input.sectors.${i}`, message: `"${s}" is not a sector` });
    });
  }

  /** A referenced report must be one the caller can see (RLS decides). */
  private async checkReport(tx: EntityManager, reportId: string | undefined, path: string) {
    if (!reportId) return;
    const rows = isUuid(reportId)
      ? await tx.query('SELECT 1 FROM report WHERE id = $1', [reportId])
      : [];
    if (!rows.length) throw new BadInputError([{ path, message: 'is not a report you can see' }]);
  }

  /**
   * Refuses to change who the author of a list's shared indicators is (anonymity, and whether
   * coordinators see the organisation) once entries were added, and the report a list names
   * once set: a STIX object keeps its creator for life, and a report the objects it refers to
   * (ADR 0009). A new list is the way to share under another author.
   */
  private async checkStixIdentity(
    tx: EntityManager,
    current: ListRow,
    input: IndicatorListInput,
    errors: FieldError[],
  ): Promise<void> {
    if (input.reportId && current.report_id && input.reportId !== current.report_id) {
      errors.push({
        path: 'input.reportId',
        message:
          'the list already names another report, whose STIX version lists its indicators; ' +
          'create a new list for this report',
      });
    }
    const author: [keyof IndicatorListInput, boolean][] = [
      ['anonymous', current.anonymous],
      ['revealToCoordinators', current.reveal_to_coordinators],
    ];
    const changes = author.filter(([key, now]) => input[key] != null && input[key] !== now);
    if (!changes.length) return;
    const [{ shared }]: { shared: boolean }[] = await tx.query(
      'SELECT EXISTS (SELECT 1 FROM entry_batch WHERE list_seq = $1) AS shared',
      [current.seq],
    );
    if (!shared) return;
    for (const [key] of changes) {
      errors.push({
        path: `input.${key}`,
        message:
          'cannot change once entries were added: readers received them under this author ' +
          '(as STIX objects whose creator never changes); create a new list instead',
      });
    }
  }

  /** A change of the list that makes new STIX versions; stamped by stampChange. */
  private async stixChange(
    tx: EntityManager,
    list: ListRow,
    kind: 'expired' | 'marking' | 'retracted' | 'removed' | 'linked',
  ): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO stix_change (list_seq, owner_org_id, kind) VALUES ($1, $2, $3) RETURNING id`,
      [list.seq, list.owner_org_id, kind],
    );
    return row.id;
  }

  /**
   * Stamps a change in commit order (libs/sharing commit-order.ts), so that its versions' date
   * added is later than anything a TAXII client has paged past. Call it last, before the event.
   */
  private async stampChange(tx: EntityManager, change: string): Promise<void> {
    await lockCommitOrder(tx);
    await tx.query('UPDATE stix_change SET committed_at = clock_timestamp() WHERE id = $1', [
      change,
    ]);
  }

  private async liveCounts(tx: EntityManager, seqs: number[]): Promise<Map<number, number>> {
    if (!seqs.length) return new Map();
    const rows: { list_seq: number; live: number }[] = await tx.query(
      `SELECT e.list_seq, count(*)::int AS live FROM list_entry e
         JOIN entry_batch lb ON lb.id = e.last_batch
        WHERE e.list_seq = ANY($1) AND coalesce(e.valid_until, lb.valid_until) > now()
        GROUP BY e.list_seq`,
      [seqs],
    );
    return new Map(rows.map((r) => [r.list_seq, r.live]));
  }

  /** The outbox row, last in the changing transaction (libs/sharing events.ts). */
  private async event(
    tx: EntityManager,
    kind: HubEventKind,
    list: ListRow,
    payload: Record<string, unknown> = {},
    batchId?: number,
  ): Promise<void> {
    await recordEvent(tx, { kind, orgId: list.owner_org_id, listId: list.id, batchId, payload });
  }

  private async view(
    tx: EntityManager,
    row: ListRow,
    reader: PolicyPrincipal,
  ): Promise<IndicatorList> {
    const ctx = await this.boundary.authorContext(tx, reader, [row.owner_org_id], [row.report_id]);
    const live = await this.liveCounts(tx, [row.seq]);
    return this.toView(row, ctx, live.get(row.seq) ?? 0);
  }

  /** The report an entry names, as the link rule lets this reader see it (ADR 0018). */
  private shownReport(
    ctx: AuthorContext,
    list: Pick<ListRow, 'owner_org_id' | 'anonymous' | 'reveal_to_coordinators'>,
    reportId: string | null,
  ): string | null {
    if (!reportId) return null;
    const item = {
      ownerOrg: list.owner_org_id,
      anonymous: list.anonymous,
      revealToCoordinators: list.reveal_to_coordinators,
    };
    return this.boundary.links(ctx, item, [reportId])[0] ?? null;
  }

  /**
   * An anonymous list's sectors as this reader is shown them: the author's own sector only while
   * at least ANONYMITY_K active organisations of its kind, the reader aside, share it. Checked at
   * creation too, but organisations leave: with its peers suspended the sector would single the
   * author out (attack pass).
   */
  private shownSectors(r: ListRow, ctx: AuthorContext, author: { organisationId: string | null }) {
    if (author.organisationId !== null) return r.sectors;
    const org = ctx.orgs.get(r.owner_org_id);
    if (!org) return r.sectors;
    const peers = ctx.others.byKindSector.get(`${org.kind}|${org.sector_code}`) ?? 0;
    return peers >= ctx.k ? r.sectors : r.sectors.filter((s) => s !== org.sector_code);
  }

  toView(r: ListRow, ctx: AuthorContext, liveEntries: number): IndicatorList {
    const own = r.owner_org_id === ctx.reader.orgId;
    const author = this.boundary.author(ctx, r.owner_org_id, r.anonymous, r.reveal_to_coordinators);
    return {
      id: r.id,
      seq: r.seq,
      ownerOrgId: r.owner_org_id,
      name: r.name,
      description: r.description,
      status: r.status,
      tlp: r.tlp,
      audience: own
        ? {
            organisationIds: r.audience_orgs,
            sectorCodes: r.audience_sectors,
            groupIds: r.audience_groups,
            redRecipientEmails: r.red_recipient_emails,
          }
        : null,
      anonymous: r.anonymous,
      author,
      sectors: this.shownSectors(r, ctx, author),
      defaultValidityDays: r.default_validity_days,
      reportId: this.shownReport(ctx, r, r.report_id),
      revision: r.revision,
      retractionReason: r.retraction_reason,
      liveEntries,
      exercise: Boolean(r.exercise),
      exerciseName: r.exercise ?? null,
      createdAt: this.boundary.time(author, r.created_at),
      updatedAt: this.boundary.time(author, r.updated_at),
    };
  }
}

/** A list TAXII offers, with when its author's identity was first added. */
export type StixList = IndicatorList & { firstAddedAt: string | null };

/** One version of a list entry's indicator, as a reader may see it (see stixEntries). */
export interface StixEntryVersion extends ListEntry {
  /** The batch that first added the entry: with the list and value, what identifies it. */
  firstBatch: number;
  /** TAXII's date added: when this version was committed, microseconds, UTC. */
  addedAt: string;
  /** The same instant as microseconds since the epoch. */
  versionUs: number;
  createdAt: Date;
  modifiedAt: Date;
  /** The marking it is served under: the list's, or the one it was removed under. */
  tlp: TlpMarking;
  /** A tombstone: the entry was removed. */
  removed: boolean;
  /** Removed, or the list is retracted. */
  revoked: boolean;
}

interface StixEntryRow extends EntryDbRow {
  first_batch: number;
  created_at: Date;
  version_at: Date;
  added_at: string;
  version_us: string;
  tlp: TlpMarking;
  removed: boolean;
}

/** What selects and positions the rows of `stixEntries`. */
interface StixRowsOptions {
  after?: { addedAt: string; value: string; firstBatch: number };
  addedAfter?: string;
  limit?: number;
  current?: boolean;
}

/** A time at which versions of a list's entries were made: its batches and changes. */
interface VersionTime {
  at: string;
  /** The position of the page asked for is at this time. */
  resumes: boolean;
  batches: number[];
  changes: string[];
}

/** A version time as a page reads it: with what was committed later. */
interface VersionGroup extends VersionTime {
  /** The list's own change: every entry may have its version then. */
  listWide: boolean;
  /** False before the list's own change: no entry has its version then. */
  entries: boolean;
  laterBatches: number[];
  laterChanges: string[];
}

/** An entry's version: the latest of its last batch, its own change and the list's change. */
const ENTRY_VERSION = 'greatest(lb.committed_at, ec.committed_at, lc.committed_at)';

/**
 * TAXII's added_after on a version time, as TAXII shows dates added: rounded, the step given
 * included (TaxiiService addedAfter), so bisecting finds the step, not the commit's microsecond.
 */
function addedAfterClause(
  column: string,
  param: (value: unknown) => string,
  config: HubConfig,
  addedAfter: string,
): string {
  const step = config.anonymity.roundingMinutes * 60;
  return `to_timestamp(floor(extract(epoch FROM ${column}) / ${param(step)}) * ${param(step)}) >= ${param(addedAfter)}::timestamptz`;
}

/** A timestamp column as TAXII writes it: UTC with microseconds. */
function microsText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

function entryView(r: EntryDbRow): ListEntry {
  return {
    value: r.value,
    type: r.type as IndicatorKind,
    confidence: r.confidence,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    validUntil: r.valid_until,
    expired: r.valid_until.getTime() <= Date.now(),
    tags: r.tags,
    note: r.note,
    reportId: r.report_id,
  };
}

/** The last line of each value, ordered by value as PostgreSQL's "C" collation orders it. */
/** What an import wrote; the values only when few enough to travel with the event. */
interface Merged {
  added: number;
  resighted: number;
  values?: string[];
}

/**
 * What sighting a value again does to its entry, given the sighting's columns as SQL (a staged
 * row's, or a bare line's constants); $2 is the batch, $3 its expiry, $4 the latest expiry of
 * the list's earlier batches. One rule for both forms of the merge.
 */
function resighting(s: {
  confidence: string;
  firstSeen: string;
  lastSeen: string;
  tags: string;
  note: string;
  validUntil: string;
}): string {
  return `last_batch = $2,
         confidence = ${s.confidence},
         first_seen = CASE WHEN ${s.firstSeen} IS NULL THEN e.first_seen
           ELSE least(coalesce(e.first_seen, (SELECT b.seen_at FROM entry_batch b WHERE b.id = e.first_batch)), ${s.firstSeen}) END,
         last_seen = ${s.lastSeen},
         tags = ${s.tags},
         note = ${s.note},
         -- Sighted again: the expiry only ever moves later.
         valid_until = CASE
           WHEN e.valid_until IS NULL AND $4::timestamptz <= coalesce(${s.validUntil}, $3::timestamptz)
           THEN ${s.validUntil}
           WHEN coalesce(e.valid_until, (SELECT b.valid_until FROM entry_batch b WHERE b.id = e.last_batch))
                > coalesce(${s.validUntil}, $3::timestamptz)
           THEN coalesce(e.valid_until, (SELECT b.valid_until FROM entry_batch b WHERE b.id = e.last_batch))
           ELSE ${s.validUntil} END`;
}

/** Advisory lock class ("renl") of an organisation's list writes; the key is its id's hash. */
const ORGANISATION_WRITE_LOCK = 0x72656e6c;

/** The staged values not in the list yet, inserted as entries of batch $2 of list $1. */
const INSERT_STAGED = `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch, confidence,
    first_seen, last_seen, valid_until, tags, note)
  SELECT $1, s.value, s.type, $2, $2, s.confidence, s.first_seen, s.last_seen, s.valid_until, s.tags, s.note
    FROM entry_staging s
   WHERE NOT EXISTS (SELECT 1 FROM list_entry e WHERE e.list_seq = $1 AND e.value = s.value)`;

/**
 * Bare rows as the start of COPY lines (value, type, expiry), sorted and de-duplicated natively
 * as strings. One kind (a list of addresses, say): the values alone are the keys and the kind
 * and its expiry are `kind`, the part every line shares after its key. Several: each key
 * carries its kind and expiry after a tab, which sorts before every character of a canonical
 * value ("a\t…" < "ab\t…"), and `kind` is empty.
 */
async function bareLines(
  rows: EntryRow[],
  untilOf: (type: IndicatorType) => Date | null,
): Promise<{ keys: string[]; kind: string; values: () => string[] }> {
  const { strings, kind, valueOfKey } = await bareKeys(rows, untilOf);
  const keys = await sortInTurns(strings);
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (n === 0 || keys[i] !== keys[n - 1]) keys[n++] = keys[i];
  keys.length = n;
  return { keys, kind, values: () => (valueOfKey ? keys.map(valueOfKey) : keys) };
}

/**
 * The keys of bare rows, unsorted, and `kind`, the part every line shares after its key (see
 * `bareLines`); `valueOfKey` takes the value out of a key that carries its kind.
 */
async function bareKeys(
  rows: EntryRow[],
  untilOf: (type: IndicatorType) => Date | null,
): Promise<{ strings: string[]; kind: string; valueOfKey?: (key: string) => string }> {
  const until = new Map<IndicatorType, string>();
  const untilText = (type: IndicatorType) => {
    let u = until.get(type);
    if (u === undefined) {
      u = untilOf(type)?.toISOString() ?? '\\N';
      until.set(type, u);
    }
    return u;
  };
  const type = rows[0].type;
  if (await everyInTurns(rows, (r) => r.type === type)) {
    return {
      strings: await mapInTurns(rows, (r) => r.value),
      kind: `\t${type}\t${untilText(type)}`,
    };
  }
  return {
    strings: await mapInTurns(rows, (r) => `${r.value}\t${r.type}\t${untilText(r.type)}`),
    kind: '',
    valueOfKey: (k) => k.slice(0, k.indexOf('\t')),
  };
}

/** A line that is nothing but its value: what the bulk path takes (no per-line columns). */
function isBare(r: EntryRow): boolean {
  return (
    r.confidence === undefined &&
    !r.firstSeen &&
    !r.lastSeen &&
    !r.validUntil &&
    !r.tags &&
    r.note === undefined &&
    !/[\\\t\n\r]/.test(r.value)
  );
}

/**
 * The owner's own writes and reads see its withheld entries (held, stopped, protected): an
 * import merges with them, a removal finds them. The read policy lets this setting count for
 * the caller's own lists only (migration FeedGuard).
 */
async function showWithheld(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT set_config('renkei.withheld', 'shown', true)`);
}

async function isEmpty(tx: EntityManager, listSeq: number): Promise<boolean> {
  const [row] = await tx.query(
    'SELECT NOT EXISTS (SELECT 1 FROM list_entry WHERE list_seq = $1) AS empty',
    [listSeq],
  );
  return row.empty;
}

function whereOf(r: EntryRow): string {
  return r.where ?? `line ${r.line}`;
}

function problem(e: EntryError): EntryProblem {
  return { line: e.line, where: e.where, input: e.input, message: e.message };
}

const ADDRESS_TYPES = new Set<IndicatorType>(['ipv4', 'ipv6', 'ipv4-cidr', 'ipv6-cidr']);

/**
 * What the poster is told at posting time of entries the allow-list keeps out of feeds. Other
 * members' own ranges are not reported: which addresses a member owns is only shown to its own
 * people and hub admins (OrganisationResolver), and posting must not become a way to probe it.
 */
export async function suppressedOf(rows: EntryRow[], allow: AllowList): Promise<EntryProblem[]> {
  const out: EntryProblem[] = [];
  for (let i = 0; i < rows.length; i++) {
    // A million rows take about a second: other requests get in every LINES_PER_TURN.
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    const r = rows[i];
    if (!ADDRESS_TYPES.has(r.type)) continue;
    const hits = allow.withheld(r.value);
    if (!hits.length) continue;
    const whole = allow.split(r.value).length === 0;
    const own = hits.filter((h) => h.reason === OWN_RANGE).map((h) => h.range);
    const others = hits
      .filter((h) => h.reason !== OWN_RANGE)
      .map((h) => `${h.range} (${h.reason})`);
    const said: string[] = [];
    if (others.length) {
      said.push(
        whole && !own.length
          ? `never served in blocklists: within ${others.join(', ')}`
          : `served in blocklists without the part in ${others.join(', ')}`,
      );
    }
    if (own.length) {
      // Only the poster's own feeds leave it out; every other member is served it.
      said.push(
        whole && !others.length
          ? `not served in your organisation's own blocklists: within ${own.join(', ')}, ${OWN_RANGE}`
          : `served in your organisation's own blocklists without the part in ${own.join(', ')}, ${OWN_RANGE}`,
      );
    }
    out.push({ line: r.line, where: whereOf(r), input: r.value, message: said.join('; ') });
  }
  return out;
}

/** The WHERE of a list query (status, own, text, and the report named) with its parameters. */
function listWhere(
  filter: IndicatorListFilter,
  orgId: string,
  reportId?: string,
): { where: string; params: unknown[] } {
  const clauses = ['true'];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    clauses.push(sql.replace('$?', `$${params.length}`));
  };
  if (reportId) add('report_id = $?', reportId);
  if (filter.status) add('status = $?', filter.status);
  if (filter.ownOnly) add('owner_org_id = $?', orgId);
  if (filter.text) {
    add(
      `lower(name || ' ' || description) LIKE $? ESCAPE '\\'`,
      `%${escapeLike(filter.text.toLowerCase())}%`,
    );
  }
  return { where: clauses.join(' AND '), params };
}

const keyOf = (v: IndicatorList): [string, string] => [v.name.toLowerCase(), v.id];
const compareKeys = (a: [string, string], b: [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const keepText = (text: string) => text;

/** Notes and tags of the entries, scrubbed in place; a million lines yield in turns. */
async function scrubEntryTexts(rows: EntryRow[], text: (s: string) => string): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    const r = rows[i];
    if (r.note) r.note = text(r.note);
    if (r.tags?.length) r.tags = r.tags.map(text);
  }
}

/** The host name an entry names: a domain, a URL's host, an e-mail address's domain. */
function hostOf(r: EntryRow): string | null {
  if (r.type === 'domain') return r.value.toLowerCase();
  if (r.type === 'email') return r.value.slice(r.value.lastIndexOf('@') + 1).toLowerCase();
  if (r.type === 'url') {
    try {
      return new URL(r.value).hostname.toLowerCase();
    } catch {
      return null;
    }
  }
  return null;
}

/** Whether an address or CIDR entry and a range share any address. */
function overlaps(value: string, [network, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  const [addr, own] = value.includes('/')
    ? ipaddr.parseCIDR(value)
    : [ipaddr.parse(value), value.includes(':') ? 128 : 32];
  if (addr.kind() !== network.kind()) return false;
  // Two CIDR blocks overlap when the shorter prefix contains the other's network address.
  return own <= bits ? network.match(addr, own) : addr.match(network, bits);
}

function underDomain(host: string | null, domain: string): boolean {
  return host !== null && (host === domain || host.endsWith(`.${domain}`));
}
