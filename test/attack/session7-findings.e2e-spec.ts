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
    expect(r.errors).toBeUndefined(); // accepted as a narrowing: N has no group now
    await move(s, s.org.n, { groupId: s.group }); // N joins X's group; Y (gas) is a group company
    // The sector audience never shows the report to Y, whatever N joins…
    expect((await all(s, baseline)).y).toBe(false);
    // …but the "narrowed" one now reaches Y (gas), which no sector reader ever made possible.
    expect((await all(s, narrowed)).y).toBe(false);
  });
});
