import { gq } from './support';
import { all, move, narrowScene, NScene, report, UPDATE } from './session7-common';

jest.setTimeout(120_000);

/*
 * Session 7 attack pass findings (each test fails while the finding stands).
 */
describe('session 7 findings: narrowing an audience', () => {
  let s: NScene;
  beforeAll(async () => {
    s = await narrowScene();
  });
  afterAll(async () => {
    await s?.t.stop();
  });

  it('an AMBER sector report narrowed (unaudited) to an ungrouped organisation is not forwarded to a group it joins later, as the sector audience never was', async () => {
    const E = { sectorCodes: ['electric-power'] };
    const narrowed = await report(s, 'AMBER', E);
    const baseline = await report(s, 'AMBER', E);
    const r = await gq(
      s.t,
      UPDATE,
      { id: narrowed, i: { audience: { organisationIds: [s.org.n] } } },
      s.tok.a,
    );
    // Found: this was accepted as a narrowing (N had no group then), and once N joined X's group
    // the report reached Y (gas) by AMBER forwarding. Now AMBER for a newly named organisation
    // is a widening, whatever its group today: the change is refused.
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await move(s, s.org.n, { groupId: s.group }); // N joins X's group; Y (gas) is a group company
    // The sector audience never shows the report to Y, whatever N joins, and neither does the
    // report whose narrowing was refused.
    expect((await all(s, baseline)).y).toBe(false);
    expect((await all(s, narrowed)).y).toBe(false);
  });
});
