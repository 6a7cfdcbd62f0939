/* global console, fetch -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * nginx (Debian package) in the foreground on a loopback port, serving given bytes as a static
 * file: the baseline the feed benchmarks compare the hub with (bench/feed-bench.mjs,
 * bench/scale/run.mjs). `worker_processes auto`, `sendfile on`, `access_log off`, `etag on`;
 * nginx answers 304 to its own ETag. Installed with apt-get when missing (root needed).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './hub.mjs';

function ensureNginx() {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return;
  } catch {
    // install below
  }
  console.log('installing nginx (apt-get) ...');
  try {
    execFileSync('apt-get', ['install', '-y', 'nginx-light'], { stdio: 'ignore' });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'ignore' });
  }
}

/** nginx with a minimal configuration, serving `body` as /ipv4.txt; `url` is that file's. */
export async function startNginx(body) {
  ensureNginx();
  const dir = mkdtempSync(join(tmpdir(), 'renkei-bench-nginx-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'www');
  execFileSync('mkdir', ['-p', root, join(dir, 'tmp')]);
  chmodSync(root, 0o755);
  writeFileSync(join(root, 'ipv4.txt'), body, { mode: 0o644 });
  const port = await freePort();
  const t = join(dir, 'tmp');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  etag on;
  client_body_temp_path ${t}/body;
  proxy_temp_path ${t}/proxy;
  fastcgi_temp_path ${t}/fastcgi;
  uwsgi_temp_path ${t}/uwsgi;
  scgi_temp_path ${t}/scgi;
  types { text/plain txt; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/ipv4.txt`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not yet
    }
    if (i > 100 || child.exitCode !== null) throw new Error('nginx did not start');
    await sleep(100);
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
