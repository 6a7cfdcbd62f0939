import { createHash, createHmac } from 'node:crypto';
import { createGzip } from 'node:zlib';

/** A rendered feed and what a conditional request is answered from. */
export interface RenderedFeed {
  /** feed_state.change_seq the body was rendered (or last found still right) at. */
  seq: number;
  /** The versions of the visible lists and the allow-list the body was rendered from. */
  fingerprint: string;
  /** The body stays right until the first served entry expires (ms since epoch). */
  nextExpiry: number;
  etag: string;
  lastModified: Date;
  /** lastModified as an HTTP date, formatted once. */
  lastModifiedHttp?: string;
  /** The body in the pieces it was rendered in: never one string, never one buffer (ADR 0020). */
  body: Buffer[];
  /** The body's length in bytes. */
  size: number;
  contentType: string;
  count: number;
  omitted: number;
  sha256: string;
  md5: string;
  gzipped?: Promise<Buffer[]>;
  /** The gzip form once made (what the fast path serves). */
  gzippedBody?: Buffer[];
}

/**
 * The ETag names what decided the content, keyed so that it says nothing else: the request,
 * the versions of the lists the caller may see and the allow-list (the fingerprint), and when
 * the first served entry expires. Another instance with the same inputs answers the same ETag
 * without rendering; a change to a list the caller cannot see leaves it alone.
 */
export function feedValidators(
  validatorKey: Buffer,
  key: string,
  fingerprint: string,
  nextExpiry: number,
  body: FeedBody,
): Pick<RenderedFeed, 'etag' | 'sha256' | 'md5'> {
  const tag = createHmac('sha256', validatorKey)
    .update(`${key}\n${fingerprint}\n${Number.isFinite(nextExpiry) ? nextExpiry : 'never'}`)
    .digest('base64url')
    .slice(0, 27);
  return { etag: `W/"${tag}"`, ...body.digests() };
}

/**
 * A body as it is rendered: pieces of about 64 kB, hashed as they come, so that neither the text
 * (a string stops at 2^29 characters: all.stix of a million entries is more) nor the checksums
 * need the whole body at once.
 */
export class FeedBody {
  readonly pieces: Buffer[] = [];
  size = 0;
  private readonly sha256 = createHash('sha256');
  private readonly md5 = createHash('md5');

  add(piece: string | Buffer): void {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (!bytes.length) return;
    this.pieces.push(bytes);
    this.size += bytes.length;
    this.sha256.update(bytes);
    this.md5.update(bytes);
  }

  /** Once, when the body is complete. */
  digests(): { sha256: string; md5: string } {
    return { sha256: this.sha256.digest('hex'), md5: this.md5.digest('hex') };
  }
}

/** The gzip form, made once per rendered body and only when a client asks for it. */
export function gzipOf(feed: RenderedFeed): Promise<Buffer[]> {
  feed.gzipped ??= new Promise<Buffer[]>((resolve, reject) => {
    // Streamed through zlib (on the thread pool) piece by piece, like the body was rendered.
    const zip = createGzip({ level: 6 });
    const out: Buffer[] = [];
    zip.on('data', (chunk: Buffer) => out.push(chunk));
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    for (const piece of feed.body) zip.write(piece);
    zip.end();
  }).then((gz) => (feed.gzippedBody = gz));
  return feed.gzipped;
}

/**
 * Rendered feeds by request key (organisation context plus normalised parameters), least
 * recently used dropped first once the bodies exceed `maxBytes`. Concurrent misses for one key
 * share one render.
 */
export class FeedCache {
  private readonly entries = new Map<string, RenderedFeed>();
  private readonly pending = new Map<string, Promise<RenderedFeed>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** A body still right at this change counter and time, or undefined. */
  fresh(key: string, seq: number, now: number): RenderedFeed | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.seq !== seq || now >= hit.nextExpiry) return undefined;
    this.entries.delete(key); // re-insert: most recently used last
    this.entries.set(key, hit);
    return hit;
  }

  /**
   * The cached body if still right, else what `produce` makes of the stale one (if any): the
   * same body found still right at the new counter, or a new rendering.
   */
  async getOrRender(
    key: string,
    seq: number,
    now: number,
    produce: (stale: RenderedFeed | undefined) => Promise<RenderedFeed>,
  ): Promise<RenderedFeed> {
    const hit = this.fresh(key, seq, now);
    if (hit) return hit;
    const flightKey = `${seq}|${key}`;
    let flight = this.pending.get(flightKey);
    if (!flight) {
      flight = produce(this.entries.get(key)).finally(() => this.pending.delete(flightKey));
      this.pending.set(flightKey, flight);
      this.store(key, await flight);
    }
    return flight;
  }

  private store(key: string, feed: RenderedFeed): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    this.entries.set(key, feed);
    this.bytes += feed.size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.bytes -= v.size;
    }
  }
}
