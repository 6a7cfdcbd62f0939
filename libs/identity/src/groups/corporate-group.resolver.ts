import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import {
  ConflictError,
  Connection,
  decodeCursor,
  isUniqueViolation,
  likeContains,
  PageArgs,
  DEFAULT_PAGE_SIZE,
  toPage,
} from '@renkei/platform';
import { Repository } from 'typeorm';
import { RequireRole } from '../auth/auth.decorators';
import { Role } from '../users/user.entity';
import { CorporateGroup } from './corporate-group.entity';

@InputType()
export class CreateCorporateGroupInput {
  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200)
  name: string;
}

@InputType()
export class CorporateGroupFilter {
  @Field({ nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameContains?: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Only these groups (at most 100): the names of ids a client already holds.',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];
}

@ObjectType()
export class CorporateGroupConnection extends Connection(CorporateGroup, 'CorporateGroup') {}

@Resolver(() => CorporateGroup)
export class CorporateGroupResolver {
  constructor(
    @InjectRepository(CorporateGroup) private readonly groups: Repository<CorporateGroup>,
  ) {}

  @Query(() => CorporateGroupConnection)
  async corporateGroups(
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: CorporateGroupFilter,
  ): Promise<CorporateGroupConnection> {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const qb = this.groups.createQueryBuilder('g');
    if (filter?.nameContains) {
      qb.andWhere(`g.name ILIKE :pattern ESCAPE '\\'`, {
        pattern: likeContains(filter.nameContains),
      });
    }
    if (filter?.ids) qb.andWhere('g.id = ANY(:ids)', { ids: filter.ids });
    const total = await qb.getCount();
    if (page.after) {
      const [name, id] = decodeCursor(page.after, 2);
      qb.andWhere('(g.name, g.id) > (:name, :id)', { name, id });
    }
    const rows = await qb
      .orderBy('g.name')
      .addOrderBy('g.id')
      .take(first + 1)
      .getMany();
    return toPage(rows, first, total, (g) => [g.name, g.id]);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => CorporateGroup)
  async createCorporateGroup(
    @Args('input') input: CreateCorporateGroupInput,
  ): Promise<CorporateGroup> {
    try {
      return await this.groups.save(this.groups.create({ name: input.name }));
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(`A group named "${input.name}" already exists`, 'input.name');
      throw e;
    }
  }
}
