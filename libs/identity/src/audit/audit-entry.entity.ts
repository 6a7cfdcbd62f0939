import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditOutcome {
  SUCCESS = 'success',
  FAILURE = 'failure',
  DENIED = 'denied',
}
registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  valuesMap: {
    SUCCESS: { description: 'The action happened.' },
    FAILURE: { description: 'The action was attempted and failed (e.g. a wrong password).' },
    DENIED: { description: 'The caller was not allowed to do it.' },
  },
});

/**
 * One security event in the append-only, hash-chained audit trail (see audit-chain.ts). Rows are
 * only ever inserted by AuditService; a trigger refuses UPDATE, DELETE and TRUNCATE. There are no
 * foreign keys on purpose: entries must outlive the users and organisations they name.
 */
@ObjectType({ description: 'A security event in the tamper-evident audit trail.' })
@Entity('audit_log')
@Check('CHK_audit_log_outcome', `outcome IN ('success', 'failure', 'denied')`)
@Index('IDX_audit_log_organisation', ['organisationId', 'id'])
@Index('IDX_audit_log_action', ['action', 'id'])
export class AuditEntry {
  /** bigint; the pg driver returns it as a string, so does the API. */
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'PK_audit_log',
  })
  id: string;

  @Field()
  @Column('timestamptz', { default: () => 'now()' })
  at: Date;

  @Field(() => ID, { nullable: true, description: 'The user who acted; null for the system.' })
  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'actor_organisation_id', nullable: true })
  actorOrganisationId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The organisation the event concerns; its org admins see the entry.',
  })
  @Column('uuid', { name: 'organisation_id', nullable: true })
  organisationId: string | null;

  @Field({ description: 'What happened, e.g. `user.created` or `login.failure`.' })
  @Column('text')
  action: string;

  @Field(() => AuditOutcome)
  @Column('text')
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The kind of thing acted on, e.g. `user`.' })
  @Column('text', { name: 'target_type', nullable: true })
  targetType: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'target_id', nullable: true })
  targetId: string | null;

  @Field(() => String, { nullable: true })
  @Column('inet', { name: 'client_address', nullable: true })
  clientAddress: string | null;

  /** Exposed as `detailsJson` by the resolver: the API has no JSON scalar. */
  @Column('jsonb', { default: {} })
  details: Record<string, unknown>;

  @Column('bytea', { name: 'prev_hash', nullable: true })
  prevHash: Buffer | null;

  @Column('bytea')
  hash: Buffer;
}
