import { Writable } from 'node:stream';
import { createRootLogger, serializeError } from './logging';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createRootLogger('info', sink), lines };
}

describe('log hygiene', () => {
  it('drops the bind parameters of database errors but keeps the SQL', () => {
    const err = Object.assign(new Error('null value in column'), {
      query: 'INSERT INTO hub_user (email, password_hash) VALUES ($1, $2)',
      parameters: ['a@b.example', '$argon2id$v=19$m=65536,t=3,p=1$salt$hash'],
      driverError: { code: '23502', parameters: ['a@b.example', '$argon2id$...'] },
    });
    const out = JSON.stringify(serializeError(err));
    expect(out).toContain('INSERT INTO hub_user');
    expect(out).toContain('23502');
    expect(out).not.toContain('argon2');
    expect(out).not.toContain('a@b.example');
  });

  it('redacts passwords, tokens and authorisation headers wherever they appear', () => {
    const { log, lines } = capture();
    log.info({ input: { password: 'hunter2hunter2' }, session: { token: 'rks_abc' } }, 'x');
    log.info(
      { req: { headers: { authorization: 'Bearer rks_def', cookie: 'renkei_session=rks_ghi' } } },
      'y',
    );
    const all = lines.join('');
    for (const secret of ['hunter2hunter2', 'rks_abc', 'rks_def', 'rks_ghi'])
      expect(all).not.toContain(secret);
    expect(all).toContain('[redacted]');
  });
});
