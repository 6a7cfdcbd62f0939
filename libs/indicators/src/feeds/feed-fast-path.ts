import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { tokenFromAuthorization, TokenPrincipal } from '@renkei/identity';
import { allowReplicaReads, clientAddress, ReplicaMode, withReadRoute } from '@renkei/platform';
import { ChangeNotifications } from '@renkei/platform';
import { gzipOf, RenderedFeed } from './feed-cache';
import { FeedRequest, parseFeedRequest } from './feed-params';
import { FeedPullRecorder, FeedService } from './feed.service';

/** Where feeds may be read from (FeedController and the revalidation here): the present. */
export const FEED_REPLICA_READS: ReplicaMode = 'current';

/** How long a token checked by the full path is trusted here (also how often it is touched). */
const TRUST_MS = 60_000;

interface KnownToken {
  principal: TokenPrincipal;
  /** The socket address and X-Forwarded-For it was checked from (allowed ranges apply to it). */
  peer: string;
  checkedAt: number;
}

/**
 * Answers a repeated feed pull before the web framework sees it: a token the full path checked
 * within the last minute, from the same address, asking for a feed that is rendered and still
 * current at the change counter (as notified by PostgreSQL) gets its 200 or 304 straight from
 * memory; after a change anywhere FeedService revalidates that token's feed under its scope
 * first (ADR 0040). Anything else (a new token or address, a parameter error, an expired or
 * revoked token, a lost notification connection, a failed revalidation) goes the full way:
 * authentication, guard, rendering, and teaches this path again. Revocations and organisation
 * changes drop every known token at once (ChangeNotifications), from this process or any other.
 *
 * These answers are not logged line by line; pulls are counted per token and hour like all.
 */
@Injectable()
export class FeedFastPath {
  private readonly tokens = new Map<string, KnownToken>();
  /** Parsed feed URLs: a firewall asks for the same one every time. */
  private readonly requests = new Map<string, FeedRequest | null>();

  constructor(
    private readonly feeds: FeedService,
    private readonly pulls: FeedPullRecorder,
    private readonly changes: ChangeNotifications,
  ) {
    const forget = () => {
      this.generation++;
      this.tokens.clear();
    };
    changes.on('renkei_auth', forget);
    changes.on('lost', forget);
  }

  /**
   * Goes up whenever callers' rights may have changed. The full path notes it before it
   * renders and passes it back to `learn`: a token checked before a change is not learned after.
   */
  generation = 0;

  /** Called by the full path after it served a token's pull. */
  learn(token: string, principal: TokenPrincipal, req: IncomingMessage, generation: number): void {
    if (generation !== this.generation) return;
    if (this.tokens.size > 10_000) this.tokens.clear(); // a bound, not a policy
    this.tokens.set(digest(token), { principal, peer: peerOf(req), checkedAt: Date.now() });
  }

