import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../libs/platform/src/config/hub-config';

/**
 * Docker cannot run here, so this checks the deployment files statically: docker-compose.yml
 * parsed as YAML, the Dockerfile as text, both against what the hub actually reads and builds.
 */

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: string | { context?: string };
  environment?: Env | string[];
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
}
interface Compose {
  version?: unknown;
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The names of the HubEnv properties: the environment variables the hub's config accepts. */
function hubEnvNames(): string[] {
  const source = read('libs/platform/src/config/hub-config.ts');
  const body = /^class HubEnv \{\n([\s\S]*?)^\}/m.exec(source)?.[1];
  if (!body) throw new Error('class HubEnv not found in hub-config.ts');
  return [...body.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*)\?: *\w+;/gm)].map((m) => m[1]);
}

/** A service's environment as a map, whichever of Compose's two syntaxes it uses. */
function environmentOf(service: Service): Env {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
}

/**
 * Compose's variable interpolation, enough for these files: ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?message}, ${VAR?message} and $$.
 */
function interpolate(value: string, vars: Env): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const v = vars[name!];
      const unset = v === undefined || (op?.startsWith(':') && v === '');
      if (!unset) return v;
      if (op?.endsWith('-')) return arg ?? '';
      if (op?.endsWith('?')) throw new Error(`${name} is required: ${arg}`);
      return '';
    },
  );
}

interface Instruction {
  keyword: string;
  args: string;
}
/** Dockerfile instructions grouped by stage, with comments dropped and continuations joined. */
function dockerStages(text: string): Instruction[][] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    if (!stages.length) throw new Error(`instruction before FROM: ${line}`);
    stages[stages.length - 1].push(instruction);
  }
  return stages;
}

const compareVersions = (a: number[], b: number[]) =>
  a.map((n, i) => n - (b[i] ?? 0)).find((d) => d !== 0) ?? 0;

