import { ConfigError, loadConfig } from './hub-config';

describe('loadConfig', () => {
  it('gives development defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.http.port).toBe(4000);
    expect(c.database.url).toBeUndefined();
    expect(c.database.embedded.dataDir).toBe('./var/pg');
    expect(c.graphql.introspection).toBe(true);
    expect(c.graphql.explorer).toBe(true);
    expect(c.bootstrapAdmin).toBeUndefined();
  });

  const KEY = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

  it('turns introspection and the explorer off in production unless asked', () => {
    const prod = { NODE_ENV: 'production', TOTP_ENCRYPTION_KEYS: KEY };
    expect(loadConfig(prod).graphql).toMatchObject({ introspection: false, explorer: false });
    expect(loadConfig({ ...prod, GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
  });

  it('insists on configured TOTP encryption keys in production, and parses a key ring', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /TOTP_ENCRYPTION_KEYS must be set in production/,
    );
    const old = Buffer.alloc(32, 2).toString('base64');
    const keys = loadConfig({ TOTP_ENCRYPTION_KEYS: `${KEY},k0:${old}` }).secrets.totpKeys!;
    expect(keys.map((k) => k.id)).toEqual(['k1', 'k0']);
    expect(keys[1].key.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(() => loadConfig({ TOTP_ENCRYPTION_KEYS: 'k1:tooshort' })).toThrow(
      /^Invalid configuration: TOTP_ENCRYPTION_KEYS must be id:base64key/,
    );
  });

  it('parses numbers and booleans', () => {
    const c = loadConfig({ PORT: '8080', MIGRATIONS_RUN: 'false', GRAPHQL_MAX_DEPTH: '7' });
    expect(c.http.port).toBe(8080);
    expect(c.database.runMigrations).toBe(false);
    expect(c.graphql.maxDepth).toBe(7);
  });

  it('bounds graphql-ws: defaults, values, and no message cap below what connection_init may weigh', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      maxMessageBytes: 65_536,
      maxPerConnection: 20,
      maxConnectionsPerPrincipal: 50,
    });
    const c = loadConfig({
      SUBSCRIPTION_MAX_MESSAGE_BYTES: '16384',
      SUBSCRIPTION_MAX_PER_CONNECTION: '2',
      SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL: '3',
    });
    expect(c.subscriptions).toEqual({
      maxMessageBytes: 16_384,
      maxPerConnection: 2,
      maxConnectionsPerPrincipal: 3,
    });
    expect(() => loadConfig({ SUBSCRIPTION_MAX_MESSAGE_BYTES: '1024' })).toThrow(
      /^Invalid configuration: SUBSCRIPTION_MAX_MESSAGE_BYTES /,
    );
    expect(() => loadConfig({ SUBSCRIPTION_MAX_PER_CONNECTION: '0' })).toThrow(
      /^Invalid configuration: SUBSCRIPTION_MAX_PER_CONNECTION /,
    );
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT .*got "eighty"/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ NODE_ENV: 'staging' }, /^Invalid configuration: NODE_ENV /],
    [
      { DATABASE_URL: 'mysql://x' },
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL$/,
    ],
    [
      { DATABASE_REPLICA_URLS: 'postgres://u:secret@a/db,mysql://b/db' },
      /^Invalid configuration: DATABASE_REPLICA_URLS must be postgres:\/\/ URLs separated by commas$/,
    ],
    [{ DATABASE_REPLICA_MAX_LAG_MS: '-1' }, /^Invalid configuration: DATABASE_REPLICA_MAX_LAG_MS /],
    [{ MIGRATIONS_RUN: 'maybe' }, /^Invalid configuration: MIGRATIONS_RUN /],
    [{ RENKEI_ADMIN_EMAIL: 'a@b.example' }, /RENKEI_ADMIN_PASSWORD must be set together/],
    [{ INDICATOR_VALIDITY_DAYS: 'ip=thirty' }, /^Invalid configuration: INDICATOR_VALIDITY_DAYS /],
    [{ INDICATOR_VALIDITY_DAYS: 'ip=' }, /^Invalid configuration: INDICATOR_VALIDITY_DAYS /],
    [{ INDICATOR_VALIDITY_DAYS: 'ipv4=30' }, /^Invalid configuration: INDICATOR_VALIDITY_DAYS /],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads replicas as a list, none by default', () => {
    expect(loadConfig({}).database.replicas).toEqual({ urls: [], maxLagMs: 5000 });
    const c = loadConfig({
      DATABASE_REPLICA_URLS: 'postgres://u:p@replica-1/renkei, postgresql://u:p@replica-2/renkei',
      DATABASE_REPLICA_MAX_LAG_MS: '2000',
    });
    expect(c.database.replicas).toEqual({
      urls: ['postgres://u:p@replica-1/renkei', 'postgresql://u:p@replica-2/renkei'],
      maxLagMs: 2000,
    });
  });

  it('never echoes a password or URL value in the message', () => {
    expect(() =>
      loadConfig({ RENKEI_ADMIN_EMAIL: 'a@b.example', RENKEI_ADMIN_PASSWORD: 'short' }),
    ).toThrow(/^Invalid configuration: RENKEI_ADMIN_PASSWORD [^"]*$/);
  });

  it('takes default validities per kind of indicator', () => {
    const c = loadConfig({ INDICATOR_VALIDITY_DAYS: 'ip=7, hash=730' });
    expect(c.indicators.validityDays).toMatchObject({ ip: 7, hash: 730, domain: 90 });
  });

  it('guards blocklists by default, and no setting opens them to /0-like ranges', () => {
    expect(loadConfig({}).indicators.guard).toEqual({
      broadest: { ipv4: 10, ipv6: 24 },
      review: { ipv4Addresses: 1_048_576, ipv6Nets: 2 ** 35, growthPercent: 100 },
    });
    const c = loadConfig({ FEED_BROADEST_IPV4_PREFIX: '12', FEED_REVIEW_IPV4_ADDRESSES: '65536' });
    expect(c.indicators.guard.broadest.ipv4).toBe(12);
    expect(c.indicators.guard.review.ipv4Addresses).toBe(65536);
    expect(() => loadConfig({ FEED_BROADEST_IPV4_PREFIX: '0' })).toThrow(
      /^Invalid configuration: FEED_BROADEST_IPV4_PREFIX must not be less than 8/,
    );
    expect(() => loadConfig({ FEED_BROADEST_IPV6_PREFIX: '1' })).toThrow(
      /FEED_BROADEST_IPV6_PREFIX must not be less than 16/,
    );
  });

  it('caps report counts at 1,000 unless told, never at 0', () => {
    expect(loadConfig({}).reportCountCap).toBe(1000);
    expect(loadConfig({ REPORT_COUNT_CAP: '2' }).reportCountCap).toBe(2);
    expect(() => loadConfig({ REPORT_COUNT_CAP: '0' })).toThrow(
      /^Invalid configuration: REPORT_COUNT_CAP must not be less than 1/,
    );
  });

  it('trusts no proxy unless told, and names a malformed one', () => {
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
    expect(
      loadConfig({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8 ,2001:db8::1' }).http.trustedProxies,
    ).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,nginx' })).toThrow(
      'Invalid configuration: TRUSTED_PROXIES: "nginx" is not an IP address, a CIDR range, or one of loopback, linklocal, uniquelocal',
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).toBe(4000);
  });

  it('reads the alert settings: local mailbox by default, Tokyo days, links to the hub', () => {
    expect(loadConfig({}).alerts).toEqual({
      smtpUrl: undefined,
      from: 'renkei <renkei@localhost>',
      timeZone: 'Asia/Tokyo',
      publicUrl: 'http://localhost:4000',
    });
    const c = loadConfig({
      SMTP_URL: 'smtp://mail.example:2525',
      ALERT_TIME_ZONE: 'Europe/Berlin',
      PUBLIC_URL: 'https://hub.example/',
    }).alerts;
    expect(c).toMatchObject({
      smtpUrl: 'smtp://mail.example:2525',
      publicUrl: 'https://hub.example',
    });
    expect(() => loadConfig({ ALERT_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      'Invalid configuration: ALERT_TIME_ZONE must be an IANA time zone such as Asia/Tokyo (got "Mars/Olympus")',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://x' })).toThrow(
      'Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL',
    );
  });
});
