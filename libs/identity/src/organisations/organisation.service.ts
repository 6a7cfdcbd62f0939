import { ChangeNotifications } from '@renkei/platform';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  BadInputError,
  ConflictError,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  FieldError,
  isUniqueViolation,
  isUuid,
  likeContains,
  NotFoundError,
  Page,
  toPage,
} from '@renkei/platform';
import { EntityManager, Repository } from 'typeorm';
import { actorOf, AuditAction, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/principal';
import { CorporateGroup } from '../groups/corporate-group.entity';
import { Sector } from '../sectors/sector.entity';
import { Organisation, OrganisationStatus } from './organisation.entity';
import {
  CreateOrganisationInput,
  OrganisationFilter,
  UpdateOrganisationInput,
} from './organisation.inputs';
import { normaliseCidr, normaliseDomain } from './ownership';

@Injectable()
export class OrganisationService {
  constructor(
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
    @InjectRepository(Sector) private readonly sectors: Repository<Sector>,
    @InjectRepository(CorporateGroup) private readonly groups: Repository<CorporateGroup>,
    private readonly audit: AuditService,
    private readonly changes: ChangeNotifications,
  ) {}

  async get(id: string): Promise<Organisation> {
    const org = isUuid(id) ? await this.organisations.findOneBy({ id }) : null;
    if (!org) throw new NotFoundError('Organisation');
    return org;
  }

  async list(
    filter: OrganisationFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<Organisation>> {
    const qb = this.organisations.createQueryBuilder('o');
    if (filter.sectorCode) qb.andWhere('o.sector_code = :sector', { sector: filter.sectorCode });
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.groupId) qb.andWhere('o.group_id = :group', { group: filter.groupId });
    if (filter.nameContains) {
      qb.andWhere(`o.name ILIKE :pattern ESCAPE '\\'`, {
        pattern: likeContains(filter.nameContains),
      });
    }
    if (filter.ids) qb.andWhere('o.id = ANY(:ids)', { ids: filter.ids });
    const total = await qb.getCount();
    if (after) {
      const [name, id] = decodeCursor(after, 2);
      qb.andWhere('(o.name, o.id) > (:name, :id)', { name, id });
    }
    const rows = await qb
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(first + 1)
      .getMany();
    return toPage(rows, first, total, (o) => [o.name, o.id]);
  }

  /** Without an actor (setup, the demo seeder) the audit entry names none. */
  async create(
    input: CreateOrganisationInput,
    manager?: EntityManager,
    actor?: Principal,
  ): Promise<Organisation> {
    const errors: FieldError[] = [];
    await this.checkReferences(input, errors, manager);
    const addressRanges = this.normaliseAll(
      input.addressRanges ?? [],
      'addressRanges',
      normaliseCidr,
      errors,
    );
    const domains = this.normaliseAll(input.domains ?? [], 'domains', normaliseDomain, errors);
    if (errors.length) throw new BadInputError(errors);
    const save = async (tx: EntityManager) => {
      const repo = tx.getRepository(Organisation);
      const org = await repo.save(
        repo.create({
          name: input.name,
          kind: input.kind,
          sectorCode: input.sectorCode,
          groupId: input.groupId ?? null,
          addressRanges,
          domains,
          status: OrganisationStatus.ACTIVE,
        }),
      );
      await this.recordChange(actor, org, AuditAction.ORGANISATION_CREATED, tx);
      return org;
    };
    try {
      return await (manager ? save(manager) : this.organisations.manager.transaction(save));
    } catch (e) {
      throw this.conflict(e, input.name);
    }
  }

  async update(id: string, input: UpdateOrganisationInput): Promise<Organisation> {
    const org = await this.get(id);
    const errors: FieldError[] = [];
    await this.checkReferences(input, errors);
    if (input.groupId && input.clearGroup) {
      errors.push({ path: 'input.clearGroup', message: 'cannot be set together with groupId' });
    }
    if (input.addressRanges) {
      org.addressRanges = this.normaliseAll(
        input.addressRanges,
        'addressRanges',
        normaliseCidr,
        errors,
      );
    }
    if (input.domains)
      org.domains = this.normaliseAll(input.domains, 'domains', normaliseDomain, errors);
    if (errors.length) throw new BadInputError(errors);
    if (input.name !== undefined) org.name = input.name;
    if (input.kind !== undefined) org.kind = input.kind;
    if (input.sectorCode !== undefined) org.sectorCode = input.sectorCode;
    if (input.groupId !== undefined) org.groupId = input.groupId;
    if (input.clearGroup) org.groupId = null;
    try {
      const saved = await this.organisations.save(org);
      this.changes.changedHere('renkei_auth'); // sector, group or ranges: who sees what
      return saved;
    } catch (e) {
      throw this.conflict(e, org.name);
    }
  }

  async setStatus(
    id: string,
    status: OrganisationStatus,
    actor?: Principal,
  ): Promise<Organisation> {
    const org = await this.get(id);
    org.status = status;
    const result = await this.organisations.manager.transaction(async (tx) => {
      const saved = await tx.getRepository(Organisation).save(org);
      const action =
        status === OrganisationStatus.SUSPENDED
          ? AuditAction.ORGANISATION_SUSPENDED
          : AuditAction.ORGANISATION_REACTIVATED;
      await this.recordChange(actor, saved, action, tx);
      return saved;
    });
    this.changes.changedHere('renkei_auth');
    return result;
  }

  private recordChange(
    actor: Principal | undefined,
    org: Organisation,
    action: AuditAction,
    tx: EntityManager,
  ) {
    return this.audit.record(
      {
        action,
        outcome: 'success',
        ...actorOf(actor),
        organisationId: org.id,
        targetType: 'organisation',
        targetId: org.id,
        details: action === AuditAction.ORGANISATION_CREATED ? { kind: org.kind } : {},
      },
      tx,
    );
  }

  private async checkReferences(
    input: { sectorCode?: string; groupId?: string },
    errors: FieldError[],
    manager?: EntityManager,
  ): Promise<void> {
    const sectors = manager ? manager.getRepository(Sector) : this.sectors;
    const groups = manager ? manager.getRepository(CorporateGroup) : this.groups;
    if (input.sectorCode && !(await sectors.existsBy({ code: input.sectorCode }))) {
      errors.push({
        path: 'input.sectorCode',
        message: `"${input.sectorCode}" is not a known sector (see the sectors query)`,
      });
    }
    if (input.groupId && !(await groups.existsBy({ id: input.groupId }))) {
      errors.push({ path: 'input.groupId', message: 'is not a known corporate group' });
    }
  }

  /** Normalises each value, reporting bad ones by index; drops duplicates after normalising. */
  private normaliseAll(
    values: string[],
    field: string,
    normalise: (v: string) => { ok: true; value: string } | { ok: false; message: string },
    errors: FieldError[],
  ): string[] {
    const out = new Set<string>();
    values.forEach((v, i) => {
      const r = normalise(v);
      if (r.ok) out.add(r.value);
      else errors.push({ path: `input.${field}.${i}`, message: r.message });
    });
    return [...out];
  }

  private conflict(e: unknown, name: string): unknown {
    return isUniqueViolation(e, 'UQ_organisation_name')
      ? new ConflictError(`An organisation named "${name}" already exists`, 'input.name')
      : e;
  }
}
