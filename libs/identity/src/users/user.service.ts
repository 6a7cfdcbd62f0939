import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  BadInputError,
  ConflictError,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  ErrorCode,
  ForbiddenError,
  HubError,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  Page,
  SmtpMailer,
  toPage,
  UnauthenticatedError,
  mailboxKey,
} from '@renkei/platform';
import { randomBytes } from 'node:crypto';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { actorOf, AuditAction, AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { ClientInfo, hashToken } from '../auth/session.service';
import { ThrottleService } from '../auth/throttle.service';
import { isHubAdmin, isOrgAdminOf, Principal } from '../auth/principal';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { EMAIL_PROOF_TTL_MS, EMAIL_PROOFS_PER_DAY, inDomains, proofMail } from './email-proof';
import { passwordProblem } from './password-policy';
import { Role, User, UserStatus } from './user.entity';
import { CreateUserInput, UserFilter } from './user.inputs';

@Injectable()
export class UserService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly throttle: ThrottleService,
    private readonly mailer: SmtpMailer,
  ) {}

  private readonly log = new Logger('UserService');

  /** A user the principal may see: hub admins any, others their own organisation's only. */
  async get(principal: Principal, id: string): Promise<User> {
    const user = isUuid(id) ? await this.users.findOneBy({ id }) : null;
    if (!user || !(isHubAdmin(principal) || user.organisationId === principal.organisationId)) {
      throw new NotFoundError('User');
    }
    return user;
  }

  async list(
    principal: Principal,
    filter: UserFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<User>> {
    // Other organisations' user lists are never listable (they would name the people to phish).
    let organisationId = filter.organisationId;
    if (!isHubAdmin(principal)) {
      if (organisationId && organisationId !== principal.organisationId) {
        throw new ForbiddenError("Only your own organisation's users can be listed");
      }
      organisationId = principal.organisationId;
    }
    const qb = this.users.createQueryBuilder('u');
    if (organisationId) qb.andWhere('u.organisation_id = :org', { org: organisationId });
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    const total = await qb.getCount();
    if (after) {
      const [email, id] = decodeCursor(after, 2);
      qb.andWhere('(u.email, u.id) > (:email, :id)', { email, id });
    }
    const rows = await qb
      .orderBy('u.email', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(first + 1)
      .getMany();
    return toPage(rows, first, total, (u) => [u.email, u.id]);
  }

  async create(
    principal: Principal | 'setup',
    input: CreateUserInput,
    manager?: EntityManager,
  ): Promise<User> {
    const org = await (
      manager ? manager.getRepository(Organisation) : this.organisations
    ).findOneBy({
      id: input.organisationId,
    });
    if (principal !== 'setup') {
      await this.assertMayManageAudited(
        principal,
        AuditAction.USER_CREATED,
        input.organisationId,
        input.role,
        undefined,
        { organisationId: input.organisationId, role: input.role },
      );
    }
    if (!org)
      throw new BadInputError([
        { path: 'input.organisationId', message: 'is not a known organisation' },
      ]);
    if (input.role === Role.HUB_ADMIN && org.kind !== OrganisationKind.COORDINATOR) {
      throw new BadInputError([
        {
          path: 'input.role',
          message: 'HUB_ADMIN is only for users of the coordinator organisation',
        },
      ]);
    }
    const problem = passwordProblem(input.initialPassword, {
      email: input.email,
      displayName: input.displayName,
      organisationName: org.name,
    });
    if (problem) throw new BadInputError([{ path: 'input.initialPassword', message: problem }]);
    // Hashed before the transaction: the audit append lock is held until it commits.
    const passwordHash = await this.hasher.hash(input.initialPassword);
    const email = mailboxKey(input.email);
    // Vouched for by the organisation's registered domains, or by whoever ran the server.
    const vouched = principal === 'setup' || inDomains(email, org.domains);
    let link: string | null = null;
    const save = async (tx: EntityManager) => {
      const repo = tx.getRepository(User);
      // An address proven in another organisation stays that one's: this row is created
      // unproven (and can never be proven), so the answer does not say the address exists.
      const taken = await repo.exists({ where: { email, emailVerifiedAt: Not(IsNull()) } });
      const user = await repo.save(
        repo.create({
          organisationId: org.id,
          email,
          displayName: input.displayName,
          role: input.role,
          status: UserStatus.ACTIVE,
          passwordHash,
          emailVerifiedAt: vouched && !taken ? new Date() : null,
        }),
      );
      if (!vouched) link = await this.issueProof(tx, user);
      // Setup and the demo seeder act as 'setup': no actor.
      await this.recordChange(
        principal === 'setup' ? null : principal,
        user,
        AuditAction.USER_CREATED,
        { role: user.role },
        tx,
      );
      return user;
    };
    let user: User;
    try {
      user = await (manager ? save(manager) : this.users.manager.transaction(save));
    } catch (e) {
      if (isUniqueViolation(e, 'UQ_hub_user_organisation_email')) {
        throw new ConflictError(
          'Your organisation already has a user with this e-mail address',
          'input.email',
        );
      }
      if (isUniqueViolation(e, 'UQ_hub_user_email_verified')) {
        // Proven elsewhere between the check and the insert: answer as for any busy moment.
        throw new ConflictError('The account could not be created; try again', 'input.email');
      }
      throw e;
    }
    if (link) await this.mailOutbox(user.email, org.name, link);
    return user;
  }

  /** A fresh one-time link for an unproven address (earlier ones stop working). */
  async reissueProof(principal: Principal, id: string): Promise<boolean> {
    const user = await this.get(principal, id);
    await this.assertMayManageAudited(
      principal,
      AuditAction.EMAIL_PROOF_ISSUED,
      user.organisationId,
      user.role,
      undefined,
      {},
    );
    if (user.emailVerifiedAt) return false;
    const link = await this.users.manager.transaction(async (tx) => {
      const token = await this.issueProof(tx, user);
      await this.recordChange(principal, user, AuditAction.EMAIL_PROOF_ISSUED, {}, tx);
      return token;
    });
    const org = await this.organisations.findOneByOrFail({ id: user.organisationId });
    await this.mailOutbox(user.email, org.name, link);
    return true;
  }

  /**
   * Redeems a one-time link: the address is proven. Every refusal reads the same, so a link
   * does not tell whether the address is held elsewhere.
   */
  async redeemProof(token: string, client: ClientInfo): Promise<void> {
    // Charged before the check, as for password resets: a public door is not a guessing game.
    const keys = [`address:${client.address ?? 'unknown'}`];
    await this.throttle.attempt(keys);
    const refused = () =>
      new UnauthenticatedError('The link is wrong, expired or already used; ask for a new one');
    if (!/^rkv_[A-Za-z0-9_-]{43}$/.test(token)) throw refused();
    try {
      await this.users.manager.transaction(async (tx) => {
        const [rows]: [{ user_id: string }[], number] = await tx.query(
          `UPDATE email_verification SET used_at = now()
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
          [hashToken(token)],
        );
        if (!rows[0]) throw refused();
        const user = await tx.getRepository(User).findOneByOrFail({ id: rows[0].user_id });
        if (user.emailVerifiedAt) return;
        user.emailVerifiedAt = new Date();
        await tx.getRepository(User).save(user);
        await this.recordChange(null, user, AuditAction.EMAIL_PROVEN, {}, tx);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'UQ_hub_user_email_verified')) throw refused();
      throw e;
    }
    await this.throttle.succeeded(keys);
  }

  /**
   * The organisation each proven address belongs to, for an author choosing RED recipients.
   * Unknown and unproven addresses answer alike (null), so this is no list of who has an account.
   */
  async recipientOrganisations(
    emails: string[],
  ): Promise<{ email: string; organisationName: string | null }[]> {
    const wanted = [...new Set(emails.map(mailboxKey))];
    const rows: { email: string; name: string }[] = wanted.length
      ? await this.users.query(
          `SELECT u.email, o.name FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
            WHERE u.email = ANY($1) AND u.email_verified_at IS NOT NULL AND u.status = 'active'
              AND o.status = 'active'`,
          [wanted],
        )
      : [];
    const byEmail = new Map(rows.map((r) => [r.email, r.name]));
    return wanted.map((email) => ({ email, organisationName: byEmail.get(email) ?? null }));
  }

  private async issueProof(tx: EntityManager, user: User): Promise<string> {
    // Every link is a mail to an address nobody has proven: an organisation's admins must not be
    // able to flood someone's mailbox through the hub. Counted within the organisation (over
    // every account it gave the address), so the refusal tells nothing about other
    // organisations' accounts.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext(lower($1)))', [user.email]);
    const [{ sent, next }] = await tx.query(
      `SELECT count(*)::int AS sent,
              ceil(extract(epoch FROM min(v.created_at) + interval '24 hours' - now()))::int AS next
         FROM email_verification v JOIN hub_user u ON u.id = v.user_id
        WHERE lower(u.email) = lower($1) AND u.organisation_id = $2
          AND v.created_at > now() - interval '24 hours'`,
      [user.email, user.organisationId],
    );
    if (sent >= EMAIL_PROOFS_PER_DAY) {
      throw new HubError(
        ErrorCode.FORBIDDEN,
        `A confirmation link went to this address ${sent} times in the last 24 hours; ` +
          `the next can be sent in ${Math.ceil(next / 60)} minutes`,
        { reason: 'PROOF_MAIL_LIMIT', retryAfterSeconds: next },
      );
    }
    const token = `rkv_${randomBytes(32).toString('base64url')}`;
    await tx.query(
      'UPDATE email_verification SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
      [user.id],
    );
    await tx.query(
      'INSERT INTO email_verification (user_id, token_hash, expires_at) VALUES ($1, $2, $3)',
      [user.id, hashToken(token), new Date(Date.now() + EMAIL_PROOF_TTL_MS)],
    );
    return token;
  }

  /**
   * The link goes to the address itself, over SMTP when the hub has it (SMTP_URL): holding the
   * mailbox is what the proof proves. Without SMTP, or when the server refuses, the operator's
   * console is the mail: the operator forwards the link. Never the creating admin's response:
   * the admin may be the one claiming an address that is not theirs (ADR 0016).
   */
  private async mailOutbox(email: string, organisation: string, token: string): Promise<void> {
    if (this.mailer.enabled) {
      try {
        await this.mailer.send(
          proofMail(email, organisation, `${this.mailer.publicUrl}/verify-email#token=${token}`),
        );
        return;
      } catch (e) {
        // The reason only: the token stays out of the log, which is shipped and kept.
        this.log.warn(`e-mail proof for ${email} could not be sent: ${(e as Error).message}`);
      }
    }
    // On stdout, outside the JSON log, as the setup token: logs are shipped and kept, and a
    // secret in them outlives its use.
    process.stdout.write(`  e-mail proof for ${email}: redeem ${token} with verifyEmail\n`);
  }

  async setRole(principal: Principal, id: string, role: Role): Promise<User> {
    const user = await this.get(principal, id);
    await this.assertMayManageAudited(
      principal,
      AuditAction.USER_ROLE_CHANGED,
      user.organisationId,
      role,
      user,
      { from: user.role, to: role },
    );
    if (role === Role.HUB_ADMIN) {
      const org = await this.organisations.findOneByOrFail({ id: user.organisationId });
      if (org.kind !== OrganisationKind.COORDINATOR) {
        throw new BadInputError([
          { path: 'role', message: 'HUB_ADMIN is only for users of the coordinator organisation' },
        ]);
      }
    }
    const from = user.role;
    user.role = role;
    return this.users.manager.transaction(async (tx) => {
      const saved = await tx.getRepository(User).save(user);
      await this.recordChange(
        principal,
        saved,
        AuditAction.USER_ROLE_CHANGED,
        { from, to: role },
        tx,
      );
      return saved;
    });
  }

  async setStatus(principal: Principal, id: string, status: UserStatus): Promise<User> {
    const user = await this.get(principal, id);
    const action =
      status === UserStatus.SUSPENDED ? AuditAction.USER_SUSPENDED : AuditAction.USER_REACTIVATED;
    await this.assertMayManageAudited(principal, action, user.organisationId, user.role, user, {});
    user.status = status;
    return this.users.manager.transaction(async (tx) => {
      const saved = await tx.getRepository(User).save(user);
      await this.recordChange(principal, saved, action, {}, tx);
      return saved;
    });
  }

  private recordChange(
    principal: Principal | null,
    user: User,
    action: AuditAction,
    details: Record<string, unknown>,
    tx: EntityManager,
  ) {
    return this.audit.record(
      {
        action,
        outcome: 'success',
        ...actorOf(principal),
        organisationId: user.organisationId,
        targetType: 'user',
        targetId: user.id,
        details,
      },
      tx,
    );
  }

  /**
   * assertMayManage, with a refusal recorded as `denied` under the actor's own organisation (its
   * admins answer for their users' attempts), outside any transaction so that it stays.
   */
  private async assertMayManageAudited(
    principal: Principal,
    action: AuditAction,
    organisationId: string,
    role: Role,
    target: User | undefined,
    details: Record<string, unknown>,
  ): Promise<void> {
    try {
      this.assertMayManage(principal, organisationId, role, target);
    } catch (e) {
      if (e instanceof ForbiddenError) {
        await this.audit.record({
          action,
          outcome: 'denied',
          ...actorOf(principal),
          organisationId: principal.organisationId,
          targetType: 'user',
          targetId: target?.id,
          details,
        });
      }
      throw e;
    }
  }

  /** Hub admins manage anyone; org admins their own organisation's users, below hub admin. */
  private assertMayManage(
    principal: Principal,
    organisationId: string,
    role: Role,
    target?: User,
  ): void {
    if (target && target.id === principal.userId) {
      throw new ForbiddenError('You cannot change your own role or status');
    }
    if (isHubAdmin(principal)) return;
    if (
      isOrgAdminOf(principal, organisationId) &&
      role !== Role.HUB_ADMIN &&
      target?.role !== Role.HUB_ADMIN
    ) {
      return;
    }
    throw new ForbiddenError(
      "Only hub admins, or org admins for their own organisation's users, may do this",
    );
  }
}
