import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConflictError,
  HUB_CONFIG,
  HubConfig,
  mailboxKey,
  UnauthenticatedError,
} from '@renkei/platform';
import { DataSource, EntityManager } from 'typeorm';
import { hashToken } from '../auth/session.service';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { OrganisationService } from '../organisations/organisation.service';
import { Role, User } from '../users/user.entity';
import { UserService } from '../users/user.service';
import { HubSetup } from './hub-setup.entity';

export interface SetupRequest {
  email: string;
  password: string;
  displayName: string;
  coordinatorName: string;
  coordinatorSectorCode: string;
}

export type SetupState =
  | { state: 'complete' }
  | { state: 'bootstrapped'; email: string }
  | { state: 'token'; token: string };

/**
 * First start: no administrator and no default password exist. Either the environment names the
 * first admin, or a one-time token is printed with which `completeSetup` creates the coordinator
 * organisation and its first hub admin. A new start before setup prints a new token and voids
 * the old one.
 */
@Injectable()
export class SetupService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly organisations: OrganisationService,
    private readonly users: UserService,
  ) {}

  async isComplete(): Promise<boolean> {
    const row = await this.db.getRepository(HubSetup).findOneBy({ id: 1 });
    return Boolean(row?.completedAt);
  }

  async prepare(): Promise<SetupState> {
    return this.db.transaction(async (tx) => {
      const row = await this.lockRow(tx);
      if (row.completedAt) return { state: 'complete' };
      const admin = this.config.bootstrapAdmin;
      if (admin) {
        await this.createFirstAdmin(tx, {
          email: admin.email,
          password: admin.password,
          displayName: 'Hub administrator',
          coordinatorName: admin.coordinatorName,
          coordinatorSectorCode: 'other',
        });
        return { state: 'bootstrapped', email: mailboxKey(admin.email) };
      }
      const token = `rksetup_${randomBytes(24).toString('base64url')}`;
      await tx
        .getRepository(HubSetup)
        .update(1, { tokenHash: hashToken(token), tokenCreatedAt: new Date() });
      return { state: 'token', token };
    });
  }

  async complete(
    token: string,
    request: SetupRequest,
  ): Promise<{ user: User; organisation: Organisation }> {
    return this.db.transaction(async (tx) => {
      const row = await this.lockRow(tx);
      if (row.completedAt) throw new ConflictError('The hub is already set up');
      const given = hashToken(token);
      if (!row.tokenHash || !timingSafeEqual(row.tokenHash, given)) {
        throw new UnauthenticatedError(
          'The setup token is wrong; use the one the hub printed at its last start',
        );
      }
      return this.createFirstAdmin(tx, request);
    });
  }

  /** For the demo seeder and tests: setup done by other means. */
  async markComplete(tx: EntityManager): Promise<void> {
    await this.lockRow(tx);
    await tx.getRepository(HubSetup).update(1, { completedAt: new Date(), tokenHash: null });
  }

  private async createFirstAdmin(tx: EntityManager, r: SetupRequest) {
    const organisation = await this.organisations.create(
      {
        name: r.coordinatorName,
        kind: OrganisationKind.COORDINATOR,
        sectorCode: r.coordinatorSectorCode,
      },
      tx,
    );
    const user = await this.users.create(
      'setup',
      {
        organisationId: organisation.id,
        email: mailboxKey(r.email),
        displayName: r.displayName,
        role: Role.HUB_ADMIN,
        initialPassword: r.password,
      },
      tx,
    );
    await tx.getRepository(HubSetup).update(1, { completedAt: new Date(), tokenHash: null });
    return { user, organisation };
  }

  private async lockRow(tx: EntityManager): Promise<HubSetup> {
    await tx.query('INSERT INTO hub_setup (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
    const [row] = await tx.query(
      'SELECT completed_at AS "completedAt", token_hash AS "tokenHash" FROM hub_setup WHERE id = 1 FOR UPDATE',
    );
    return row as HubSetup;
  }
}
