import { Injectable } from '@nestjs/common';
import { Principal, Role } from '@renkei/identity';
import {
  BadInputError,
  ConflictError,
  FieldError,
  ForbiddenError,
  isUuid,
  NotFoundError,
} from '@renkei/platform';
import {
  AuthorContext,
  NOT_ANONYMOUS_LABEL,
  PublicationBoundary,
  ScopedDatabase,
  scopeOf,
} from '@renkei/sharing';
import { EntityManager } from 'typeorm';
import { ReportService } from '../reports/report.service';
import {
  AssistanceRequest,
  AssistanceRequestInput,
  AssistanceResponse,
  AssistanceStatus,
} from './assistance.models';

interface RequestRow {
  id: string;
  report_id: string;
  requester_org_id: string;
  addressed_orgs: string[];
  anonymous: boolean;
  reveal_to_coordinators: boolean;
  body: string;
  status: AssistanceStatus;
  created_at: Date;
  closed_at: Date | null;
}

interface ResponseRow {
  id: string;
  request_id: string;
  org_id: string;
  body: string;
  created_at: Date;
}

/**
 * Requests for assistance. Who sees a request and its responses is the tables' row-level
 * security (the requester and the organisations it addresses); how each party is named follows
 * the report rules (PublicationBoundary.author): an anonymous requester is a pseudonym to everyone but
 * its own organisation, and the coordinator if it was allowed to know.
 */
