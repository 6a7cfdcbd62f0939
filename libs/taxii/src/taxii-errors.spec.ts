import { GraphQLError } from 'graphql';
import { taxiiErrorOf } from './taxii-errors';
import { taxiiErrorBody } from './taxii-media';
import { TaxiiError } from './taxii-params';

class HttpLikeException extends Error {
  constructor(private readonly status: number) {
    super(`http ${status}`);
  }
  getStatus() {
    return this.status;
  }
}

describe('taxiiErrorOf', () => {
  it('tells nothing of an unexpected failure: a generic 500', () => {
    for (const failure of [
      new Error('connect ECONNREFUSED 10.0.0.5:5432'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      Object.assign(new Error('date/time field value out of range: "0000-01-01"'), {
        code: '22008',
      }),
      new GraphQLError('internal', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      new HttpLikeException(503),
      Object.assign(new Error('pool exhausted'), { status: 500, expose: false }),
      'a string',
      undefined,
    ]) {
      const e = taxiiErrorOf(failure);
      expect(e.status).toBe(500);
      const body = JSON.stringify(taxiiErrorBody(e, 'req-7'));
      expect(body).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|undefined|0000|pool|internal"|http 503/);
      expect(JSON.parse(body)).toEqual({
        title: 'Internal error',
        description: expect.any(String),
        error_id: 'req-7',
        http_status: '500',
      });
    }
  });

  it('keeps the status and message of TAXII, hub and HTTP client errors', () => {
    const taxii = new TaxiiError(405, 'Method not allowed', 'read-only', { Allow: 'GET, HEAD' });
    expect(taxiiErrorOf(taxii)).toBe(taxii);
    const hub = (code: string, message: string) =>
      taxiiErrorOf(new GraphQLError(message, { extensions: { code } }));
    expect(hub('UNAUTHENTICATED', 'Authentication required')).toMatchObject({
      status: 401,
      description: 'Authentication required',
    });
    expect(hub('FORBIDDEN', 'This API token lacks the scope feeds:read')).toMatchObject({
      status: 403,
      description: 'This API token lacks the scope feeds:read',
    });
    expect(hub('NOT_FOUND', 'List not found').status).toBe(404);
    expect(hub('BAD_USER_INPUT', 'bad').status).toBe(400);
    expect(taxiiErrorOf(new HttpLikeException(404))).toMatchObject({ status: 404 });
    expect(
      taxiiErrorOf(
        Object.assign(new Error('Failed to decode param'), { status: 400, expose: true }),
      ),
    ).toMatchObject({ status: 400, title: 'Failed to decode param' });
  });

  it('writes the TAXII error message: http_status as a string, error_id when given', () => {
    expect(taxiiErrorBody(new TaxiiError(404, 'Collection not found'))).toEqual({
      title: 'Collection not found',
      http_status: '404',
    });
  });
});
