import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { AllowTokens, AnyPrincipal, CurrentCaller, tokenFrom } from '@renkei/identity';
import { BadInputError, clientAddress, ReplicaReads } from '@renkei/platform';
import type { Request, Response } from 'express';
import { gzipOf } from './feed-cache';
import { FEED_REPLICA_READS, FeedFastPath, wantsGzip, writeFeed } from './feed-fast-path';
import { parseFeedRequest } from './feed-params';
import { FeedPullRecorder, FeedService } from './feed.service';

/**
 * `GET /feeds/<kind>.<format>` for firewalls and scripts (README, "Connect your firewall"):
 * an API token with `feeds:read` as Bearer or as the HTTP Basic password. This is the full
 * path (authentication, guard, rendering); repeated pulls of an unchanged feed are usually
 * answered by FeedFastPath before reaching it.
 */
@Controller('feeds')
@ReplicaReads(FEED_REPLICA_READS)
export class FeedController {
  constructor(
    private readonly feeds: FeedService,
    private readonly pulls: FeedPullRecorder,
    private readonly fast: FeedFastPath,
  ) {}

  @Get(':name')
  @AllowTokens('feeds:read')
  async feed(
    @Param('name') name: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() caller: AnyPrincipal,
  ): Promise<void> {
    const generation = this.fast.generation; // before anything slow: see FeedFastPath.learn
    const parsed = parseFeedRequest(name, req.query as Record<string, unknown>);
    if (!parsed.ok) throw new BadInputError(parsed.errors);
    const request = parsed.request;
    const feed = await this.feeds.feed(caller, request);
    const gzip = wantsGzip(req, feed, request);
    const body = gzip ? await gzipOf(feed) : feed.body;
    const status = writeFeed(req, res, feed, request, body, gzip);
    if (caller.kind === 'token') {
      this.pulls.record(caller.tokenId, status, feed.size, clientAddress(req), req.path);
      this.fast.learn(tokenFrom(req)!, caller, req, generation);
    }
  }
}
