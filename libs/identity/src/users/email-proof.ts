/**
 * Whether an address lies in one of an organisation's registered domains (or a subdomain of
 * one): then the organisation, which the hub admin registered with those domains, vouches for
 * it and no link is needed (ADR 0016).
 */
export function inDomains(email: string, domains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const host = email
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** How long a one-time e-mail link stays redeemable. */
export const EMAIL_PROOF_TTL_MS = 72 * 3600_000;
