import { Client } from 'pg';
import { sealId, sealKeys } from '../../libs/sharing/src/sealed-ids';
import { TestHub } from './test-hub';

/**
 * The cursor a subscriber of this credential's organisation would hold at outbox id `id`
 * (ADR 0018): what a client that stored its last cursor has. Sealed here as the hub seals it,
 * from the hub's key in the database, so tests can start "from now" without waiting for an event.
 */
export async function sealedCursor(
  t: TestHub,
  token: string,
  id: string | number,
): Promise<string> {
  const who = await t.gql<{ whoami: { organisationId: string } }>(
    '{ whoami { organisationId } }',
    {},
    token,
  );
  if (!who.data) throw new Error(JSON.stringify(who.errors));
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT validator_key FROM feed_state WHERE id = 1');
    const keys = sealKeys(rows[0].validator_key, 'event ids');
    return sealId(keys, Number(id), `org:${who.data.whoami.organisationId}`);
  } finally {
    await db.end();
  }
}

/** The newest outbox id: a cursor at it misses nothing published from now on. */
export async function latestEventId(t: TestHub): Promise<string> {
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT coalesce(max(id), 0)::text AS id FROM hub_event');
    return rows[0].id;
  } finally {
    await db.end();
  }
}
