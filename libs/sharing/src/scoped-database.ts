import { Injectable } from '@nestjs/common';
import { ReadRouter } from '@renkei/platform';
import { EntityManager } from 'typeorm';
import { PolicyPrincipal } from './tlp-policy';
import { principalSettings, SystemPrincipal } from './tlp-policy.sql';

/**
 * Every read or write of shareable data runs here: one transaction as the restricted role
 * renkei_app (no BYPASSRLS, not the tables' owner) with the principal set transaction-locally,
 * so PostgreSQL's row-level security filters every statement, including one that forgets to.
 * ReadRouter decides which server runs it: a replica for the reads of a request that allows
 * it (ADR 0030), the primary for everything else; the role and policies are the same on both.
 */
@Injectable()
export class ScopedDatabase {
  constructor(private readonly reads: ReadRouter) {}

  run<T>(
    p: PolicyPrincipal | SystemPrincipal,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    const settings = principalSettings(p);
    return this.reads.read((db) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE renkei_app');
        await tx.query(
          'SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)',
          [settings.map(([n]) => n), settings.map(([, v]) => v)],
        );
        return work(tx);
      }),
    );
  }
}
