import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { aggregate, parseSpan, spanBlocks } from '../libs/indicators/src/feeds/cidr-aggregate';
import { createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { ensureDebianTools } from './support/debian-packages';

/*
 * The firewall recipes of docs/firewalls.md against the real tools: the hub's feeds, turned into
 * nftables and ipset scripts by contrib/firewall/, must load (in a network namespace of their
 * own, so the host's firewall is untouched) and leave the set holding exactly the feed's
 * addresses. Overlapping entries (a block and an address inside it, as a feed without
 * aggregate=true serves them), IPv6, and parts are among them. Where the tools or namespaces
 * are missing the tests say they are skipped.
 */

jest.setTimeout(180_000);

const CONTRIB = join(__dirname, '..', 'contrib', 'firewall');
const works = (cmd: string, args: string[]) => {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
};
ensureDebianTools({ nft: 'nftables', ipset: 'ipset' });
// nft -c still opens netlink for its cache: it needs CAP_NET_ADMIN, as a firewall host has.
const hasNft =
  works('nft', ['--version']) &&
  spawnSync('nft', ['-c', '-f', '-'], { input: 'table inet probe {}\n' }).status === 0;
const hasIpset = works('ipset', ['--version']);
// Loading for real needs a network namespace (root, or user namespaces); nft -c needs none.
const hasNetns = works('unshare', ['-n', 'true']);

function itIf(ok: boolean, why: string): jest.It {
  if (ok) return it;
  console.warn(`firewall-recipes.e2e-spec: skipped: ${why}`);
  return it.skip;
}

let t: TestHub;
let feeds: string;

/** Runs a shell command with `input` on stdin; fails the test with its stderr when it fails. */
function sh(command: string, input: string): string {
  const r = spawnSync('sh', ['-c', command], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

async function pull(path: string): Promise<string> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${feeds}` } });
  expect(res.status).toBe(200);
  return res.text();
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const canonical = (blocks: string[]) => {
  const { v4, v6 } = aggregate(blocks);
  return [...v4, ...v6];
};

/** An nft -j element (address, prefix or range) as CIDR blocks. */
function nftBlocks(elem: unknown): string[] {
  if (typeof elem === 'string') return [elem];
  const e = elem as { prefix?: { addr: string; len: number }; range?: [string, string] };
  if (e.prefix) return [`${e.prefix.addr}/${e.prefix.len}`];
  if (e.range) {
    const [first, last] = e.range.map((a) => parseSpan(a));
    return spanBlocks(first.v6, first.first, last.last);
  }
  throw new Error(`unexpected nft element ${JSON.stringify(elem)}`);
}

const FEEDS = [
  ['ipv4', '/feeds/ipv4.txt'],
  ['ipv4', '/feeds/ipv4.txt?aggregate=true'],
  ['ipv4', '/feeds/ipv4.txt?parts=3&part=1'],
  ['ipv4', '/feeds/ipv4.txt?parts=3&part=2&aggregate=true'],
  ['ipv6', '/feeds/ipv6.txt'],
  ['ipv6', '/feeds/ipv6.txt?aggregate=true'],
] as const;

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const orgAdmin = await member(t, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  const gql = async <T>(query: string, variables: Record<string, unknown>) => {
    const r = await t.gql<T>(query, variables, orgAdmin.token);
    if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  const { createIndicatorList } = await gql<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: 'Attack sources', tlp: 'GREEN' } },
  );
  const text = [
    '45.95.147.0/24',
    '45.95.147.7', // inside the /24: an interval set refuses the pair unless merged
    '185.220.100.0/22',
    '185.220.101.4',
    '46.64.0.0/10', // wide: cut where it spans parts
    '46.100.200.1',
    '193.142.146.35',
    '2a01:4f8::/32',
    '2a01:4f8::1',
    '2a03:b0c0:3:d0::1',
  ].join('\n');
  await gql(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: createIndicatorList.id, i: { text } },
  );
  const { createApiToken } = await gql<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: 'firewall', scopes: ['feeds:read'] } },
  );
  feeds = createApiToken.token;
});

afterAll(async () => {
  await t?.stop();
});

describe('nftables', () => {
  itIf(hasNft, 'nft is not installed (apt-get install nftables) or cannot open netlink')(
    'accepts every feed as a script for an interval set (nft -c)',
    async () => {
      for (const [family, path] of FEEDS) {
        const script = sh(`${CONTRIB}/renkei-nft.sh ${family}`, await pull(path));
        sh('nft -c -f -', script);
      }
    },
  );

  itIf(hasNft && hasNetns, 'nft or network namespaces (unshare -n) are unavailable')(
    'loads every feed, twice, and the set holds exactly its addresses',
    async () => {
      for (const [family, path] of FEEDS) {
        const feed = await pull(path);
        const script = sh(`${CONTRIB}/renkei-nft.sh ${family}`, feed);
        const set = `blocklist_v${family.slice(3)}`;
        // Twice: the second run replaces the set's contents, as a timer would every few minutes.
        const listed = sh(
          `f=$(mktemp) && cat > "$f" && unshare -n sh -c "nft -f $f && nft -f $f && nft -j list set inet renkei ${set}"; s=$?; rm -f "$f"; exit $s`,
          script,
        );
        const elems: unknown[] =
          (JSON.parse(listed) as { nftables: { set?: { elem?: unknown[] } }[] }).nftables.find(
            (o) => o.set,
          )?.set?.elem ?? [];
        expect([path, canonical(elems.flatMap(nftBlocks))]).toEqual([path, canonical(lines(feed))]);
      }
    },
  );

  it('refuses a body that is not a feed, writing no script', () => {
    const r = spawnSync('sh', [`${CONTRIB}/renkei-nft.sh`, 'ipv4'], {
      input: '45.95.147.7\n<html>502 Bad Gateway</html>\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('line 2 is not an address');
  });
});

describe('ipset', () => {
  itIf(hasIpset && hasNetns, 'ipset or network namespaces (unshare -n) are unavailable')(
    'restores every feed into a hash:net set, twice, and the set holds exactly its addresses',
    async () => {
      for (const [family, path] of FEEDS) {
        const feed = await pull(path);
        const script = sh(`${CONTRIB}/renkei-ipset.sh ${family}`, feed);
        const set = `renkei-v${family.slice(3)}`;
        const listed = sh(
          `f=$(mktemp) && cat > "$f" && unshare -n sh -c "ipset restore < $f && ipset restore < $f && ipset list ${set}"; s=$?; rm -f "$f"; exit $s`,
          script,
        );
        const members = lines(listed.slice(listed.indexOf('Members:') + 'Members:'.length));
        expect([path, canonical(members)]).toEqual([path, canonical(lines(feed))]);
      }
    },
  );

  it('refuses what hash:net cannot hold, writing no script', () => {
    const r = spawnSync('sh', [`${CONTRIB}/renkei-ipset.sh`, 'ipv4'], {
      input: '0.0.0.0/0\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });
});