describe('docker-compose.yml', () => {
  const raw = read('docker-compose.yml');
  const compose = parse(raw) as Compose;
  const services = compose.services ?? {};
  const postgres = services.postgres ?? {};
  const hub = services.hub ?? {};
  const pgEnv = environmentOf(postgres);
  const hubEnv = environmentOf(hub);
  const pgImage = /^postgres:(\d+)\.(\d+)(?:-[a-z0-9.]+)?(?:@sha256:[0-9a-f]{64})?$/.exec(
    postgres.image ?? '',
  );

  it('defines the postgres and hub services and has no obsolete version key', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'hub']));
    expect(compose).not.toHaveProperty('version');
  });

  it('pins postgres to an exact, supported release', () => {
    expect(postgres.image).toMatch(/^postgres:\d+\.\d+/);
    expect(pgImage).not.toBeNull();
    expect(Number(pgImage![1])).toBeGreaterThanOrEqual(15);
  });

  it('requires POSTGRES_PASSWORD and never falls back to a default', () => {
    expect(pgEnv.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    const uses = [...raw.matchAll(/\$\{POSTGRES_PASSWORD([^}]*)\}/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const modifier of uses) expect(modifier).toMatch(/^(|:?\?.+)$/);
    expect(() => interpolate(pgEnv.POSTGRES_PASSWORD, {})).toThrow(/POSTGRES_PASSWORD/);
  });

  it('keeps the database on a named volume declared at top level, at the data directory', () => {
    const major = Number(pgImage?.[1]);
    // From 18 on, the official image keeps versioned data under /var/lib/postgresql.
    const dataDir = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
    const mounts = (postgres.volumes ?? []).map((v) =>
      typeof v === 'string'
        ? { source: v.split(':')[0], target: v.split(':')[1] }
        : { source: v.source ?? '', target: v.target ?? '' },
    );
    const data = mounts.find((m) => m.target === dataDir);
    expect(data).toBeDefined();
    expect(data!.source).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
  });

  it('has a pg_isready healthcheck on postgres, and the hub waits for it', () => {
    expect([postgres.healthcheck?.test ?? []].flat().join(' ')).toMatch(/\bpg_isready\b/);
    const dependsOn = hub.depends_on;
    expect(dependsOn).not.toBeInstanceOf(Array);
    expect((dependsOn as Record<string, { condition?: string }>)?.postgres?.condition).toBe(
      'service_healthy',
    );
  });

  it('builds the hub from the repository root', () => {
    const build = hub.build;
    expect(typeof build === 'string' ? build : build?.context).toBe('.');
  });

  it('points the hub at the postgres service and database', () => {
    expect(hubEnv.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
    const url = new URL(interpolate(hubEnv.DATABASE_URL ?? '', { POSTGRES_PASSWORD: 'pw' }));
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(Object.keys(services)).toContain(url.hostname);
    expect(url.hostname).toBe('postgres');
    expect(url.port || '5432').toBe('5432');
    expect(url.username).toBe(pgEnv.POSTGRES_USER);
    expect(url.password).toBe('pw');
    expect(url.pathname).toBe(`/${pgEnv.POSTGRES_DB}`);
  });

  it('runs the hub in production, listening on 0.0.0.0:4000, published', () => {
    expect(hubEnv.NODE_ENV).toBe('production');
    expect(hubEnv.HOST).toBe('0.0.0.0');
    expect(hubEnv.PORT).toBe('4000');
    const published = (hub.ports ?? []).map((p) => {
      if (typeof p === 'object')
        return { published: String(p.published), target: String(p.target) };
      const parts = String(p).split(':');
      return { published: parts.at(-2) ?? '', target: parts.at(-1) ?? '' };
    });
    expect(published).toContainEqual({ published: '4000', target: hubEnv.PORT });
  });

  it('sets only environment variables the hub config knows', () => {
    const known = hubEnvNames();
    expect(known).toEqual(expect.arrayContaining(['DATABASE_URL', 'NODE_ENV', 'HOST', 'PORT']));
    const unknown = Object.keys(hubEnv).filter((name) => !known.includes(name));
    expect(unknown).toEqual([]);
  });

  it('gives the hub an environment its config accepts, with optional values left unset', () => {
    const resolved = Object.fromEntries(
      Object.entries(hubEnv).map(([k, v]) => [
        k,
        interpolate(v, {
          POSTGRES_PASSWORD: 'pw',
          TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
        }),
      ]),
    );
    const config = loadConfig(resolved);
    expect(config.env).toBe('production');
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 4000 });
    expect(config.database.url).toBe('postgres://renkei:pw@postgres:5432/renkei');
    expect(config.bootstrapAdmin).toBeUndefined();
  });

  it('restarts the hub and checks its readiness on /readyz', () => {
    expect(hub.restart).toBe('unless-stopped');
    expect([hub.healthcheck?.test ?? []].flat().join(' ')).toMatch(/\/readyz\b/);
  });
});

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const final = stages.at(-1) ?? [];
  const all = stages.flat();
  const pkg = JSON.parse(read('package.json')) as {
    engines?: { node?: string };
    scripts?: Record<string, string>;
  };
  const nestCli = JSON.parse(read('nest-cli.json')) as {
    projects?: Record<string, { entryFile?: string }>;
  };
  const entry = `dist/${nestCli.projects?.hub?.entryFile}.js`;

  it('bases every stage on a pinned Node 20 release the engines field accepts', () => {
    const names = new Set<string>();
    const bases: string[] = [];
    for (const from of all.filter((i) => i.keyword === 'FROM')) {
      const [image, as, name] = from.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      if (!names.has(image)) bases.push(image);
      if (as?.toUpperCase() === 'AS' && name) names.add(name);
    }
    expect(bases.length).toBeGreaterThan(0);
    const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines?.node ?? '');
    expect(minimum).not.toBeNull();
    for (const image of bases) {
      const m = /^node:(20)\.(\d+)\.(\d+)-bookworm-slim(?:@sha256:[0-9a-f]{64})?$/.exec(image);
      expect(m).not.toBeNull();
      const version = m!.slice(1, 4).map(Number);
      expect(compareVersions(version, minimum!.slice(1, 4).map(Number))).toBeGreaterThanOrEqual(0);
    }
  });

  it('builds in one stage and installs only production dependencies in the final one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runs = (stage: Instruction[]) =>
      stage.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    const builder = stages.find((s) =>
      runs(s).some((r) => /\bnest build hub\b|\bnpm run build\b/.test(r)),
    );
    expect(builder).toBeDefined();
    expect(builder).not.toBe(final);
    expect(runs(builder!).some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs(final).some((r) => /\bnpm ci\b.*--omit=dev\b/.test(r))).toBe(true);
    const copies = final.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /--from=\S+\s+\S*\bdist\/?\s/.test(c))).toBe(true);
  });

  it('sets a production environment the hub config knows, and exposes its port', () => {
    const env: Env = {};
    for (const i of final.filter((x) => x.keyword === 'ENV')) {
      for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
        env[m[1]] = m[2].replace(/^"|"$/g, '');
      }
    }
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000' });
    const known = hubEnvNames();
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
    const exposed = final.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed.map((p) => p.replace(/\/tcp$/, ''))).toContain(env.PORT);
  });

  it('runs as an unprivileged user', () => {
    const user = final.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('has a HEALTHCHECK on /healthz that needs no curl', () => {
    const check = final.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(check).toMatch(/\bCMD\b/);
    expect(check).toContain('/healthz');
    expect(check).not.toMatch(/\b(curl|wget)\b/);
  });

  it('starts the compiled hub, at the path nest-cli.json and npm start use', () => {
    expect(entry).toBe('dist/apps/hub/src/main.js');
    const cmd = final.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', entry]);
    expect(pkg.scripts?.start).toContain(`node ${entry}`);
  });
});
