import { readFile } from 'node:fs/promises';
import * as net from 'node:net';
import { Scene } from './support';

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw socket to the hub; `read` false leaves the answer unread. */
export function raw(s: Scene, payload: string, read = true) {
  const u = new URL(s.t.url);
  const sk = net.connect(Number(u.port), u.hostname);
  const st = { closed: false, data: '', t0: Date.now(), closedAt: 0 };
  sk.on('error', () => undefined);
  sk.on('data', (d) => (st.data += d.toString('latin1')));
  sk.on('close', () => {
    st.closed = true;
    st.closedAt = Date.now() - st.t0;
  });
  sk.write(payload);
  if (!read) sk.pause();
  return { sk, st };
}

/** Remote ports of the connections to `port` whose hub side is ESTABLISHED (/proc/net/tcp*). */
export async function hubSideEstablished(port: number): Promise<number[]> {
  const out: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, remote, state] = line.trim().split(/\s+/);
      if (!local || state !== '01') continue;
      if (parseInt(local.split(':')[1], 16) !== port) continue;
      out.push(parseInt(remote.split(':')[1], 16));
    }
  }
  return out;
}

export function stixBundle(i: number, host: string, label: string): string {
  const n = String(i).padStart(12, '0');
  return JSON.stringify({
    type: 'bundle',
    id: `bundle--0d6a0b0e-0000-4000-8000-${n}`,
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--0d6a0b0e-0000-4000-8000-${n}`,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        pattern_type: 'stix',
        pattern: `[domain-name:value = '${host}']`,
        valid_from: '2026-01-01T00:00:00Z',
        labels: [label],
      },
    ],
  });
}
