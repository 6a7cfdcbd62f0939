import { startTestHub, TestHub } from './support/test-hub';

/*
 * Found by the fuzz test (test/fuzz.e2e-spec.ts): every GraphQL document that did not parse
 * was answered 500 GRAPHQL_VALIDATION_FAILED, because graphql-armor's token limit parsed the
 * document inside an Apollo plugin hook, where a syntax error counts as the server failing.
 * A document the client got wrong is the client's error: 400, GRAPHQL_PARSE_FAILED, with where.
 */

jest.setTimeout(120_000);

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ GRAPHQL_MAX_TOKENS: '100' });
});

afterAll(async () => {
  await t?.stop();
});

async function post(query: string) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    body: (await res.json()) as {
      errors?: {
        message: string;
        locations?: { line: number; column: number }[];
        extensions?: { code?: string };
      }[];
    },
  };
}

describe('a GraphQL document that does not parse', () => {
  it.each([
    ['an unclosed selection', '{ hubStatus { ', { line: 1, column: 15 }],
    ['a bare number', '9999-12-31', { line: 1, column: 1 }],
    ['an error on a later line', 'query {\n  hubStatus {\n    ready\n  ', { line: 4, column: 3 }],
  ])(
    '%s is the client’s error: 400 GRAPHQL_PARSE_FAILED with its line and column',
    async (_, query, at) => {
      const r = await post(query);
      expect(r.status).toBe(400);
      expect(r.requestId).toBeTruthy();
      expect(r.body.errors).toEqual([
        {
          message: expect.stringMatching(/^Syntax Error: /),
          locations: [at],
          extensions: { code: 'GRAPHQL_PARSE_FAILED', requestId: r.requestId },
        },
      ]);
    },
  );

  it('past the token limit is refused the same way, before the rest is read', async () => {
    const r = await post(`{ ${'__typename '.repeat(150)}}`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Syntax Error: .*100 tokens/),
        locations: expect.any(Array),
        extensions: { code: 'GRAPHQL_PARSE_FAILED', requestId: r.requestId },
      },
    ]);
  });

  it('within the token limit still runs', async () => {
    const r = await post(`{ ${'__typename '.repeat(90)}}`);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });
});
