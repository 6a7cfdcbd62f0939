import type { Browser } from 'playwright-core';
import { en, type Catalogue } from '../apps/console/src/i18n/en';
import { ja } from '../apps/console/src/i18n/ja';
import { launchChromium } from './support/chromium';
import { createGroup, createOrg, Member, member } from './support/community';
import {
  CONSOLE_LANGUAGES,
  consoleBase,
  consoleContext,
  reviewScreen,
} from './support/console-browser';
import { startTestHub, TestHub } from './support/test-hub';

const CATALOGUES: Record<'en' | 'ja', Catalogue> = { en, ja };
const COUNT = 150;
const numbered = (prefix: string, i: number) => `${prefix} ${String(i).padStart(3, '0')}`;

type Named = { totalCount: number; edges: { node: { id: string; name: string } }[] };

/**
 * The audience pickers of a community bigger than one page: 150 organisations and 150 corporate
 * groups. The directory queries search by name and name given ids on the hub, and the report
 * editor's pickers ask them as the person types, so number 150 can be picked (it used to show
 * the first 100 and search only those).
 */
describe('pickers beyond one page (150 organisations, 150 groups)', () => {
  let t: TestHub;
  let browser: Browser;
  let admin: string;
  let author: Member;
  const orgIds = new Map<string, string>();
  const groupIds = new Map<string, string>();
  const cspViolations: string[] = [];
  const axeFindings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    admin = (await t.bootstrapAdmin()).token;
    for (let i = 1; i <= COUNT; i++) {
      const name = numbered('Operator', i);
      orgIds.set(name, await createOrg(t, admin, { name, sectorCode: 'electric-power' }));
      const group = numbered('Group', i);
      groupIds.set(group, await createGroup(t, admin, group));
    }
    author = await member(t, admin, orgIds.get('Operator 001')!, 'author@operator-001.example');
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function directory(
    field: 'organisations' | 'corporateGroups',
    args: string,
    variables: Record<string, unknown> = {},
  ) {
    // Only the variables the arguments use: GraphQL refuses a declared one left unused.
    const declared = [
      args.includes('$ids') ? '$ids: [ID!]' : '',
      args.includes('$search') ? '$search: String' : '',
    ].filter(Boolean);
    const head = declared.length ? `query(${declared.join(', ')})` : 'query';
    return t.gql<Record<string, Named>>(
      `${head} { ${field}(${args}) { totalCount edges { node { id name } } } }`,
      variables,
      author.token,
    );
  }

  it('finds organisation and group number 150 by name, and names given ids, on the hub', async () => {
    for (const [field, prefix, ids] of [
      ['organisations', 'Operator', orgIds],
      ['corporateGroups', 'Group', groupIds],
    ] as const) {
      const page = (await directory(field, 'first: 100')).data![field];
      expect(page.edges.map((e) => e.node.name)).not.toContain(numbered(prefix, 150));

      const found = await directory(field, 'first: 20, filter: { nameContains: $search }', {
        search: '150',
      });
      expect(found.errors).toBeUndefined();
      expect(found.data![field].edges.map((e) => e.node.name)).toEqual([numbered(prefix, 150)]);
      // The person's % and _ are letters, not wildcards.
      const literal = await directory(field, 'first: 20, filter: { nameContains: $search }', {
        search: '%',
      });
      expect(literal.data![field].totalCount).toBe(0);

      const wanted = [numbered(prefix, 150), numbered(prefix, 7)];
      const named = await directory(field, 'first: 100, filter: { ids: $ids }', {
        ids: wanted.map((n) => ids.get(n)),
      });
      expect(named.data![field].edges.map((e) => e.node.name).sort()).toEqual(wanted.sort());
    }
  });

  it('refuses ids that are not ids, or more than 100, with the field path', async () => {
    for (const field of ['organisations', 'corporateGroups'] as const) {
      const bad = await directory(field, 'first: 10, filter: { ids: $ids }', { ids: ['42'] });
      expect(bad.data).toBeNull();
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(bad.errors?.[0].extensions)).toContain('filter.ids');
      const many = await directory(field, 'first: 10, filter: { ids: $ids }', {
        ids: [...orgIds.values()].slice(0, 101),
      });
      expect(many.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });

  for (const lang of CONSOLE_LANGUAGES) {
    const c = CATALOGUES[lang];

    it(`${lang}: the report editor picks organisation and group number 150 as the author types`, async () => {
      const { context, page } = await consoleContext(browser, {
        lang,
        sessionToken: author.token,
        cspViolations,
      });
      const base = consoleBase(t.url);
      await page.goto(`${base}/write`);
      await page.getByRole('textbox', { name: c.editor.title }).fill(`${lang} pickers`);
      await page.getByRole('combobox', { name: c.editor.tlp, exact: true }).click();
      await page.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();

      const orgs = page.getByRole('combobox', { name: c.editor.audienceOrganisations });
      await orgs.click();
      await orgs.pressSequentially('150');
      await page.getByRole('option', { name: 'Operator 150', exact: true }).click();
      await page.keyboard.press('Escape');
      const groups = page.getByRole('combobox', { name: c.editor.audienceGroups });
      await groups.click();
      await groups.pressSequentially('Group 15');
      await page.getByRole('option', { name: 'Group 150', exact: true }).click();
      await page.keyboard.press('Escape');
      axeFindings.push(...(await reviewScreen(page, 'journeys-picker', lang)));

      await page.getByRole('button', { name: c.editor.saveDraft }).click();
      await page.waitForURL(/\/write\/[^/]+$/);
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const saved = await t.gql<{
        report: { audience: { organisationIds: string[]; groupIds: string[] } };
      }>(
        'query($id: ID!) { report(id: $id) { audience { organisationIds groupIds } } }',
        { id },
        author.token,
      );
      expect(saved.data!.report.audience).toEqual({
        organisationIds: [orgIds.get('Operator 150')],
        groupIds: [groupIds.get('Group 150')],
      });

      // Opened again, the draft's audience reads as names, though neither is on a first page.
      await page.reload();
      const chips = page.locator('.mantine-Pill-label');
      await chips.getByText('Operator 150', { exact: true }).waitFor();
      await chips.getByText('Group 150', { exact: true }).waitFor();
      await context.close();
    });
  }

  it('axe-core found no serious or critical violation, and no CSP violation', () => {
    expect(axeFindings).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