  /**
   * True when it answers (now, or once the feed is revalidated); false leaves the request to the
   * application. `application` hands it on later: a revalidation that fails, or rights that may
   * have changed while it ran, go the full way after all.
   */
  handle(req: IncomingMessage, res: ServerResponse, application?: () => void): boolean {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url?.startsWith('/feeds/')) {
      return false;
    }
    const header = req.headers.authorization;
    const token = header ? tokenFromAuthorization(header) : undefined;
    if (!token) return false;
    const known = this.tokens.get(digest(token));
    const now = Date.now();
    if (
      !known ||
      now - known.checkedAt > TRUST_MS ||
      (known.principal.expiresAt && known.principal.expiresAt.getTime() <= now) ||
      known.peer !== peerOf(req)
    ) {
      return false;
    }
    let request = this.requests.get(req.url);
    if (request === undefined) {
      if (this.requests.size > 10_000) this.requests.clear();
      request = requestOf(req.url);
      this.requests.set(req.url, request);
    }
    if (!request) return false;
    const seq = this.feeds.trustedSeq();
    const feed = seq === null ? undefined : this.feeds.cached(known.principal, request, seq);
    if (feed && !(wantsGzip(req, feed, request) && !feed.gzippedBody)) {
      this.answer(req, res, known, request, feed);
      return true;
    }
    // Without notifications a revocation would go unheard here: the full path checks the token.
    if (!application || !this.changes.healthy) return false;
    void this.revalidate(req, res, known, request, application);
    return true;
  }

  /**
   * A known token's feed after a change (anyone's: most change lists the caller cannot see) or
   * before its gzip form was made: FeedService decides under the caller's scope, as it does for
   * the full path, whether the body still stands or renders it; only the framework and the
   * token's authentication, done within the last minute, are skipped. Every pull of every
   * firewall used to take the full way once after each change anywhere in the hub.
   */
  private async revalidate(
    req: IncomingMessage,
    res: ServerResponse,
    known: KnownToken,
    request: FeedRequest,
    application: () => void,
  ): Promise<void> {
    const generation = this.generation;
    let feed: RenderedFeed;
    try {
      // Read where the full path reads (ADR 0030): a replica that has replayed the present.
      feed = await new Promise<RenderedFeed>((resolve, reject) =>
        withReadRoute(() => {
          allowReplicaReads(FEED_REPLICA_READS, known.principal.organisationId);
          this.feeds.feed(known.principal, request).then(resolve, reject);
        }),
      );
      if (wantsGzip(req, feed, request)) await gzipOf(feed);
    } catch {
      return application(); // the full path answers, with its error and request id
    }
    if (generation !== this.generation) return application();
    try {
      this.answer(req, res, known, request, feed);
    } catch {
      res.destroy(); // the client went away meanwhile
    }
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    known: KnownToken,
    request: FeedRequest,
    feed: RenderedFeed,
  ): void {
    const gzip = wantsGzip(req, feed, request);
    const status = writeFeed(req, res, feed, request, gzip ? feed.gzippedBody! : feed.body, gzip);
    this.pulls.record(
      known.principal.tokenId,
      status,
      feed.size,
      clientAddress(req),
      pathOf(req.url!),
    );
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

function peerOf(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  return `${req.socket.remoteAddress ?? ''}|${Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')}`;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function requestOf(url: string): FeedRequest | null {
  const parsed = new URL(url, 'http://hub');
  const name = decodeURIComponent(parsed.pathname.slice('/feeds/'.length));
  if (!name || name.includes('/')) return null;
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(parsed.searchParams.keys())) {
    const values = parsed.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const result = parseFeedRequest(name, query);
  return result.ok ? result.request : null;
}

/** A body over 1 kB to a client that takes gzip; never a checksum file (a line of hex). */
export function wantsGzip(req: IncomingMessage, feed: RenderedFeed, request: FeedRequest): boolean {
  return (
    !request.checksum && feed.size > 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
  );
}

/**
 * The answer to a feed request, from either path: 304 when the client's validators match,
 * else the body (or its checksum file), with the validators and counts. A checksum file changes
 * exactly when its body does: it carries the body's Last-Modified and its own ETag, and is
 * answered 304 by the same rule.
 */
export function writeFeed(
  req: IncomingMessage,
  res: ServerResponse,
  feed: RenderedFeed,
  request: FeedRequest,
  body: Buffer[],
  gzipped: boolean,
): number {
  const lastModified = (feed.lastModifiedHttp ??= feed.lastModified.toUTCString());
  if (request.checksum) {
    const etag = feed.etag.replace(/"$/, `-${request.checksum}"`);
    const headers: Record<string, string | number> = {
      ETag: etag,
      'Last-Modified': lastModified,
      'Cache-Control': 'private, no-cache',
    };
    if (notModified(req, etag, feed.lastModified)) {
      res.writeHead(304, headers).end();
      return 304;
    }
    const sum = `${request.checksum === 'sha256' ? feed.sha256 : feed.md5}\n`;
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    headers['Content-Length'] = Buffer.byteLength(sum);
    res.writeHead(200, headers);
    res.end(sum);
    return 200;
  }
  const headers: Record<string, string | number> = {
    ETag: feed.etag,
    'Last-Modified': lastModified,
    'Cache-Control': 'private, no-cache',
    Vary: 'Accept-Encoding, Authorization',
    'X-Feed-Entries': feed.count,
  };
  if (feed.omitted) headers['X-Feed-Omitted'] = feed.omitted;
  if (notModified(req, feed.etag, feed.lastModified)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['Content-Type'] = feed.contentType;
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  let length = 0;
  for (const piece of body) length += piece.length;
  headers['Content-Length'] = length;
  res.writeHead(200, headers);
  // Piece by piece: a body may be larger than one buffer should be (ADR 0020).
  if (req.method !== 'HEAD') for (const piece of body) res.write(piece);
  res.end();
  return 200;
}

/** RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison for GET. */
export function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm === etag) return true; // what a firewall sends back, as it was given
  if (inm) {
    const tag = etag.replace(/^W\//, '');
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === tag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && lastModified.getTime() <= since;
  }
  return false;
}
