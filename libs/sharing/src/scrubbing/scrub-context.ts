import { EntityManager } from 'typeorm';
import { ScrubContext } from './scrubber';

/**
 * What the scrubber removes from an organisation's text: its names, domains, ranges, the terms
 * its admins added, and its users' display names and e-mail addresses. One loader for every
 * kind of item (reports, comments, indicator lists), so none of them forgets a part.
 *
 * Read in the request's scoped transaction; the users through renkei_scrub_people, which answers
 * for the principal's own organisation only (the restricted role has no grant on hub_user).
 */
export async function loadScrubContext(tx: EntityManager, orgId: string): Promise<ScrubContext> {
  const [org] = await tx.query(
    `SELECT name, domains, address_ranges::text[] AS ranges,
            ARRAY(SELECT term FROM organisation_scrub_term WHERE org_id = $1) AS terms
       FROM organisation WHERE id = $1`,
    [orgId],
  );
  const users: { display_name: string; email: string }[] = await tx.query(
    'SELECT display_name, email FROM renkei_scrub_people($1)',
    [orgId],
  );
  return {
    organisationNames: [org.name],
    domains: org.domains,
    addressRanges: org.ranges,
    extraTerms: org.terms,
    personNames: users.map((u) => u.display_name),
    emails: users.map((u) => u.email),
  };
}
