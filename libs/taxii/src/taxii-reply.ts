import { Injectable } from '@nestjs/common';
import type { HubRequest } from '@renkei/identity';
import { FeedPullRecorder } from '@renkei/indicators';
import { clientAddress } from '@renkei/platform';
import type { Request, Response } from 'express';
import { TAXII_MEDIA_TYPE } from './taxii-media';

/**
 * Writes every TAXII answer, success or error, and records it as a pull of the caller's API
 * token with its real status and size (feedPulls). Pulls are counted per token: a caller without
 * one (no credentials, an unknown or revoked token) has nothing to count them against, and a
 * user's session is not a token (feed_pull rows belong to tokens).
 */
@Injectable()
export class TaxiiReply {
  constructor(private readonly pulls: FeedPullRecorder) {}

  send(req: Request, res: Response, status: number, body: object): void {
    const text = JSON.stringify(body);
    const bytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(text);
    const p = (req as HubRequest).principal;
    if (p?.kind === 'token') {
      this.pulls.record(p.tokenId, status, bytes, clientAddress(req), req.path);
    }
    // Set verbatim: Express would rewrite it (a space, a charset) and TAXII clients compare it.
    res.status(status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  }
}
