import { Injectable } from '@nestjs/common';
import { AnyPrincipal, Principal, Role } from '@renkei/identity';
import { BadInputError, FieldError, ForbiddenError, NotFoundError } from '@renkei/platform';
import { AudienceService, ScopedDatabase, scopeOf } from '@renkei/sharing';
import { TlpMarking } from '../reports/report.models';
import { ContactInput, ContactReminder, OrganisationContact } from './contact.models';
import { isCoordinator } from './coordinator';

/** An entry not confirmed for this long is overdue (the yearly "still correct?"). */
const CONFIRMATION_INTERVAL = `interval '1 year'`;

interface ContactRow {
  owner_org_id: string;
  organisation_name: string;
  tlp: TlpMarking;
  audience_orgs: string[];
  audience_sectors: string[];
  audience_groups: string[];
  phone: string | null;
  email: string | null;
  openpgp_key: string | null;
  hours: string | null;
  escalation: string | null;
  updated_at: Date;
  confirmed_at: Date;
  overdue: boolean;
}

/**
 * The contact directory. Who reads an entry is decided by its row-level security policy
 * (renkei_can_see under the entry's marking, plus the coordinator): no query here filters.
 */
@Injectable()
export class ContactService {
  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly audience: AudienceService,
  ) {}

  async directory(p: AnyPrincipal): Promise<OrganisationContact[]> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows: ContactRow[] = await tx.query(
        `SELECT c.*, o.name AS organisation_name, c.confirmed_at < now() - ${CONFIRMATION_INTERVAL} AS overdue
           FROM organisation_contact c JOIN organisation o ON o.id = c.owner_org_id
          ORDER BY o.name, c.owner_org_id`,
      );
      return rows.map((r) => viewOf(r, p.organisationId));
    });
  }

  async set(p: Principal, input: ContactInput): Promise<OrganisationContact> {
    this.assertAdmin(p);
    const errors: FieldError[] = [];
    if (input.tlp === TlpMarking.RED) {
      errors.push({
        path: 'input.tlp',
        message: 'RED names individual people; choose AMBER_STRICT and an audience',
      });
    }
    const audience = await this.audience.resolve(input.tlp, input.audience, errors);
    if (errors.length) throw new BadInputError(errors);
    return this.scoped.run(scopeOf(p), async (tx) => {
      // Saving the entry is also saying it is correct: the confirmation date moves with it.
      await tx.query(
        `INSERT INTO organisation_contact (owner_org_id, tlp, audience_orgs, audience_sectors, audience_groups,
           phone, email, openpgp_key, hours, escalation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (owner_org_id) DO UPDATE SET tlp = EXCLUDED.tlp, audience_orgs = EXCLUDED.audience_orgs,
           audience_sectors = EXCLUDED.audience_sectors, audience_groups = EXCLUDED.audience_groups,
           phone = EXCLUDED.phone, email = EXCLUDED.email, openpgp_key = EXCLUDED.openpgp_key,
           hours = EXCLUDED.hours, escalation = EXCLUDED.escalation, updated_at = now(), confirmed_at = now()`,
        [
          p.organisationId,
          input.tlp,
          audience.orgs,
          audience.sectors,
          audience.groups,
          input.phone || null,
          input.email || null,
          input.openpgpKey || null,
          input.hours || null,
          input.escalation || null,
        ],
      );
      return this.own(tx, p.organisationId);
    });
  }

  async confirm(p: Principal): Promise<OrganisationContact> {
    this.assertAdmin(p);
    return this.scoped.run(scopeOf(p), async (tx) => {
      const [, changed] = (await tx.query(
        'UPDATE organisation_contact SET confirmed_at = now() WHERE owner_org_id = $1',
        [p.organisationId],
      )) as [unknown, number];
      if (!changed) throw new NotFoundError('Contact entry (set one first)');
      return this.own(tx, p.organisationId);
    });
  }

  /** Active member organisations whose entry is missing or overdue: the coordinator's list. */
  async reminders(p: AnyPrincipal): Promise<ContactReminder[]> {
    if (!(await isCoordinator(this.scoped, p.organisationId))) {
      throw new ForbiddenError('Only the coordinator sees who owes a confirmation');
    }
    return this.scoped.run(scopeOf(p), (tx) =>
      tx.query(
        `SELECT o.id AS "organisationId", o.name AS "organisationName", c.confirmed_at AS "lastConfirmedAt"
           FROM organisation o LEFT JOIN organisation_contact c ON c.owner_org_id = o.id
          WHERE o.status = 'active' AND (c.owner_org_id IS NULL OR c.confirmed_at < now() - ${CONFIRMATION_INTERVAL})
          ORDER BY c.confirmed_at NULLS FIRST, o.name`,
      ),
    );
  }

  private async own(
    tx: { query: (sql: string, params?: unknown[]) => Promise<ContactRow[]> },
    orgId: string,
  ): Promise<OrganisationContact> {
    const [row] = await tx.query(
      `SELECT c.*, o.name AS organisation_name, c.confirmed_at < now() - ${CONFIRMATION_INTERVAL} AS overdue
         FROM organisation_contact c JOIN organisation o ON o.id = c.owner_org_id WHERE c.owner_org_id = $1`,
      [orgId],
    );
    return viewOf(row, orgId);
  }

  private assertAdmin(p: Principal): void {
    if (p.role !== Role.ORG_ADMIN && p.role !== Role.HUB_ADMIN) {
      throw new ForbiddenError("Only organisation admins keep the organisation's contacts");
    }
  }
}

function viewOf(r: ContactRow, readerOrg: string): OrganisationContact {
  return {
    organisationId: r.owner_org_id,
    organisationName: r.organisation_name,
    tlp: r.tlp,
    phone: r.phone,
    email: r.email,
    openpgpKey: r.openpgp_key,
    hours: r.hours,
    escalation: r.escalation,
    updatedAt: r.updated_at,
    lastConfirmedAt: r.confirmed_at,
    confirmationOverdue: r.overdue,
    audience:
      r.owner_org_id === readerOrg
        ? {
            organisationIds: r.audience_orgs,
            sectorCodes: r.audience_sectors,
            groupIds: r.audience_groups,
            redRecipientEmails: [],
          }
        : null,
  };
}
