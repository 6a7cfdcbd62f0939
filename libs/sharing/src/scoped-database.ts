import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PolicyPrincipal } from './tlp-policy';
import { principalSettings, SystemPrincipal } from './tlp-policy.sql';

/**
 * Every read or write of shareable data runs here: one transaction as the restricted role
 * renkei_app (no BYPASSRLS, not the tables' owner) with the principal set transaction-locally,
 * so PostgreSQL's row-level security filters every statement, including one that forgets to.
 */
@Injectable()
export class ScopedDatabase {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(
    p: PolicyPrincipal | SystemPrincipal,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    const settings = principalSettings(p);
    return this.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE renkei_app');
      await tx.query(
        'SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)',
        [settings.map(([n]) => n), settings.map(([, v]) => v)],
      );
      return work(tx);
    });
  }
}
