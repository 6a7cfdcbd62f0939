import { connect } from 'node:net';

/**
 * One HTTP/1.1 exchange over a plain socket, bytes as given: fetch and node:http would refuse or
 * normalise the malformed paths, headers and encodings an attacker sends (and the tests must).
 */
export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export type RawOutcome =
  | { kind: 'answer'; response: RawResponse }
  | { kind: 'closed'; received: Buffer }
  | { kind: 'error'; message: string }
  | { kind: 'timeout'; received: Buffer };

/** The request bytes: request line, headers (Host and Connection: close unless given), body. */
export function rawBytes(
  method: string,
  target: Buffer | string,
  headers: [string, Buffer | string][],
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const lines: Buffer[] = [
    Buffer.from(`${method} `),
    Buffer.from(target),
    Buffer.from(' HTTP/1.1'),
  ];
  const names = new Set(headers.map(([n]) => n.toLowerCase()));
  const all: [string, Buffer | string][] = [
    ...(names.has('host') ? [] : [['Host', 'hub'] as [string, string]]),
    ...headers,
    ...(names.has('connection') ? [] : [['Connection', 'close'] as [string, string]]),
  ];
  for (const [name, value] of all) {
    lines.push(Buffer.from(`\r\n${name}: `), Buffer.from(value));
  }
  lines.push(Buffer.from('\r\n\r\n'), body);
  return Buffer.concat(lines);
}

/** Sends the bytes; resolves with the first complete final answer (1xx skipped). */
export function rawExchange(
  port: number,
  request: Buffer,
  opts: { head?: boolean; timeoutMs?: number } = {},
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: RawOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', received }), opts.timeoutMs ?? 20_000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseResponse(received, opts.head ?? false, false);
      if (parsed) finish({ kind: 'answer', response: parsed });
    });
    socket.on('end', () => {
      const parsed = parseResponse(received, opts.head ?? false, true);
      finish(parsed ? { kind: 'answer', response: parsed } : { kind: 'closed', received });
    });
    socket.on('close', () => finish({ kind: 'closed', received }));
    socket.on('error', (e) => {
      const parsed = parseResponse(received, opts.head ?? false, true);
      finish(parsed ? { kind: 'answer', response: parsed } : { kind: 'error', message: e.message });
    });
  });
}

/** A complete response at the start of `buf`, or undefined while more is needed. */
export function parseResponse(buf: Buffer, head: boolean, ended: boolean): RawResponse | undefined {
  let start = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start);
    if (end < 0) return undefined;
    const lines = buf.subarray(start, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) return undefined;
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim().toLowerCase();
      const value = line.slice(i + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const rest = buf.subarray(end + 4);
    if (status >= 100 && status < 200 && status !== 101) {
      start = end + 4;
      continue;
    }
    if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body = dechunk(rest);
      return body ? { status, headers, body } : undefined;
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return rest.length >= length
        ? { status, headers, body: rest.subarray(0, length) }
        : undefined;
    }
    return ended ? { status, headers, body: rest } : undefined;
  }
}

function dechunk(buf: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
