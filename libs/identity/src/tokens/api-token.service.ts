import { ChangeNotifications } from '@renkei/platform';
import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadInputError, FieldError, ForbiddenError, isUuid, NotFoundError } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { AuditAction, AuditService } from '../audit/audit.service';
import { isHubAdmin, isOrgAdminOf, Principal, TokenPrincipal } from '../auth/principal';
import { MfaService } from '../mfa/mfa.service';
import { normaliseCidr } from '../organisations/ownership';
import { ApiToken } from './api-token.entity';

/** What a token may be granted. Later issues add their scopes here. */
export const TOKEN_SCOPES = ['feeds:read', 'indicators:write', 'reports:read'] as const;

/** `rkt_` marks renkei API tokens for secret scanners; the 8 characters after it identify one. */
const PREFIX = 'rkt_';
const hash = (token: string) => createHash('sha256').update(token).digest();
const TOUCH_AFTER_MS = 60_000;

/** The one wording of a live token used from outside its allowed ranges, on every transport. */
export function tokenAddressRefusal(address: string | undefined): ForbiddenError {
  return new ForbiddenError(
    `This API token may not be used from ${address ?? 'this address'}: it is limited to its ` +
      'allowed address ranges (the allowedRanges its organisation admin gave it)',
    'TOKEN_ADDRESS_NOT_ALLOWED',
  );
}

@Injectable()
export class ApiTokenService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
    private readonly changes: ChangeNotifications,
  ) {}

  async create(
    p: Principal,
    input: {
      organisationId?: string;
      name: string;
      scopes: string[];
      expiresAt?: Date;
      allowedRanges?: string[];
    },
    clientAddress?: string,
  ): Promise<{ token: string; apiToken: ApiToken }> {
    const organisationId = input.organisationId ?? p.organisationId;
    // A token acts as its organisation: one made for another would let its maker read that
    // member's drafts and unmask its anonymous items (ADR 0016). Hub admins included.
    if (organisationId !== p.organisationId) {
      throw new ForbiddenError(
        "API tokens are made only for your own organisation; a member's org admin makes its own",
      );
    }
    if (!isHubAdmin(p) && !isOrgAdminOf(p, organisationId)) {
      throw new ForbiddenError(
        'Only org admins (for their own organisation) and hub admins create API tokens',
      );
    }
    this.mfa.assertStepUp(p);
    const errors: FieldError[] = [];
    const name = input.name.trim();
    if (!name || name.length > 100)
      errors.push({ path: 'input.name', message: 'must be 1 to 100 characters' });
    if (!input.scopes.length)
      errors.push({ path: 'input.scopes', message: 'must name at least one scope' });
    input.scopes.forEach((s, i) => {
      if (!(TOKEN_SCOPES as readonly string[]).includes(s)) {
        errors.push({
          path: `input.scopes.${i}`,
          message: `"${s}" is not a scope (${TOKEN_SCOPES.join(', ')})`,
        });
      }
    });
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      errors.push({ path: 'input.expiresAt', message: 'must be in the future' });
    const ranges: string[] = [];
    (input.allowedRanges ?? []).forEach((r, i) => {
      const n = normaliseCidr(r);
      if (n.ok) ranges.push(n.value);
      else errors.push({ path: `input.allowedRanges.${i}`, message: n.message });
    });
    if (errors.length) throw new BadInputError(errors);
    const token = PREFIX + randomBytes(32).toString('base64url');
    const repo = this.db.getRepository(ApiToken);
    const apiToken = await repo.save(
      repo.create({
        organisationId,
        name,
        tokenPrefix: token.slice(0, PREFIX.length + 8),
        tokenHash: hash(token),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
        allowedRanges: ranges,
        createdBy: p.userId,
      }),
    );
    await this.audit.record({
      action: AuditAction.TOKEN_CREATED,
      outcome: 'success',
      actorUserId: p.userId,
      actorOrganisationId: p.organisationId,
      organisationId,
      targetType: 'api_token',
      targetId: apiToken.id,
      clientAddress: clientAddress ?? null,
      details: { scopes: apiToken.scopes, prefix: apiToken.tokenPrefix },
    });
    return { token, apiToken };
  }

  list(p: Principal, organisationId?: string): Promise<ApiToken[]> {
    const org = organisationId ?? p.organisationId;
    if (!isHubAdmin(p) && !isOrgAdminOf(p, org))
      throw new ForbiddenError("Only admins list an organisation's API tokens");
    return this.db
      .getRepository(ApiToken)
      .find({ where: { organisationId: org }, order: { createdAt: 'DESC' } });
  }

  async revoke(p: Principal, id: string): Promise<ApiToken> {
    const repo = this.db.getRepository(ApiToken);
    const token = isUuid(id) ? await repo.findOneBy({ id }) : null;
    if (!token || !(isHubAdmin(p) || isOrgAdminOf(p, token.organisationId)))
      throw new NotFoundError('API token');
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await repo.save(token);
      this.changes.changedHere('renkei_auth'); // caches of this token go now, not at the notification
      await this.audit.record({
        action: AuditAction.TOKEN_REVOKED,
        outcome: 'success',
        actorUserId: p.userId,
        actorOrganisationId: p.organisationId,
        organisationId: token.organisationId,
        targetType: 'api_token',
        targetId: token.id,
      });
    }
    return token;
  }

  /** The principal of a live token used from an allowed address, or undefined. */
  async authenticate(token: string, clientAddress?: string): Promise<TokenPrincipal | undefined> {
    const checked = await this.check(token, clientAddress);
    return 'principal' in checked ? checked.principal : undefined;
  }

  /**
   * As authenticate, but says why a live token is refused when that is its address: the
   * caller holds the token already, so naming the rule reveals nothing, and "invalid or
   * expired" would send an operator after the wrong cause.
   */
  async check(
    token: string,
    clientAddress?: string,
  ): Promise<{ principal: TokenPrincipal } | { refusal?: ForbiddenError }> {
    if (!token.startsWith(PREFIX) || token.length > 100) return {};
    const rows: {
      id: string;
      organisation_id: string;
      sector_code: string;
      group_id: string | null;
      scopes: string[];
      expires_at: Date | null;
      idle_ms: number | null;
      in_range: boolean;
    }[] = await this.db.query(
      `SELECT t.id, t.organisation_id, o.sector_code, o.group_id, t.scopes, t.expires_at,
              (extract(epoch FROM now() - t.last_used_at) * 1000)::float8 AS idle_ms,
              (cardinality(t.allowed_ranges) = 0 OR $2::inet <<= ANY (t.allowed_ranges)) AS in_range
         FROM api_token t JOIN organisation o ON o.id = t.organisation_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now())
          AND o.status = 'active'`,
      [hash(token), clientAddress ?? '0.0.0.0'],
    );
    const row = rows[0];
    if (!row) return {};
    if (!row.in_range) return { refusal: tokenAddressRefusal(clientAddress) };
    if (row.idle_ms === null || row.idle_ms > TOUCH_AFTER_MS) {
      await this.db.query(
        'UPDATE api_token SET last_used_at = now(), last_used_address = $2 WHERE id = $1',
        [row.id, clientAddress ?? null],
      );
    }
    return {
      principal: {
        kind: 'token',
        tokenId: row.id,
        organisationId: row.organisation_id,
        sectorCode: row.sector_code,
        groupId: row.group_id,
        scopes: row.scopes,
        expiresAt: row.expires_at,
      },
    };
  }
}
