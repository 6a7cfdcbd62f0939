import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';

export enum Role {
  HUB_ADMIN = 'hub_admin',
  ORG_ADMIN = 'org_admin',
  ANALYST = 'analyst',
  VIEWER = 'viewer',
}
registerEnumType(Role, {
  name: 'Role',
  valuesMap: {
    HUB_ADMIN: { description: 'Runs the hub: onboards organisations and users anywhere.' },
    ORG_ADMIN: { description: "Manages its own organisation's users." },
    ANALYST: { description: 'Reads and posts for its organisation.' },
    VIEWER: { description: 'Reads only.' },
  },
});

export enum UserStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType()
@Entity('hub_user')
@Check('CHK_hub_user_role', `role IN ('hub_admin', 'org_admin', 'analyst', 'viewer')`)
@Check('CHK_hub_user_status', `status IN ('active', 'suspended')`)
@Check('CHK_hub_user_email_lower', `email = lower(email)`)
@Check('CHK_hub_user_language', `language IN ('ja', 'en')`)
@Index('UQ_hub_user_email_verified', ['email'], {
  unique: true,
  where: 'email_verified_at IS NOT NULL',
})
@Index('UQ_hub_user_organisation_email', ['organisationId', 'email'], { unique: true })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_hub_user' })
  id: string;

  @Index('IDX_hub_user_organisation')
  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @ManyToOne(() => Organisation, { nullable: false })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_hub_user_organisation' })
  organisation?: Organisation;

  /**
   * Stored lower-case. Unique hub-wide only once proven (ADR 0016): an unproven address may sit
   * in several organisations, so creating one answers the same whether it exists elsewhere.
   */
  @Field()
  @Index('IDX_hub_user_email')
  @Column('text')
  email: string;

  /**
   * When the address was proven: at creation when it lies in the organisation's domains, else
   * when the user redeemed the one-time link. Until then the account cannot log in, and RED
   * never names it.
   */
  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  @Field()
  @Column('text', { name: 'display_name' })
  displayName: string;

  @Field(() => Role)
  @Column('text')
  role: Role;

  @Field(() => UserStatus)
  @Column('text', { default: UserStatus.ACTIVE })
  status: UserStatus;

  /** argon2id PHC string; null until the user has set a password. Never exposed. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash: string | null;

  /** Consecutive wrong passwords; at 100 the password is disabled until an admin reset. */
  @Column('int', { name: 'password_failures', default: 0 })
  passwordFailures: number;

  @Field({ description: 'May log in with a passkey alone (it verifies the user itself).' })
  @Column('boolean', { name: 'passwordless_enabled', default: false })
  passwordlessEnabled: boolean;

  /** The language of what the hub sends this user (alerts, digests): 'ja' or 'en'. */
  @Column('text', { default: 'ja' })
  language: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
