import {
  Args,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Connection, PageArgs } from '@renkei/platform';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { Role } from '../users/user.entity';
import { canonicalJson } from './audit-chain';
import { AuditEntry, AuditOutcome } from './audit-entry.entity';
import { AuditService } from './audit.service';

@InputType('AuditLogFilter')
export class AuditLogFilterInput {
  @Field({ nullable: true, description: 'An action such as `user.created`.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;
  @Field(() => AuditOutcome, { nullable: true })
  @IsOptional()
  @IsEnum(AuditOutcome)
  outcome?: AuditOutcome;
  @Field(() => ID, {
    nullable: true,
    description: 'Hub admins any; org admins only their own (which they always get).',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
  @Field({ nullable: true, description: 'Entries at or after this time.' })
  @IsOptional()
  @IsDate()
  since?: Date;
  @Field({ nullable: true, description: 'Entries before this time.' })
  @IsOptional()
  @IsDate()
  until?: Date;
}

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry, 'AuditEntry') {}

@ObjectType('AuditChainStatus')
export class AuditChainStatusType {
  @Field({ description: 'Every entry hashes to its stored hash and links to the one before.' })
  intact: boolean;
  @Field(() => Int) entries: number;
  @Field(() => ID, {
    nullable: true,
    description: 'The first entry that was edited, or follows a removed or reordered one.',
  })
  firstBrokenId: string | null;
}

/** Read-only by design: no operation edits or deletes entries. */
@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Query(() => AuditEntryConnection, {
    description:
      "The security audit trail, newest first. Hub admins see all; org admins their own organisation's entries.",
  })
  auditLog(
    @CurrentPrincipal() principal: Principal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: AuditLogFilterInput,
  ): Promise<AuditEntryConnection> {
    return this.service.list(principal, filter, page.first, page.after);
  }

  /** A mutation, not a query: it records an `audit.verified` entry and reads the whole chain. */
  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => AuditChainStatusType, {
    description: 'Re-hashes the whole audit trail and records that it was checked.',
  })
  verifyAuditChain(@CurrentPrincipal() principal: Principal): Promise<AuditChainStatusType> {
    return this.service.verifyAs(principal);
  }

  @ResolveField(() => String, { description: 'The details object as JSON, keys sorted.' })
  detailsJson(@Parent() entry: AuditEntry): string {
    return canonicalJson(entry.details);
  }
}
