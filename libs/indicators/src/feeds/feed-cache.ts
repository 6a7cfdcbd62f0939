import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** A rendered feed and what a conditional request is answered from. */
export interface RenderedFeed {
  /** feed_state.change_seq the body was rendered at. */
  seq: number;
  /** The body stays right until the first served entry expires (ms since epoch). */
  nextExpiry: number;
  etag: string;
  lastModified: Date;
  /** lastModified as an HTTP date, formatted once. */
  lastModifiedHttp?: string;
  body: Buffer;
  contentType: string;
  count: number;
  omitted: number;
  sha256: string;
  md5: string;
  gzipped?: Promise<Buffer>;
  /** The gzip form once made (what the fast path serves). */
  gzippedBody?: Buffer;
}

export function feedValidators(
  key: string,
  seq: number,
  nextExpiry: number,
  body: Buffer,
): Pick<RenderedFeed, 'etag' | 'sha256' | 'md5'> {
  // The ETag names what decided the content (the change counter, the next expiry and the
  // request), so another instance at the same counter answers the same ETag without rendering.
  const keyHash = createHash('sha256').update(key).digest('base64url').slice(0, 12);
  const expiry = Number.isFinite(nextExpiry) ? nextExpiry.toString(36) : 'never';
  return {
    etag: `W/"${seq.toString(36)}-${expiry}-${keyHash}"`,
    sha256: createHash('sha256').update(body).digest('hex'),
    md5: createHash('md5').update(body).digest('hex'),
  };
}

/** The gzip form, made once per rendered body and only when a client asks for it. */
export function gzipOf(feed: RenderedFeed): Promise<Buffer> {
  feed.gzipped ??= gzipAsync(feed.body, { level: 6 }).then((gz) => (feed.gzippedBody = gz));
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

  async getOrRender(
    key: string,
    seq: number,
    now: number,
    render: () => Promise<RenderedFeed>,
  ): Promise<RenderedFeed> {
    const hit = this.fresh(key, seq, now);
    if (hit) return hit;
    const flightKey = `${seq}|${key}`;
    let flight = this.pending.get(flightKey);
    if (!flight) {
      flight = render().finally(() => this.pending.delete(flightKey));
      this.pending.set(flightKey, flight);
      this.store(key, await flight);
    }
    return flight;
  }

  private store(key: string, feed: RenderedFeed): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, feed);
    this.bytes += feed.body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
  }
}
