import { Args, Field, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import {
  ConflictError,
  Connection,
  decodeCursor,
  isUniqueViolation,
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

@ObjectType()
export class CorporateGroupConnection extends Connection(CorporateGroup, 'CorporateGroup') {}

@Resolver(() => CorporateGroup)
export class CorporateGroupResolver {
  constructor(
    @InjectRepository(CorporateGroup) private readonly groups: Repository<CorporateGroup>,
  ) {}

  @Query(() => CorporateGroupConnection)
  async corporateGroups(@Args() page: PageArgs): Promise<CorporateGroupConnection> {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const qb = this.groups.createQueryBuilder('g');
    const total = await qb.getCount();
    if (page.after) {
      const [name, id] = decodeCursor(page.after, 2);
      qb.where('(g.name, g.id) > (:name, :id)', { name, id });
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
