import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Critical-infrastructure sectors. Data, not an enum: hubs outside Japan edit the table. */
@ObjectType()
@Entity('sector')
export class Sector {
  @Field({ description: 'Stable identifier, e.g. `electric-power`.' })
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_sector' })
  code: string;

  @Field()
  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Field()
  @Column('text', { name: 'name_ja' })
  nameJa: string;

  @Column('int')
  position: number;
}
