/** The sector's quarters are Japan's (UTC+9, no daylight saving), as the hub counts them. */
export function currentQuarter(now = new Date()): string {
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  return `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
}

/** The current quarter and the `years` years before it, newest first. */
export function recentQuarters(years = 4, now = new Date()): string[] {
  const [year, q] = currentQuarter(now).split('-Q').map(Number);
  const out: string[] = [];
  for (let i = 0; i < years * 4 + q; i++) {
    const index = year * 4 + (q - 1) - i;
    out.push(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  return out;
}
