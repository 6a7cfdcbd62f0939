/**
 * Conditions under which this process can no longer serve and only a restart helps (the
 * embedded PostgreSQL that could not be brought back, for one). Liveness (/healthz) fails while
 * any is set, so an orchestrator restarts the hub; a database that is merely down for a while
 * fails readiness only. Process-wide because what it describes is: one process, one embedded
 * server.
 */
const fatal = new Map<string, string>();

export const liveness = {
  fail(source: string, why: string): void {
    fatal.set(source, why);
  },
  clear(source: string): void {
    fatal.delete(source);
  },
  /** Each failing source with why, empty while the process is fit to serve. */
  problems(): Record<string, string> {
    return Object.fromEntries(fatal);
  },
};
