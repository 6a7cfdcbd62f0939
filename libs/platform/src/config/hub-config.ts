import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { compileTrustedProxies } from '../http/client-address';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

/**
 * The environment variables the hub reads, with their rules. Each property is the variable's
 * name, so a validation message can name the variable exactly. Documented in the README table.
 */
class HubEnv {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*$/, {
    message: 'must be postgres:// URLs separated by commas',
  })
  DATABASE_REPLICA_URLS?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_REPLICA_MAX_LAG_MS?: number;
  @IsOptional() @IsString() PG_DATA_DIR?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(65535) PG_PORT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000) PG_RESTART_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10) DATABASE_TRANSACTION_ATTEMPTS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATIONS_RUN?: boolean;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() GRAPHQL_INTROSPECTION?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() GRAPHQL_EXPLORER?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(50) GRAPHQL_MAX_DEPTH?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(1000000) GRAPHQL_MAX_COST?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) GRAPHQL_MAX_ALIASES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(100000) GRAPHQL_MAX_TOKENS?: number;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 100kb or 1mb' })
  REQUEST_BODY_LIMIT?: string;
  @IsOptional() @IsString() TRUSTED_PROXIES?: string;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 100mb' })
  IMPORT_BODY_LIMIT?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(600000) SHUTDOWN_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) HTTP_IDLE_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
  @IsOptional() @IsString() METRICS_HOST?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) SESSION_RETENTION_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) FEED_PULL_RETENTION_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(36500) LIST_ENTRY_RETENTION_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(256) @Max(16777216) FEED_PIECE_BYTES?: number;
  @IsOptional() @IsIn(['stream', 'shaped']) FEED_RENDER?: 'stream' | 'shaped';
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) HTTP_BODY_TIMEOUT_MS?: number;
  @IsOptional() @IsEmail() RENKEI_ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(12) @MaxLength(256) RENKEI_ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() @MinLength(2) @MaxLength(200) RENKEI_COORDINATOR_NAME?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(8192) @Max(4194304) ARGON2_MEMORY_KIB?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(20) ARGON2_TIME_COST?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(16) ARGON2_PARALLELISM?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(60) SESSION_IDLE_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24) SESSION_ABSOLUTE_HOURS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(60) STEP_UP_MINUTES?: number;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'must be id:base64key[,id:base64key...] with 32-byte keys, the active key first',
  })
  TOTP_ENCRYPTION_KEYS?: string;
  @IsOptional() @IsString() KEYS_DIR?: string;
  @IsOptional()
  @Matches(/^[a-z0-9.-]+$/, { message: 'must be a host name such as hub.example.org' })
  WEBAUTHN_RP_ID?: string;
  @IsOptional() @IsString() @MaxLength(100) WEBAUTHN_RP_NAME?: string;
  @IsOptional()
  @Matches(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, {
    message: 'must be origins such as https://hub.example.org',
  })
  WEBAUTHN_ORIGINS?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() COOKIE_SECURE?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(50) ANONYMITY_K?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(5000) SCRUB_MAX_TERMS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(1000) SCRUB_MAX_TERM_LENGTH?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1440) TIMESTAMP_ROUNDING_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000) REPORT_COUNT_CAP?: number;
  @IsOptional()
  @Matches(
    /^\s*(ip|cidr|domain|url|email|hash)\s*=\s*\d{1,4}\s*(,\s*(ip|cidr|domain|url|email|hash)\s*=\s*\d{1,4}\s*)*$/,
    {
      message:
        'must be a comma-separated list of kind=days, kinds ip, cidr, domain, url, email, hash (e.g. ip=30,domain=90)',
    },
  )
  INDICATOR_VALIDITY_DAYS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) INDICATOR_MAX_VALIDITY_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600) CLOCK_SKEW_SECONDS?: number;
  // Floors at /8 and /16: a setting cannot open feeds to /0-like ranges (ADR 0012).
  @IsOptional() @Transform(toInt) @IsInt() @Min(8) @Max(32) FEED_BROADEST_IPV4_PREFIX?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(16) @Max(128) FEED_BROADEST_IPV6_PREFIX?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(4294967296)
  FEED_REVIEW_IPV4_ADDRESSES?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2 ** 52)
  FEED_REVIEW_IPV6_NETS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  FEED_REVIEW_GROWTH_PERCENT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) EVENT_RETENTION_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600) WEBHOOK_BACKOFF_MAX_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600) SUBSCRIPTION_STALL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(2592000) WEBHOOK_GIVE_UP_SECONDS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SUBSCRIPTION_RECHECK_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(32) WEBHOOK_WORKERS?: number;
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;
  @IsOptional() @IsString() @MaxLength(300) MAIL_FROM?: string;
  @IsOptional() @IsString() ALERT_TIME_ZONE?: string;
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'must be an http(s):// URL' })
  PUBLIC_URL?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(4096)
  @Max(16777216)
  SUBSCRIPTION_MAX_MESSAGE_BYTES?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SUBSCRIPTION_MAX_PER_CONNECTION?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL?: number;
}

