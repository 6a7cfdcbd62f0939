import { createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Found by the fuzz test (test/fuzz.e2e-spec.ts, FUZZ_SEED=77): `GET /feeds/ip.txt?sector=%00`
 * was a 500, because the NUL reached PostgreSQL, which cannot hold one in text. A sector is a
 * sector code; anything else is the caller's error, named with its parameter.
 */

jest.setTimeout(120_000);

let t: TestHub;
let feeds: string;

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const orgAdmin = await member(t, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  const r = await t.gql<{ createApiToken: { token: string } }>(
    'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
    {},
    orgAdmin.token,
  );
  feeds = r.data!.createApiToken.token;
});

afterAll(async () => {
  await t?.stop();
});

async function pull(query: string) {
  const res = await fetch(`${t.url}/feeds/ip.txt?${query}`, {
    headers: { authorization: `Bearer ${feeds}` },
  });
  return { status: res.status, requestId: res.headers.get('x-request-id'), text: await res.text() };
}

describe('the sector parameter of a feed', () => {
  it.each([
    ['a NUL byte', 'sector=%00', 'sector.0'],
    ['a NUL inside a code', 'sector=gas%00power', 'sector.0'],
    ['a control character', 'sector=electric-power,%1b[31m', 'sector.0'],
    ['a space', 'sector=electric%20power', 'sector.0'],
  ])('with %s is refused 400 with its path', async (_, query, path) => {
    const r = await pull(query);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.text);
    expect(body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: expect.any(String),
        fieldErrors: [{ path, message: expect.stringMatching(/is not a sector code/) }],
      },
      requestId: r.requestId,
    });
  });

  it('with sector codes still filters', async () => {
    expect(await pull('sector=electric-power')).toMatchObject({ status: 200 });
    expect(await pull('sector=gas,electric-power&sector=water')).toMatchObject({ status: 200 });
  });
});
