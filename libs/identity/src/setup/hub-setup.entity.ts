import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: the hash of the one-time setup token printed at first start, and when setup was
 * completed. Once completed, no token is accepted again.
 */
@Entity('hub_setup')
@Check('CHK_hub_setup_single_row', 'id = 1')
export class HubSetup {
  @PrimaryColumn('int', { primaryKeyConstraintName: 'PK_hub_setup' })
  id: number;

  @Column('bytea', { name: 'token_hash', nullable: true })
  tokenHash: Buffer | null;

  @Column('timestamptz', { name: 'token_created_at', nullable: true })
  tokenCreatedAt: Date | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