/** Validity in days of a new indicator whose list sets none, by kind of value. */
export interface IndicatorValidity {
  ip: number;
  cidr: number;
  domain: number;
  url: number;
  email: number;
  hash: number;
}

export const DEFAULT_INDICATOR_VALIDITY: IndicatorValidity = {
  ip: 30,
  cidr: 30,
  domain: 90,
  url: 90,
  email: 180,
  hash: 365,
};

/** Guard-rails on what may reach blocklists (ADR 0012). */
export interface FeedGuardConfig {
  /** The broadest prefix accepted per family: /10 takes a /10 and refuses a /9. */
  broadest: { ipv4: number; ipv6: number };
  /**
   * A change adding more than this is held for a coordinator's review: IPv4 addresses, and
   * IPv6 /64 networks (the unit IPv6 blocklists think in: one site's LAN); or one that grows
   * the blocklists by more than `growthPercent` at once (from a /16's or a /48's worth up).
   */
  review: { ipv4Addresses: number; ipv6Nets: number; growthPercent: number };
}

export type Environment = 'development' | 'production' | 'test';

export interface HubConfig {
  env: Environment;
  http: {
    host: string;
    port: number;
    bodyLimit: string;
    importBodyLimit: string;
    shutdownTimeoutMs: number;
    /** A connection silent both ways this long is closed (one that never sends a byte too). */
    idleTimeoutMs: number;
    /** A request body still arriving this long after its headers is cut off (408). */
    bodyTimeoutMs: number;
    /** Reverse proxies whose X-Forwarded-For is believed (addresses, ranges); none when empty. */
    trustedProxies: string[];
  };
  database: {
    /** Set when an external PostgreSQL is used; unset means the embedded server. */
    url?: string;
    embedded: { dataDir: string; port: number; restartAttempts: number };
    runMigrations: boolean;
    /**
     * Times a scoped transaction is run when PostgreSQL rolls it back to let a concurrent one
     * through (a deadlock, a serialisation failure), before the request is answered TRY_AGAIN.
     */
    transactionAttempts: number;
    /**
     * Streaming replicas that feeds, TAXII and GraphQL queries may read from (ADR 0030), and
     * how far behind (time since its last replayed commit) one may be and still be read.
     */
    replicas: { urls: string[]; maxLagMs: number };
  };
  log: { level: string };
  graphql: {
    introspection: boolean;
    explorer: boolean;
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
  };
  bootstrapAdmin?: { email: string; password: string; coordinatorName: string };
  passwords: { memoryCost: number; timeCost: number; parallelism: number };
  sessions: {
    idleMinutes: number;
    absoluteHours: number;
    stepUpMinutes: number;
    cookieSecure: boolean;
  };
  secrets: {
    /** Keys that encrypt TOTP seeds at rest, the active one first; unset: a key file in keysDir. */
    totpKeys?: { id: string; key: Buffer }[];
    keysDir: string;
  };
  webauthn: { rpId: string; rpName: string; origins: string[] };
  anonymity: {
    /** A sector with fewer member organisations than this is not named in pseudonyms. */
    k: number;
    /** Timestamps other organisations see are rounded down to this many minutes. */
    roundingMinutes: number;
    /** Extra scrub terms an organisation may set, and the characters in each. */
    maxScrubTerms: number;
    maxScrubTermLength: number;
  };
  indicators: { validityDays: IndicatorValidity; guard: FeedGuardConfig };
  /**
   * Bounds of the instants clients give (client-instant.ts): an observation may be at most
   * skewSeconds ahead of the hub's clock; an expiry at most maxValidityDays from now.
   */
  times: { skewSeconds: number; maxValidityDays: number };
  /**
   * retentionDays: how long the outbox keeps events (subscribers resume and webhooks retry
   * within them); stallSeconds: how long a subscriber may leave an event unread before it is
   * disconnected (it resumes from its cursor); recheckSeconds: how often every open socket's
   * credential is checked again besides the change notifications (expiry).
   */
  events: { retentionDays: number; stallSeconds: number; recheckSeconds: number };
  /**
   * How long records of finished things are kept before housekeeping deletes them: expired or
   * revoked sessions and used or expired reset tickets (sessions), hourly feed-pull counts,
   * list entries expired or removed that long ago (listEntryDays).
   */
  retention: { sessionDays: number; feedPullDays: number; listEntryDays: number };
  /** Feed bodies are rendered, hashed and sent in pieces of about this many bytes (ADR 0020). */
  feedPieceBytes: number;
  /**
   * `shaped` renders every feed in the hub (ADR 0020) instead of from PostgreSQL's sorted stream
   * (ADR 0031, 0037): for the tests and benchmarks that compare the two paths' bytes.
   */
  feedRender: 'stream' | 'shaped';
  /**
   * Counts of reports (an inbox's totalCount, unreadReportCount) stop after this many
   * (ADR 0036): past it the answer says "more than" instead of evaluating every report.
   */
  reportCountCap: number;
  /** Prometheus metrics on a listener of their own; off without a port. */
  metrics: { port?: number; host: string };
  /**
   * graphql-ws, per hub instance: maxMessageBytes: the largest message an authenticated socket
   * may send (before authentication a fixed few KB); maxPerConnection: subscriptions open on one
   * socket; maxConnectionsPerPrincipal: sockets open for one user or one API token.
   */
  subscriptions: {
    maxMessageBytes: number;
    maxPerConnection: number;
    maxConnectionsPerPrincipal: number;
  };
  /**
   * Retries double from 1 s up to backoffMaxSeconds; an endpoint failing for giveUpSeconds is
   * paused; workers: deliveries in flight at once per instance (one per endpoint at most).
   */
  webhooks: { backoffMaxSeconds: number; giveUpSeconds: number; workers: number };
  /**
   * Alerts by e-mail and chat (ADR 0021): smtpUrl unset puts mail into the local mailbox
   * (myMailbox); timeZone decides the days and weeks of digests; publicUrl is where links in
   * messages point (the hub as its readers reach it).
   */
  alerts: { smtpUrl?: string; from: string; timeZone: string; publicUrl: string };
}