@Injectable()
export class AssistanceService {
  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly reports: ReportService,
    private readonly boundary: PublicationBoundary,
  ) {}

  async request(p: Principal, input: AssistanceRequestInput): Promise<AssistanceRequest> {
    this.assertMayWrite(p);
    const reader = scopeOf(p);
    return this.scoped.run(reader, async (tx) => {
      const [report]: {
        owner_org_id: string;
        anonymous: boolean;
        reveal_to_coordinators: boolean;
      }[] = await tx.query(
        `SELECT owner_org_id, anonymous, reveal_to_coordinators FROM report
          WHERE id = $1 AND status = 'published'`,
        [input.reportId],
      );
      if (!report) throw new NotFoundError('Report');
      const anonymous = input.anonymous ?? true;
      const revealToCoordinators = input.revealToCoordinators ?? false;
      const errors: FieldError[] = [];
      // A request names the report it is about, so the requester asking about its own anonymous
      // report may be named to no one the report does not name its author to.
      if (report.owner_org_id === p.organisationId && report.anonymous) {
        if (!anonymous) {
          errors.push({
            path: 'input.anonymous',
            message: 'must be true: the report is anonymous, a named request would name its author',
          });
        }
        if (revealToCoordinators && !report.reveal_to_coordinators) {
          errors.push({
            path: 'input.revealToCoordinators',
            message: 'must be false: the report does not let the coordinator know its author',
          });
        }
      }
      const peers = [...new Set(input.organisationIds ?? [])];
      const known: { id: string }[] = await tx.query(
        `SELECT id FROM organisation WHERE id = ANY($1) AND status = 'active'`,
        [peers],
      );
      peers.forEach((id, i) => {
        if (id === p.organisationId) {
          errors.push({ path: `input.organisationIds.${i}`, message: 'is your own organisation' });
        } else if (!known.some((k) => k.id === id)) {
          errors.push({
            path: `input.organisationIds.${i}`,
            message: 'is not a member organisation',
          });
        }
      });
      if (errors.length) throw new BadInputError(errors);
      const coordinators: { id: string }[] = await tx.query(
        `SELECT id FROM organisation WHERE kind = 'coordinator' AND status = 'active' AND id <> $1`,
        [p.organisationId],
      );
      const addressed = [...new Set([...coordinators.map((c) => c.id), ...peers])];
      if (!addressed.length) {
        throw new BadInputError([
          { path: 'input.organisationIds', message: 'name at least one organisation to ask' },
        ]);
      }
      const body = await this.reports.scrubText(tx, p.organisationId, input.body);
      const [row]: RequestRow[] = await tx.query(
        `INSERT INTO assistance_request (report_id, requester_org_id, requester_user_id, addressed_orgs,
           anonymous, reveal_to_coordinators, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          input.reportId,
          p.organisationId,
          p.userId,
          addressed,
          anonymous,
          revealToCoordinators,
          body,
        ],
      );
      return (await this.views(tx, p, [row]))[0];
    });
  }

  async list(p: Principal): Promise<AssistanceRequest[]> {
    return this.scoped.run(scopeOf(p), async (tx) =>
      this.views(
        tx,
        p,
        await tx.query('SELECT * FROM assistance_request ORDER BY created_at DESC, id'),
      ),
    );
  }

  async get(p: Principal, id: string): Promise<AssistanceRequest> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const row = await this.visible(tx, id);
      return (await this.views(tx, p, [row]))[0];
    });
  }

  async respond(p: Principal, id: string, body: string): Promise<AssistanceRequest> {
    this.assertMayWrite(p);
    const text = body.trim();
    if (!text || text.length > 10000) {
      throw new BadInputError([{ path: 'body', message: 'must be 1 to 10000 characters' }]);
    }
    return this.scoped.run(scopeOf(p), async (tx) => {
      const row = await this.visible(tx, id);
      if (row.status !== AssistanceStatus.OPEN) {
        throw new ConflictError('The request is closed');
      }
      await tx.query(
        'INSERT INTO assistance_response (request_id, org_id, user_id, body) VALUES ($1, $2, $3, $4)',
        [id, p.organisationId, p.userId, await this.reports.scrubText(tx, p.organisationId, text)],
      );
      return (await this.views(tx, p, [row]))[0];
    });
  }

  async close(p: Principal, id: string): Promise<AssistanceRequest> {
    this.assertMayWrite(p);
    return this.scoped.run(scopeOf(p), async (tx) => {
      const current = await this.visible(tx, id);
      if (current.requester_org_id !== p.organisationId) {
        throw new ForbiddenError('Only the requesting organisation closes a request');
      }
      const [[row]]: [RequestRow[], number] = await tx.query(
        `UPDATE assistance_request SET status = 'closed', closed_at = coalesce(closed_at, now())
          WHERE id = $1 RETURNING *`,
        [id],
      );
      return (await this.views(tx, p, [row]))[0];
    });
  }

  private assertMayWrite(p: Principal): void {
    if (p.role === Role.VIEWER) throw new ForbiddenError('Viewers read only');
  }

  /** Hidden and missing answer the same NOT_FOUND. */
  private async visible(tx: EntityManager, id: string): Promise<RequestRow> {
    const [row]: RequestRow[] = isUuid(id)
      ? await tx.query('SELECT * FROM assistance_request WHERE id = $1', [id])
      : [];
    if (!row) throw new NotFoundError('Assistance request');
    return row;
  }

  private async views(
    tx: EntityManager,
    p: Principal,
    rows: RequestRow[],
  ): Promise<AssistanceRequest[]> {
    if (!rows.length) return [];
    const responses: ResponseRow[] = await tx.query(
      `SELECT id, request_id, org_id, body, created_at FROM assistance_response
        WHERE request_id = ANY($1) ORDER BY created_at, id`,
      [rows.map((r) => r.id)],
    );
    const ctx = await this.boundary.authorContext(
      tx,
      scopeOf(p),
      [...rows.map((r) => r.requester_org_id), ...responses.map((r) => r.org_id)],
      [],
      rows.map((r) => r.report_id),
    );
    // The report's id only to those who can read the report (ADR 0022): an asked organisation
    // that cannot read it gets the request's text, not an id that every other path treats as
    // not existing. Read under the reader's policy.
    const readable: { id: string }[] = await tx.query('SELECT id FROM report WHERE id = ANY($1)', [
      rows.map((r) => r.report_id),
    ]);
    const shown = new Set(readable.map((r) => r.id));
    // A request about the requester's own report that has since become anonymous is anonymous
    // too: named, it would name the report's author (found by the attack pass). Read under the
    // reader's policy: a report it cannot see is not linked to the requester through it.
    const anonymousReports: { id: string; owner_org_id: string }[] = await tx.query(
      `SELECT id, owner_org_id FROM report WHERE id = ANY($1) AND anonymous`,
      [rows.map((r) => r.report_id)],
    );
    const hides = new Set(anonymousReports.map((r) => `${r.id}|${r.owner_org_id}`));
    return rows.map((r) =>
      this.view(
        hides.has(`${r.report_id}|${r.requester_org_id}`) ? { ...r, anonymous: true } : r,
        responses,
        ctx,
        shown.has(r.report_id),
      ),
    );
  }

  private view(
    r: RequestRow,
    responses: ResponseRow[],
    ctx: AuthorContext,
    reportShown: boolean,
  ): AssistanceRequest {
    const requesterView = r.requester_org_id === ctx.reader.orgId;
    // The requester reads the report it asks about: its pseudonym is judged among the report's
    // readers (to a reader that cannot read the report, among everyone: it is not shown which).
    // When too few read it for that, this reader is not told which report the request is about
    // and the requester stays a pseudonym among everyone. Decided here, at every read, rather
    // than by refusing the request: a refusal told the requester who reads someone else's
    // report, and a later widening would have tied an accepted request to its report.
    const attached = this.boundary.author(
      ctx,
      r.requester_org_id,
      r.anonymous,
      r.reveal_to_coordinators,
      r.report_id,
    );
    const general = this.boundary.author(
      ctx,
      r.requester_org_id,
      r.anonymous,
      r.reveal_to_coordinators,
    );
    const narrowed =
      attached.label === NOT_ANONYMOUS_LABEL && general.label !== NOT_ANONYMOUS_LABEL;
    const requester = narrowed ? general : attached;

    // A pseudonymous party's times are rounded, as a report's are: they would tell who it is.
    const at = (d: Date, org: string, named: boolean) =>
      this.boundary.time({ organisationId: named ? org : null }, d);
    return {
      id: r.id,
      reportId: reportShown && !narrowed ? r.report_id : null,
      requester,
      addressedOrganisationIds: requesterView ? r.addressed_orgs : null,
      body: r.body,
      status: r.status,
      createdAt: at(r.created_at, r.requester_org_id, requester.organisationId !== null),
      closedAt: r.closed_at
        ? at(r.closed_at, r.requester_org_id, requester.organisationId !== null)
        : null,
      responses: responses
        .filter((x) => x.request_id === r.id)
        .map((x) => {
          const author = this.boundary.author(ctx, x.org_id, !requesterView, false);
          return {
            id: x.id,
            body: x.body,
            author,
            createdAt: at(x.created_at, x.org_id, author.organisationId !== null),
          } satisfies AssistanceResponse;
        }),
    };
  }
}
