import { ScopedDatabase } from '@renkei/sharing';

/** Whether an organisation is the hub's coordinator (the sector CSIRT that serves the members). */
export async function isCoordinator(scoped: ScopedDatabase, orgId: string): Promise<boolean> {
  const rows: { kind: string }[] = await scoped.run({ kind: 'system' }, (tx) =>
    tx.query('SELECT kind FROM organisation WHERE id = $1', [orgId]),
  );
  return rows[0]?.kind === 'coordinator';
}