/** Thrown with one line that names the offending variable; main prints it and exits. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): HubConfig {
  // Empty strings count as unset: `FOO= npm start` should not trip validation.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const env = plainToInstance(HubEnv, present, { excludeExtraneousValues: false });
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    // Say what kind of value is wanted before any range: "must be an integer" beats "<= 65535".
    const constraints = first.constraints ?? {};
    const kind = ['isInt', 'isBoolean', 'isIn', 'matches', 'isEmail', 'isString'].find(
      (k) => k in constraints,
    );
    const why = (kind ? constraints[kind] : Object.values(constraints)[0]) ?? 'is invalid';
    const value = present[first.property];
    const shown = /PASSWORD|URL/.test(first.property) ? '' : ` (got "${value}")`;
    throw new ConfigError(
      `Invalid configuration: ${first.property} ${why.replace(new RegExp(`^${first.property} `), '')}${shown}`,
    );
  }
  const admin = [env.RENKEI_ADMIN_EMAIL, env.RENKEI_ADMIN_PASSWORD];
  if (admin.filter(Boolean).length === 1) {
    throw new ConfigError(
      `Invalid configuration: ${env.RENKEI_ADMIN_EMAIL ? 'RENKEI_ADMIN_PASSWORD' : 'RENKEI_ADMIN_EMAIL'} must be set together with ${env.RENKEI_ADMIN_EMAIL ? 'RENKEI_ADMIN_EMAIL' : 'RENKEI_ADMIN_PASSWORD'}`,
    );
  }
  const mode = (env.NODE_ENV ?? 'development') as Environment;
  if (mode === 'production' && !env.TOTP_ENCRYPTION_KEYS) {
    throw new ConfigError(
      'Invalid configuration: TOTP_ENCRYPTION_KEYS must be set in production (id:base64 of 32 random bytes, e.g. k1:$(openssl rand -base64 32))',
    );
  }
  const dev = mode !== 'production';
  return {
    env: mode,
    http: {
      host: env.HOST ?? '127.0.0.1',
      port: env.PORT ?? 4000,
      bodyLimit: env.REQUEST_BODY_LIMIT ?? '100kb',
      importBodyLimit: env.IMPORT_BODY_LIMIT ?? '100mb',
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS ?? 10000,
      idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS ?? 60_000,
      bodyTimeoutMs: env.HTTP_BODY_TIMEOUT_MS ?? 120_000,
      trustedProxies: trustedProxiesOf(env.TRUSTED_PROXIES),
    },
    database: {
      url: env.DATABASE_URL,
      embedded: {
        dataDir: env.PG_DATA_DIR ?? './var/pg',
        port: env.PG_PORT ?? 54329,
        restartAttempts: env.PG_RESTART_ATTEMPTS ?? 12,
      },
      runMigrations: env.MIGRATIONS_RUN ?? true,
      transactionAttempts: env.DATABASE_TRANSACTION_ATTEMPTS ?? 3,
      replicas: {
        urls: (env.DATABASE_REPLICA_URLS ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
        maxLagMs: env.DATABASE_REPLICA_MAX_LAG_MS ?? 5000,
      },
    },
    log: { level: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info') },
    graphql: {
      introspection: env.GRAPHQL_INTROSPECTION ?? dev,
      explorer: env.GRAPHQL_EXPLORER ?? dev,
      maxDepth: env.GRAPHQL_MAX_DEPTH ?? 10,
      maxCost: env.GRAPHQL_MAX_COST ?? 5000,
      maxAliases: env.GRAPHQL_MAX_ALIASES ?? 15,
      maxTokens: env.GRAPHQL_MAX_TOKENS ?? 2000,
    },
    bootstrapAdmin:
      env.RENKEI_ADMIN_EMAIL && env.RENKEI_ADMIN_PASSWORD
        ? {
            email: env.RENKEI_ADMIN_EMAIL,
            password: env.RENKEI_ADMIN_PASSWORD,
            coordinatorName: env.RENKEI_COORDINATOR_NAME ?? 'Sector CSIRT',
          }
        : undefined,
    // OWASP's argon2id minimum is 19 MiB, t=2, p=1; we default higher (64 MiB, t=3).
    passwords: {
      memoryCost: env.ARGON2_MEMORY_KIB ?? 65536,
      timeCost: env.ARGON2_TIME_COST ?? 3,
      parallelism: env.ARGON2_PARALLELISM ?? 1,
    },
    sessions: {
      idleMinutes: env.SESSION_IDLE_MINUTES ?? 60,
      absoluteHours: env.SESSION_ABSOLUTE_HOURS ?? 24,
      stepUpMinutes: env.STEP_UP_MINUTES ?? 10,
      // Browsers treat http://localhost as secure, so Secure cookies work in development too.
      cookieSecure: env.COOKIE_SECURE ?? true,
    },
    secrets: {
      totpKeys: env.TOTP_ENCRYPTION_KEYS?.split(',').map((pair) => {
        const [id, key] = pair.split(':');
        return { id, key: Buffer.from(key, 'base64') };
      }),
      keysDir: env.KEYS_DIR ?? './var/keys',
    },
    webauthn: {
      rpId: env.WEBAUTHN_RP_ID ?? 'localhost',
      rpName: env.WEBAUTHN_RP_NAME ?? 'renkei',
      origins: env.WEBAUTHN_ORIGINS?.split(',') ?? [`http://localhost:${env.PORT ?? 4000}`],
    },
    anonymity: {
      k: env.ANONYMITY_K ?? 3,
      roundingMinutes: env.TIMESTAMP_ROUNDING_MINUTES ?? 60,
      maxScrubTerms: env.SCRUB_MAX_TERMS ?? 200,
      maxScrubTermLength: env.SCRUB_MAX_TERM_LENGTH ?? 100,
    },
    indicators: {
      validityDays: validityOf(env.INDICATOR_VALIDITY_DAYS),
      guard: {
        broadest: {
          ipv4: env.FEED_BROADEST_IPV4_PREFIX ?? 10,
          ipv6: env.FEED_BROADEST_IPV6_PREFIX ?? 24,
        },
        review: {
          ipv4Addresses: env.FEED_REVIEW_IPV4_ADDRESSES ?? 2 ** 20,
          // A /29, the allocation an RIR gives a member without justification.
          ipv6Nets: env.FEED_REVIEW_IPV6_NETS ?? 2 ** 35,
          growthPercent: env.FEED_REVIEW_GROWTH_PERCENT ?? 100,
        },
      },
    },
    times: {
      skewSeconds: env.CLOCK_SKEW_SECONDS ?? 300,
      maxValidityDays: env.INDICATOR_MAX_VALIDITY_DAYS ?? 3650,
    },
    events: {
      retentionDays: env.EVENT_RETENTION_DAYS ?? 30,
      stallSeconds: env.SUBSCRIPTION_STALL_SECONDS ?? 30,
      recheckSeconds: env.SUBSCRIPTION_RECHECK_SECONDS ?? 30,
    },
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST ?? '127.0.0.1' },
    retention: {
      sessionDays: env.SESSION_RETENTION_DAYS ?? 30,
      feedPullDays: env.FEED_PULL_RETENTION_DAYS ?? 90,
      listEntryDays: env.LIST_ENTRY_RETENTION_DAYS ?? 365,
    },
    feedPieceBytes: env.FEED_PIECE_BYTES ?? 65_536,
    feedRender: env.FEED_RENDER ?? 'stream',
    reportCountCap: env.REPORT_COUNT_CAP ?? 1000,
    subscriptions: {
      maxMessageBytes: env.SUBSCRIPTION_MAX_MESSAGE_BYTES ?? 65_536,
      maxPerConnection: env.SUBSCRIPTION_MAX_PER_CONNECTION ?? 20,
      maxConnectionsPerPrincipal: env.SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL ?? 50,
    },
    webhooks: {
      backoffMaxSeconds: env.WEBHOOK_BACKOFF_MAX_SECONDS ?? 600,
      giveUpSeconds: env.WEBHOOK_GIVE_UP_SECONDS ?? 86_400,
      workers: env.WEBHOOK_WORKERS ?? 4,
    },
    alerts: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? 'renkei <renkei@localhost>',
      timeZone: timeZoneOf(env.ALERT_TIME_ZONE ?? 'Asia/Tokyo'),
      publicUrl: (
        env.PUBLIC_URL ??
        env.WEBAUTHN_ORIGINS?.split(',')[0] ??
        `http://localhost:${env.PORT ?? 4000}`
      ).replace(/\/+$/, ''),
    },
  };
}

function timeZoneOf(name: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw new ConfigError(
      `Invalid configuration: ALERT_TIME_ZONE must be an IANA time zone such as Asia/Tokyo (got "${name}")`,
    );
  }
  return name;
}

function validityOf(text: string | undefined): IndicatorValidity {
  const out = { ...DEFAULT_INDICATOR_VALIDITY };
  for (const pair of text?.split(',') ?? []) {
    const [kind, days] = pair.split('=').map((x) => x.trim());
    if (Number(days) < 1) {
      throw new ConfigError(
        `Invalid configuration: INDICATOR_VALIDITY_DAYS ${kind} must be at least 1 day`,
      );
    }
    out[kind as keyof IndicatorValidity] = Number(days);
  }
  return out;
}

/** Injection token for the validated configuration. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');

function trustedProxiesOf(text: string | undefined): string[] {
  const proxies = (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  try {
    compileTrustedProxies(proxies);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  return proxies;
}
