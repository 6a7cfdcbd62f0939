import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  isPolicyCheckViolation,
  isTransactionConflict,
  isUniqueViolation,
} from './hub-errors';

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['pg-pool giving up', new Error('timeout exceeded when trying to connect')],
    ['a server shutting down', { code: '57P01', message: 'terminating connection' }],
    ['a server still recovering', { code: '57P03', message: 'the database system is starting up' }],
    ['TypeORM wrapping a driver error', { message: 'x', driverError: { code: '08006' } }],
    ['an AggregateError of connect attempts', new AggregateError([{ code: 'ECONNREFUSED' }], '')],
    ['its own error', new DatabaseUnavailableError()],
    // Found by the fault suite: PostgreSQL killed during an import answered 500.
    [
      "TypeORM's word that the transaction's connection was dropped (its socket failed)",
      Object.assign(
        new Error('Database connection provided by a query runner was already released'),
        {
          name: 'QueryRunnerProviderAlreadyReleasedError',
        },
      ),
    ],
    [
      'a transaction committed after its connection dropped',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    ['a closed pg client', new Error('Client was closed and is not queryable')],
    ['a connection the server dropped', new Error('server closed the connection unexpectedly')],
    ['an aborted socket', { code: 'ECONNABORTED' }],
  ])('recognises %s', (_what, e) => expect(isDatabaseUnavailable(e)).toBe(true));

  it.each([
    ['a unique violation', { code: '23505' }],
    ['a bad value', { message: 'x', driverError: { code: '22P02' } }],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('does not take %s for an outage', (_what, e) => expect(isDatabaseUnavailable(e)).toBe(false));

  it('still knows a unique violation', () =>
    expect(isUniqueViolation({ code: '23505' })).toBe(true));
});

describe('isTransactionConflict', () => {
  it.each([
    ['a deadlock', { code: '40P01', message: 'deadlock detected' }],
    ['a serialisation failure', { code: '40001', message: 'could not serialize access' }],
    ['TypeORM wrapping a deadlock', { message: 'x', driverError: { code: '40P01' } }],
    ['a deadlock as the cause', new Error('x', { cause: { code: '40P01' } })],
  ])('is true for %s', (_, e) => expect(isTransactionConflict(e)).toBe(true));

  it.each([
    ['a unique violation', { code: '23505' }],
    ['a lock timeout', { code: '55P03' }],
    ['no error', undefined],
    ['a plain error', new Error('deadlock detected')],
  ])('is false for %s', (_, e) => expect(isTransactionConflict(e)).toBe(false));
});

describe('isPolicyCheckViolation', () => {
  const refused = {
    code: '42501',
    message: 'new row violates row-level security policy for table "report_sighting"',
  };
  it('is true for a WITH CHECK refusal, raw or wrapped', () => {
    expect(isPolicyCheckViolation(refused)).toBe(true);
    expect(isPolicyCheckViolation({ message: 'x', driverError: refused })).toBe(true);
  });
  it('is false for other insufficient privileges and other errors', () => {
    expect(
      isPolicyCheckViolation({ code: '42501', message: 'permission denied for table x' }),
    ).toBe(false);
    expect(isPolicyCheckViolation({ code: '40P01', message: 'deadlock detected' })).toBe(false);
    expect(isPolicyCheckViolation(undefined)).toBe(false);
  });
});
