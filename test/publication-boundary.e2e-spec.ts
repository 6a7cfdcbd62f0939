import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { sealedCursor } from './support/sealed-cursor';
import { WsClient } from './support/ws-client';

// ADR 0017: one place decides how another organisation's item is shown: the author (a pseudonym
// that at least ANONYMITY_K organisations other than the reader fit) and its times (rounded only
// behind a pseudonym). These tests read that from outside, through GraphQL.

const REPORT = `query($id: ID!) { report(id: $id) {
  author { label organisationId own } createdAt updatedAt publishedAt timeline { occurredAt }
} }`;
const LIST = `query($id: ID!) { indicatorList(id: $id) { author { label organisationId } createdAt updatedAt } }`;
const HOUR = 3_600_000;
const rounded = (iso: string) => new Date(Math.floor(Date.parse(iso) / HOUR) * HOUR).toISOString();

interface ReportView {
  author: { label: string; organisationId: string | null; own: boolean };
  createdAt: string;
  updatedAt: string;
  publishedAt: string;
  timeline: { occurredAt: string | null };
}

describe('the publication boundary (ADR 0017)', () => {
  let t: TestHub;
  let admin: string;
  // Electric power: three operators (Kanto, Tohoku, Kansai); gas: three operators; one vendor.
  let kanto: Member;
  let tohoku: Member;
  let gas: Member;
  let vendor: Member;

  beforeAll(async () => {
    t = await startTestHub({ ANONYMITY_K: '3', TIMESTAMP_ROUNDING_MINUTES: '60' });
    admin = (await t.bootstrapAdmin()).token;
    const org = (name: string, sectorCode: string, kind = 'OPERATOR') =>
      createOrg(t, admin, { name, sectorCode, kind });
    kanto = await member(t, admin, await org('Kanto Power', 'electric-power'), 'a@kanto.example');
    tohoku = await member(
      t,
      admin,
      await org('Tohoku Power', 'electric-power'),
      'a@tohoku.example',
    );
    await org('Kansai Power', 'electric-power');
    gas = await member(t, admin, await org('Tokyo Gas Works', 'gas'), 'a@tokyo-gas.example');
    await org('Osaka Gas Works', 'gas');
    await org('Saibu Gas Works', 'gas');
    vendor = await member(
      t,
      admin,
      await org('Relay Systems KK', 'electric-power', 'VENDOR'),
      'a@relay.example',
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  const read = async (m: Member, id: string): Promise<ReportView> => {
    const r = await t.gql<{ report: ReportView }>(REPORT, { id }, m.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.report;
  };

  describe('pseudonyms obey ANONYMITY_K (issue 12, item 3)', () => {
    let fromKanto: string;
    beforeAll(async () => {
      fromKanto = await publishReport(t, kanto.token, {
        title: 'Relay trip at a substation',
        tlp: 'GREEN',
      });
    });

    it('does not name the sector to a reader that leaves two candidates in it at k=3', async () => {
      // Tohoku is one of the three operators in electric power: only Kanto and Kansai remain,
      // and "a critical-infrastructure operator" would stand for just those two (the gas
      // operators keep their sector label), so they join the remainder (ADR 0017, classes).
      expect((await read(tohoku, fromKanto)).author).toEqual({
        label: 'a member organisation',
        organisationId: null,
        own: false,
      });
    });

    it('names the sector to a reader outside it, for whom three operators fit', async () => {
      expect((await read(gas, fromKanto)).author.label).toBe('an operator in electric power');
    });

    it('does not call the only vendor "a vendor"', async () => {
      const fromVendor = await publishReport(t, vendor.token, {
        title: 'Firmware advisory for protection relays',
        tlp: 'GREEN',
      });
      expect((await read(gas, fromVendor)).author).toEqual({
        label: 'a member organisation',
        organisationId: null,
        own: false,
      });
    });
  });

  describe('rounding only where it protects (issue 12, item 8)', () => {
    const occurredAt = '2026-11-20T09:47:13.456Z';

    it('shows a named report with exact times, the same the author sees', async () => {
      const id = await publishReport(t, kanto.token, {
        title: 'Planned maintenance window overran',
        tlp: 'GREEN',
        anonymous: false,
        timeline: { occurredAt },
      });
      const own = await read(kanto, id);
      const other = await read(gas, id);
      expect(other.author.organisationId).toBe(kanto.orgId);
      expect(other.publishedAt).toBe(own.publishedAt);
      expect(other.createdAt).toBe(own.createdAt);
      expect(other.updatedAt).toBe(own.updatedAt);
      expect(other.timeline.occurredAt).toBe(occurredAt);
    });

    it('still rounds an anonymous report', async () => {
      const id = await publishReport(t, kanto.token, {
        title: 'Unplanned outage',
        tlp: 'GREEN',
        timeline: { occurredAt },
      });
      const own = await read(kanto, id);
      const other = await read(gas, id);
      expect(other.author.organisationId).toBeNull();
      expect(other.publishedAt).toBe(rounded(own.publishedAt));
      expect(other.timeline.occurredAt).toBe(rounded(occurredAt));
    });

    it('exports a named report to STIX with its exact times, an anonymous one rounded', async () => {
      const published = async (m: Member, id: string) => {
        const res = await fetch(`${t.url}/api/reports/${id}/stix`, {
          headers: { authorization: `Bearer ${m.token}` },
        });
        expect(res.status).toBe(200);
        const bundle = (await res.json()) as { objects: { type: string; published?: string }[] };
        return Date.parse(bundle.objects.find((o) => o.type === 'report')!.published!);
      };
      const named = await publishReport(t, kanto.token, {
        title: 'Named report for STIX',
        tlp: 'GREEN',
        anonymous: false,
      });
      const exact = Date.parse((await read(kanto, named)).publishedAt);
      expect(await published(gas, named)).toBe(exact);
      const anonymous = await publishReport(t, kanto.token, {
        title: 'Anonymous for STIX',
        tlp: 'GREEN',
      });
      const shown = Date.parse(rounded((await read(kanto, anonymous)).publishedAt));
      expect(await published(gas, anonymous)).toBe(shown);
    });

    it('pushes a named report event with its exact time, an anonymous one rounded', async () => {
      // From the first event on: nothing depends on when the server registers the subscription.
      // Cursors are sealed per organisation (ADR 0018): each client holds its own for event 0.
      const EVENTS = (after: string) =>
        `subscription { reportEvents(after: "${after}") { kind at report { title } } }`;
      type Event = { reportEvents: { kind: string; at: string; report: { title: string } } };
      const own = await WsClient.connect(t.url, kanto.token);
      const other = await WsClient.connect(t.url, gas.token);
      try {
        own.subscribe('e', EVENTS(await sealedCursor(t, kanto.token, 0)));
        other.subscribe('e', EVENTS(await sealedCursor(t, gas.token, 0)));
        const published = async (client: WsClient, title: string) => {
          for (;;) {
            const e = (await client.next('e')) as Event | undefined;
            if (!e) throw new Error(`no event for ${title}`);
            if (e.reportEvents.report.title === title) return e.reportEvents.at;
          }
        };
        await publishReport(t, kanto.token, {
          title: 'Named push',
          tlp: 'GREEN',
          anonymous: false,
        });
        expect(await published(other, 'Named push')).toBe(await published(own, 'Named push'));
        await publishReport(t, kanto.token, { title: 'Anonymous push', tlp: 'GREEN' });
        expect(await published(other, 'Anonymous push')).toBe(
          rounded(await published(own, 'Anonymous push')),
        );
      } finally {
        own.close();
        other.close();
      }
    });

    it('filters a named report by the time it shows', async () => {
      const id = await publishReport(t, kanto.token, {
        title: 'Named report for the filter',
        tlp: 'GREEN',
        anonymous: false,
      });
      const shown = (await read(gas, id)).publishedAt;
      const found = await t.gql<{ reports: { edges: { node: { id: string } }[] } }>(
        'query($a: DateTime!) { reports(first: 100, filter: { publishedAfter: $a }) { edges { node { id } } } }',
        { a: shown },
        gas.token,
      );
      expect(found.data!.reports.edges.map((e) => e.node.id)).toContain(id);
    });

    it('shows a named indicator list with exact times, an anonymous one rounded', async () => {
      const create = async (anonymous: boolean) => {
        const r = await t.gql<{ createIndicatorList: { id: string } }>(
          'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
          { i: { name: `DoS sources (${anonymous})`, tlp: 'GREEN', anonymous } },
          kanto.token,
        );
        if (!r.data) throw new Error(JSON.stringify(r.errors));
        return r.data.createIndicatorList.id;
      };
      type ListView = { author: { organisationId: string | null }; createdAt: string };
      const view = async (m: Member, id: string) =>
        (await t.gql<{ indicatorList: ListView }>(LIST, { id }, m.token)).data!.indicatorList;
      const named = await create(false);
      expect((await view(gas, named)).createdAt).toBe((await view(kanto, named)).createdAt);
      const anonymous = await create(true);
      expect((await view(gas, anonymous)).createdAt).toBe(
        rounded((await view(kanto, anonymous)).createdAt),
      );
    });
  });
});
