import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  BadInputError,
  ConflictError,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  ForbiddenError,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  Page,
  toPage,
} from '@renkei/platform';
import { EntityManager, Repository } from 'typeorm';
import { actorOf, AuditAction, AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { isHubAdmin, isOrgAdminOf, Principal } from '../auth/principal';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
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
  ) {}

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
    const save = async (tx: EntityManager) => {
      const repo = tx.getRepository(User);
      const user = await repo.save(
        repo.create({
          organisationId: org.id,
          email: input.email.toLowerCase(),
          displayName: input.displayName,
          role: input.role,
          status: UserStatus.ACTIVE,
          passwordHash,
        }),
      );
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
    try {
      return await (manager ? save(manager) : this.users.manager.transaction(save));
    } catch (e) {
      if (isUniqueViolation(e, 'UQ_hub_user_email')) {
        throw new ConflictError('A user with this e-mail address already exists', 'input.email');
      }
      throw e;
    }
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
