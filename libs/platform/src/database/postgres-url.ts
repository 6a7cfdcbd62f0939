/** The same server URL with another database name (tests and tools create databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Minimum server version the hub supports (row-level security, MERGE, pg_stat_io). */
export const MIN_POSTGRES_VERSION_NUM = 150000;
