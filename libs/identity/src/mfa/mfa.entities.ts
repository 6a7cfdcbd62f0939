import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity';

/** A user's TOTP authenticator. The seed is sealed with AES-256-GCM (see SecretBox). */
@Entity('totp_factor')
export class TotpFactor {
  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'PK_totp_factor' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_totp_factor_user' })
  user?: User;

  @Column('bytea', { name: 'secret_sealed' })
  secretSealed: Buffer;

  @Column('text', { name: 'key_id' })
  keyId: string;

  /** The last accepted time step: a code of this step or earlier is a replay. */
  @Column('bigint', { name: 'last_time_step', nullable: true })
  lastTimeStep: string | null;

  /** Null until a first valid code proves the user's app has the seed. */
  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt: Date | null;

  @Column('int', { name: 'consecutive_failures', default: 0 })
  consecutiveFailures: number;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('passkey')
export class Passkey {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_passkey' })
  id: string;

  @Index('IDX_passkey_user')
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_passkey_user' })
  user?: User;

  /** base64url credential id, as WebAuthn transports it. */
  @Index('UQ_passkey_credential', { unique: true })
  @Column('text', { name: 'credential_id' })
  credentialId: string;

  @Column('bytea', { name: 'public_key' })
  publicKey: Buffer;

  @Column('bigint', { name: 'sign_count', default: 0 })
  signCount: string;

  @Column('text', { array: true, default: () => "'{}'" })
  transports: string[];

  /** singleDevice or multiDevice (synced passkey). */
  @Column('text', { name: 'device_type' })
  deviceType: string;

  @Column('boolean', { name: 'backed_up' })
  backedUp: boolean;

  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}

/** Single-use recovery codes; only a salted SHA-256 of each (80-bit) code is kept. */
@Entity('recovery_code')
export class RecoveryCode {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_recovery_code' })
  id: string;

  @Index('IDX_recovery_code_user')
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_recovery_code_user' })
  user?: User;

  @Column('bytea', { name: 'code_hash' })
  codeHash: Buffer;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A WebAuthn ceremony in progress: its challenge, used once, within five minutes. */
@Entity('webauthn_challenge')
@Check('CHK_webauthn_challenge_purpose', `purpose IN ('registration', 'authentication')`)
export class WebauthnChallenge {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webauthn_challenge' })
  id: string;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  @Column('text')
  challenge: string;

  @Column('text')
  purpose: 'registration' | 'authentication';

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
