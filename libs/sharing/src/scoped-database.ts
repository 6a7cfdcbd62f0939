import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import {
  HUB_CONFIG,
  HubConfig,
  isPolicyCheckViolation,
  isTransactionConflict,
  ReadRouter,
} from '@renkei/platform';
import { EntityManager } from 'typeorm';
import { PolicyPrincipal } from './tlp-policy';
import { RESTRICTED_ROLE, scopeStatement, settingsOfEach, SystemPrincipal } from './tlp-policy.sql';

/**
 * Every read or write of shareable data runs here: one transaction as the restricted role
 * renkei_app (no BYPASSRLS, not the tables' owner) with the principal set transaction-locally,
 * so PostgreSQL's row-level security filters every statement, including one that forgets to.
 * ReadRouter decides which server runs it: a replica for the reads of a request that allows
 * it (ADR 0030), the primary for everything else; the role and policies are the same on both.
 */
@Injectable()
export class ScopedDatabase {
  private readonly attempts: number;

  constructor(
    private readonly reads: ReadRouter,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.attempts = config.database.transactionAttempts;
  }

  run<T>(
    p: PolicyPrincipal | SystemPrincipal,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.again(() =>
      this.reads.read((db) =>
        db.transaction(async (tx) => {
          await scope(tx, p, true);
          return work(tx);
        }),
      ),
    );
  }

  /**
   * A transaction PostgreSQL rolled back to let a concurrent one through (a deadlock, a
   * serialisation failure), or whose write a concurrent commit made the row-level security
   * refuse (isPolicyCheckViolation), is run again from its start, as PostgreSQL advises, up to
   * DATABASE_TRANSACTION_ATTEMPTS times in all: nothing of it was written, and `work` does
   * nothing outside its transaction that a second run would repeat. The last failure reaches
   * the caller, which answers TRY_AGAIN (ADR 0043). A short, growing, jittered pause first, so
   * the two sides of a cycle do not meet again at once.
   */
  private async again<T>(transaction: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction();
      } catch (e) {
        const again = isTransactionConflict(e) || isPolicyCheckViolation(e);
        if (attempt >= this.attempts || !again) throw e;
        await sleep(attempt * (5 + Math.random() * 20));
      }
    }
  }

  /**
   * `run` for several principals in turn, in one transaction: one item read for many readers
   * (push, ADR 0032) costs one BEGIN, role and COMMIT instead of one per reader. Each principal's
   * settings are set before its work, every setting each time (none carries over from the one
   * before), and its work is awaited before the next is set: every statement still runs under
   * exactly one principal. An error in any work ends the transaction for all of them.
   */
  runEach<P extends PolicyPrincipal, T>(
    principals: P[],
    work: (tx: EntityManager, p: P, index: number) => Promise<T>,
  ): Promise<T[]> {
    return this.again(() =>
      this.reads.read((db) =>
        db.transaction(async (tx) => {
          const out: T[] = [];
          for (const [i, p] of principals.entries()) {
            await scope(tx, p, i === 0);
            out.push(await work(tx, p, i));
          }
          return out;
        }),
      ),
    );
  }

  /**
   * One statement for several principals (push, ADR 0041): `work` gets the settings' names and
   * their values principal after principal, for a SQL function that sets all of a principal's
   * settings before each principal's read (renkei_report_rows_each), as `scope` does between
   * `runEach`'s works. The transaction runs as the restricted role, like every other here.
   */
  runForEach<T>(
    principals: PolicyPrincipal[],
    work: (tx: EntityManager, names: string[], values: string[]) => Promise<T>,
  ): Promise<T> {
    const { names, values } = settingsOfEach(principals);
    return this.reads.read((db) =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${RESTRICTED_ROLE}`);
        return work(tx, names, values);
      }),
    );
  }
}

/** The principal (and with `enter` the restricted role), transaction-locally: scopeStatement. */
async function scope(
  tx: EntityManager,
  p: PolicyPrincipal | SystemPrincipal,
  enter = false,
): Promise<void> {
  await tx.query(...scopeStatement(p, enter));
}
