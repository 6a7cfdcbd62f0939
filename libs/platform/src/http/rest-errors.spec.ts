import { httpErrorOf, restErrorBody } from './rest-errors';

describe('httpErrorOf', () => {
  it.each([
    [
      { expose: true, status: 413, type: 'entity.too.large', message: 'request entity too large' },
      413,
      'PAYLOAD_TOO_LARGE',
      /larger than/,
    ],
    [
      {
        expose: true,
        status: 400,
        type: 'entity.parse.failed',
        message: 'Unexpected token "secret"',
      },
      400,
      'BAD_USER_INPUT',
      /not valid JSON/,
    ],
    [
      { expose: true, status: 415, type: 'encoding.unsupported', message: 'x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /Content-Encoding/,
    ],
    [{ getStatus: () => 404, message: 'Cannot GET /api/nowhere' }, 404, 'NOT_FOUND', /Cannot GET/],
    [{ getStatus: () => 405, message: 'Method Not Allowed' }, 405, 'METHOD_NOT_ALLOWED', /Method/],
    [{ getStatus: () => 418, message: "I'm a teapot" }, 418, 'BAD_USER_INPUT', /teapot/],
  ])('keeps a client error: %j', (e, status, code, message) => {
    const answer = httpErrorOf(e);
    expect(answer).toMatchObject({ status, code });
    expect(answer.message).toMatch(message);
    expect(answer.message).not.toContain('secret');
  });

  it.each([
    new Error('relation "x" does not exist'),
    { status: 400, message: 'not marked exposable' },
    { getStatus: () => 503, message: 'down' },
    undefined,
  ])('says nothing of anything else: %j', (e) => {
    expect(httpErrorOf(e)).toEqual({
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: expect.not.stringMatching(/relation|exposable|down/),
    });
  });
});

it('answers a path or query that does not decode with 400, wherever it was decoded', () => {
  // Express's router marks its URIError with status 400 but not `expose`.
  const routed = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
  for (const e of [new URIError('URI malformed'), routed]) {
    expect(httpErrorOf(e)).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/percent-encoded UTF-8/),
    });
  }
});

describe('restErrorBody', () => {
  it('puts the code and message after the details, so details cannot replace them', () => {
    expect(restErrorBody('FORBIDDEN', 'no', 'r1', { code: 'X', reason: 'R' })).toEqual({
      error: { code: 'FORBIDDEN', message: 'no', reason: 'R' },
      requestId: 'r1',
    });
  });
});
