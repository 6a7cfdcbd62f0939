import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed-attempt counters per key: `account:<e-mail>` (whether or not the account exists),
 * `address:<client>`, `second-factor:<user>`.
 */
@Entity('auth_throttle')
export class AuthThrottle {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_auth_throttle' })
  key: string;

  @Column('int', { default: 0 })
  failures: number;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column('timestamptz', { name: 'last_failure_at' })
  lastFailureAt: Date;
}
