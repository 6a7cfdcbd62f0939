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
import { CorporateGroup } from '../groups/corporate-group.entity';
import { Sector } from '../sectors/sector.entity';
import { cidrArrayTransformer } from './cidr-array.transformer';

export enum OrganisationKind {
  COORDINATOR = 'coordinator',
  SECTOR_CSIRT = 'sector_csirt',
  OPERATOR = 'operator',
  VENDOR = 'vendor',
}
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });

export enum OrganisationStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(OrganisationStatus, { name: 'OrganisationStatus' });

@ObjectType()
@Entity('organisation')
@Check('CHK_organisation_kind', `kind IN ('coordinator', 'sector_csirt', 'operator', 'vendor')`)
@Check('CHK_organisation_status', `status IN ('active', 'suspended')`)
export class Organisation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_organisation' })
  id: string;

  @Field()
  @Index('UQ_organisation_name', { unique: true })
  @Column('text')
  name: string;

  @Field(() => OrganisationKind)
  @Column('text')
  kind: OrganisationKind;

  @Column('text', { name: 'sector_code' })
  sectorCode: string;

  @ManyToOne(() => Sector, { nullable: false })
  @JoinColumn({ name: 'sector_code', foreignKeyConstraintName: 'FK_organisation_sector' })
  sector?: Sector;

  @Column('uuid', { name: 'group_id', nullable: true })
  groupId: string | null;

  @ManyToOne(() => CorporateGroup, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'FK_organisation_group' })
  group?: CorporateGroup | null;

  /** Owned address ranges (CIDR): anonymisation scrubs them, blocklists never block them. */
  @Column('cidr', {
    name: 'address_ranges',
    array: true,
    default: () => "'{}'",
    transformer: cidrArrayTransformer,
  })
  addressRanges: string[];

  /** Owned domain names, lower-case ASCII (punycode). */
  @Column('text', { array: true, default: () => "'{}'" })
  domains: string[];

  @Field(() => OrganisationStatus)
  @Column('text', { default: OrganisationStatus.ACTIVE })
  status: OrganisationStatus;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
