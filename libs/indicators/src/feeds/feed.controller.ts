import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { AllowTokens, AnyPrincipal, CurrentCaller } from '@renkei/identity';
import { BadInputError } from '@renkei/platform';
import type { Request, Response } from 'express';
import { gzipOf, RenderedFeed } from './feed-cache';
import { parseFeedRequest } from './feed-params';
import { FeedPullRecorder, FeedService } from './feed.service';

/**
 * `GET /feeds/<kind>.<format>` for firewalls and scripts (README, "Connect your firewall"):
 * an API token with `feeds:read` as Bearer or as the HTTP Basic password. Answers are written
 * directly (no framework serialisation, no per-response hashing): an unchanged feed is served
 * from memory.
 */
@Controller('feeds')
export class FeedController {
  constructor(
    private readonly feeds: FeedService,
    private readonly pulls: FeedPullRecorder,
  ) {}

  @Get(':name')
  @AllowTokens('feeds:read')
  async feed(
    @Param('name') name: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() caller: AnyPrincipal,
  ): Promise<void> {
    const parsed = parseFeedRequest(name, req.query as Record<string, unknown>);
    if (!parsed.ok) throw new BadInputError(parsed.errors);
    const request = parsed.request;
    const feed = await this.feeds.feed(caller, request);
    const status = request.checksum
      ? await this.sendChecksum(res, feed, request.checksum)
      : await this.send(req, res, feed);
    if (caller.kind === 'token') {
      this.pulls.record(caller.tokenId, status, feed.body.length, req.ip ?? null, req.path);
    }
  }

  private async send(req: Request, res: Response, feed: RenderedFeed): Promise<number> {
    const headers: Record<string, string | number> = {
      ETag: feed.etag,
      'Last-Modified': feed.lastModified.toUTCString(),
      'Cache-Control': 'private, no-cache',
      Vary: 'Accept-Encoding, Authorization',
      'X-Feed-Entries': feed.count,
    };
    if (feed.omitted) headers['X-Feed-Omitted'] = feed.omitted;
    if (notModified(req, feed)) {
      res.writeHead(304, headers).end();
      return 304;
    }
    headers['Content-Type'] = feed.contentType;
    let body = feed.body;
    if (body.length > 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      body = await gzipOf(feed);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return 200;
  }

  /** The checksum file of a feed: the hex digest and a newline (Cisco-style "hash URL"). */
  private async sendChecksum(res: Response, feed: RenderedFeed, kind: 'sha256' | 'md5') {
    const body = `${kind === 'sha256' ? feed.sha256 : feed.md5}\n`;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'private, no-cache',
      ETag: feed.etag.replace(/"$/, `-${kind}"`),
    });
    res.end(body);
    return 200;
  }
}

/** RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison for GET. */
export function notModified(req: Request, feed: RenderedFeed): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) {
    const tag = feed.etag.replace(/^W\//, '');
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === tag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && feed.lastModified.getTime() <= since;
  }
  return false;
}
