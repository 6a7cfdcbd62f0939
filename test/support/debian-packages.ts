import { spawnSync } from 'node:child_process';

/**
 * Tools some end-to-end tests drive for real (nginx, nft, ipset, openssl), installed from
 * Debian's packages when missing, as the browser tests install chromium: CI runs as root on a
 * machine that may be new, and a test that skips there proves nothing. Elsewhere (not root,
 * no apt) the caller's test says it is skipped. Synchronous: callers decide at load time.
 */
export function ensureDebianTools(tools: Record<string, string>): void {
  const missing = Object.entries(tools).filter(([cmd]) => !onPath(cmd));
  if (!missing.length || process.getuid?.() !== 0 || !onPath('apt-get')) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      env,
      stdio: 'ignore',
      timeout: 10 * 60_000,
    }).status === 0;
  if (install()) return;
  // A new machine's package lists may be empty or stale.
  spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 10 * 60_000 });
  install();
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
