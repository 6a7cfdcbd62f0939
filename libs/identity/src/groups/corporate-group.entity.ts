import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A corporate group: AMBER items may be forwarded to the recipient's group companies. */
@ObjectType()
@Entity('corporate_group')
export class CorporateGroup {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_corporate_group' })
  id: string;

  @Field()
  @Index('UQ_corporate_group_name', { unique: true })
  @Column('text')
  name: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
