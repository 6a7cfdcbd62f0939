import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { TestHub } from '../support/test-hub';
import { gq, Json } from './support';
import { lockWaiters } from '../support/lock-waiters';

export { lockWaiters };

/*
 * Session 8 attack pass (one lock order for list writers, ADR 0043; TRY_AGAIN): shared helpers.
 * The second pg client stands in for another hub instance or a slow writer only: it takes
 * locks, counts lock waiters and never reads what a member could not.
 */

/** Distinct public addresses (45.x.y.z), `n` of them from `from`. */
export function addrs(from: number, n: number): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++)
    out.push(`45.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255 || 1}`);
  return [...new Set(out)];
}

/** The outcome of a request as a short code: HTTP status plus GraphQL error codes. */
export interface Outcome {
  what: string;
  status: number;
  codes: string[];
  body: string;
}

export async function gqlOutcome(
  t: TestHub,
  what: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<Outcome> {
  const r = await t.gql<Json>(query, variables, token);
  return {
    what,
    status: r.status,
    codes: (r.errors ?? []).map((e: Json) => String(e.extensions?.code)),
    body: JSON.stringify({ data: r.data, errors: r.errors }),
  };
}

export async function restOutcome(
  t: TestHub,
  what: string,
  token: string,
  listId: string,
  body: string,
  contentType: string,
): Promise<Outcome> {
  const res = await fetch(`${t.url}/api/lists/${listId}/entries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  let codes: string[] = [];
  try {
    const j = JSON.parse(text);
    if (j.error?.code) codes = [j.error.code];
  } catch {
    codes = ['NOT_JSON'];
  }
  return { what, status: res.status, codes, body: text };
}

/** A request that answered as an internal fault or a rolled-back write. */
export function faulty(o: Outcome): boolean {
  return (
    o.status >= 500 ||
    o.codes.some((c) => /INTERNAL|TRY_AGAIN|DATABASE_UNAVAILABLE|UNKNOWN/.test(c))
  );
}

/** A STIX 2.1 bundle of IPv4 indicators. */
export function stix(values: string[]): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    type: 'bundle',
    id: `bundle--${crypto.randomUUID()}`,
    objects: values.map((v) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${crypto.randomUUID()}`,
      created: now,
      modified: now,
      valid_from: now,
      pattern_type: 'stix',
      pattern: `[ipv4-addr:value = '${v}']`,
    })),
  });
}

/**
 * Runs `request` while `c` closes a lock cycle with it (as another hub instance would): `c`
 * holds the list row the request is about to lock, waits until the request waits, then takes
 * the feed's counter, which the request took first. The request waited first, so PostgreSQL's
 * deadlock check fails the request's transaction.
 */
export async function inCycle<T>(
  c: Client,
  listId: string,
  request: () => Promise<T>,
  { hold = true }: { hold?: boolean } = {},
): Promise<T> {
  await c.query('BEGIN');
  let open = true;
  try {
    await c.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [listId]);
    const answer = request();
    await lockWaiters(c, 1);
    await c.query('SELECT renkei_take_feed()');
    // Not holding on: a hub that runs the rolled-back transaction again gets through.
    if (!hold) {
      open = false;
      await c.query('ROLLBACK');
    }
    return await answer;
  } finally {
    if (open) await c.query('ROLLBACK');
  }
}

/** Holds the feed's counter (a slow writer in another instance) while `during` runs. */
export async function holdingFeed<T>(c: Client, during: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    await c.query('SELECT renkei_take_feed()');
    return await during();
  } finally {
    await c.query('ROLLBACK');
  }
}

/** Settles `p` or answers 'pending' once `ms` have passed (an order probe, not a timing one). */
export async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p,
    new Promise<'pending'>((res) => (timer = setTimeout(() => res('pending'), ms))),
  ]);
  clearTimeout(timer);
  return r;
}

export interface Receiver {
  server: Server;
  url: string;
  deliveries: string[];
}

export async function receiver(): Promise<Receiver> {
  const deliveries: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      deliveries.push(b);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
  };
}

export async function auditCount(t: TestHub, orgAdmin: string): Promise<number> {
  const r = await gq(t, '{ auditLog(first: 1) { totalCount } }', {}, orgAdmin);
  return r.auditLog.totalCount;
}

export async function liveValues(t: TestHub, token: string, listId: string): Promise<number> {
  const r = await gq(
    t,
    'query($id: ID!) { indicatorList(id: $id) { liveEntries } }',
    { id: listId },
    token,
  );
  return r.indicatorList?.liveEntries ?? -1;
}
