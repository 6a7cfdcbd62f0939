import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FieldError, mailboxKey } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { isLowering, TlpMarking } from '../tlp';
import { AudienceInput, ResolvedAudience, StoredAudience } from './audience.models';

/** Who an item is for: resolving an audience input, and telling whether a change widens it. */
@Injectable()
export class AudienceService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * An audience as stored, checked against the marking; problems are added to `errors` with
   * their field paths. One rule for everything that carries a marking.
   */
  async resolve(
    tlp: TlpMarking,
    a: AudienceInput | undefined,
    errors: FieldError[],
  ): Promise<ResolvedAudience> {
    const orgs = [...new Set(a?.organisationIds ?? [])];
    const sectors = [...new Set(a?.sectorCodes ?? [])];
    const groups = [...new Set(a?.groupIds ?? [])];
    const redEmails = [...new Set((a?.redRecipientEmails ?? []).map(mailboxKey))];
    const amber = tlp === TlpMarking.AMBER || tlp === TlpMarking.AMBER_STRICT;
    if (amber && !orgs.length && !sectors.length && !groups.length) {
      errors.push({
        path: 'input.audience',
        message: `${tlp} needs an audience: organisations, sectors or groups`,
      });
    }
    if (!amber && (orgs.length || sectors.length || groups.length)) {
      errors.push({
        path: 'input.audience',
        message: `${tlp} takes no organisation, sector or group audience`,
      });
    }
    if (tlp === TlpMarking.RED && !redEmails.length) {
      errors.push({
        path: 'input.audience.redRecipientEmails',
        message: 'RED needs named recipients',
      });
    }
    if (tlp !== TlpMarking.RED && redEmails.length) {
      errors.push({
        path: 'input.audience.redRecipientEmails',
        message: 'only RED names individual recipients',
      });
    }
    await this.reportUnknown(
      'organisation',
      'id',
      orgs,
      'input.audience.organisationIds',
      () => 'is not a member organisation',
      errors,
    );
    await this.reportUnknown(
      'sector',
      'code',
      sectors,
      'input.audience.sectorCodes',
      (v) => `"${v}" is not a sector`,
      errors,
    );
    await this.reportUnknown(
      'corporate_group',
      'id',
      groups,
      'input.audience.groupIds',
      () => 'is not a corporate group',
      errors,
    );
    // RED recipients by exact, proven address (ADR 0016): an address merely typed into some
    // organisation's user list is nobody's. Unknown addresses are kept as typed and match
    // nobody, so the answer is the same whether or not an address has an account.
    const users: { id: string }[] = redEmails.length
      ? await this.db.query(
          `SELECT id FROM hub_user
            WHERE email = ANY($1) AND status = 'active' AND email_verified_at IS NOT NULL`,
          [redEmails],
        )
      : [];
    return { orgs, sectors, groups, redEmails, redUsers: users.map((u) => u.id) };
  }

  /** Adds a field error for each value that names no row of the (fixed, trusted) table. */
  async reportUnknown(
    table: 'organisation' | 'sector' | 'corporate_group' | 'report_category',
    column: 'id' | 'code',
    values: string[],
    path: string,
    message: (value: string) => string,
    errors: FieldError[],
  ): Promise<void> {
    if (!values.length) return;
    const found: { v: string }[] = await this.db.query(
      `SELECT ${column}::text AS v FROM ${table} WHERE ${column}::text = ANY($1)`,
      [values],
    );
    const known = new Set(found.map((f) => f.v));
    values.forEach((v, i) => {
      if (!known.has(v)) errors.push({ path: `${path}.${i}`, message: message(v) });
    });
  }

  inputOf(r: StoredAudience): AudienceInput {
    return {
      organisationIds: r.audience_orgs,
      sectorCodes: r.audience_sectors,
      groupIds: r.audience_groups,
      redRecipientEmails: r.red_recipient_emails,
    };
  }

  /**
   * Whether a change shows the item to readers who could not see it before; then only the
   * explicit, audited lowering of the marking may make it. Under AMBER+STRICT an organisation
   * named in the new audience is no new reader when the old audience reached it through its
   * sector or corporate group (memberships as they are now, as the policy reads them). Under
   * AMBER it is, unless named before: the policy forwards an AMBER item to the named
   * organisation's group companies as they are at each read, so a group it joins later would
   * gain the item, which the old sector or group audience never gave them (attack pass 7).
   */
  async widens(
    r: StoredAudience,
    tlp: TlpMarking,
    a: { orgs: string[]; sectors: string[]; groups: string[]; redEmails: string[] },
  ): Promise<boolean> {
    if (isLowering(r.tlp, tlp)) return true;
    if (r.tlp === TlpMarking.CLEAR || r.tlp === TlpMarking.GREEN) return false; // all could read it
    const subset = (x: string[], y: string[]) => x.every((v) => y.includes(v));
    if (tlp === TlpMarking.RED) {
      // RED names people; that they all sat in an AMBER audience is not something we prove here.
      return r.tlp !== TlpMarking.RED || !subset(a.redEmails, r.red_recipient_emails);
    }
    if (!subset(a.sectors, r.audience_sectors) || !subset(a.groups, r.audience_groups)) return true;
    const named = a.orgs.filter((o) => !r.audience_orgs.includes(o));
    if (!named.length) return false;
    if (tlp !== TlpMarking.AMBER_STRICT) return true;
    const members: { id: string; sector_code: string; group_id: string | null }[] =
      await this.db.query(
        'SELECT id, sector_code, group_id FROM organisation WHERE id = ANY($1::uuid[])',
        [named],
      );
    const reached = new Set(
      members
        .filter(
          (m) =>
            r.audience_sectors.includes(m.sector_code) ||
            (m.group_id !== null && r.audience_groups.includes(m.group_id)),
        )
        .map((m) => m.id),
    );
    return named.some((o) => !reached.has(o));
  }
}
