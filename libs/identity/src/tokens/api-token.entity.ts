import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { cidrArrayTransformer } from '../organisations/cidr-array.transformer';

/** An organisation's service token for firewalls, SIEMs and scripts. Only its hash is stored. */
@ObjectType()
@Entity('api_token')
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_api_token' })
  id: string;

  @Index('IDX_api_token_organisation')
  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_api_token_organisation' })
  organisation?: Organisation;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'The first characters of the token, to recognise it in lists and logs.' })
  @Column('text', { name: 'token_prefix' })
  tokenPrefix: string;

  @Index('UQ_api_token_hash', { unique: true })
  @Column('bytea', { name: 'token_hash' })
  tokenHash: Buffer;

  @Field(() => [String])
  @Column('text', { array: true })
  scopes: string[];

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Field(() => [String], { description: 'Client address ranges allowed to use it; empty: any.' })
  @Column('cidr', {
    name: 'allowed_ranges',
    array: true,
    default: () => "'{}'",
    transformer: cidrArrayTransformer,
  })
  allowedRanges: string[];

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('inet', { name: 'last_used_address', nullable: true })
  lastUsedAddress: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
