import { createHash, createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

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
  body: Buffer,
): Pick<RenderedFeed, 'etag' | 'sha256' | 'md5'> {
  const tag = createHmac('sha256', validatorKey)
    .update(`${key}\n${fingerprint}\n${Number.isFinite(nextExpiry) ? nextExpiry : 'never'}`)
    .digest('base64url')
    .slice(0, 27);
  return {
    etag: `W/"${tag}"`,
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
