import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { HUB_CONFIG, HubConfig, ReplicaReads } from '@renkei/platform';
import { AllowTokens, AnyPrincipal, CurrentCaller } from '@renkei/identity';
import type { Request, Response } from 'express';
import { parseObjectQuery, parseVersionsQuery, TaxiiError } from './taxii-params';
import { acceptable, TAXII_MEDIA_TYPE } from './taxii-media';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { TaxiiReply } from './taxii-reply';
import { TaxiiService } from './taxii.service';

const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/**
 * A read-only TAXII 2.1 server (ADR 0009): discovery at /taxii2/, one API root at /taxii2/api/.
 * Authentication: an API token as Bearer or as the HTTP Basic password (`reports:read` for the
 * reports collection, `feeds:read` for the lists). Every failure, the guard's included, is a
 * TAXII error message (TaxiiExceptionFilter); other paths and methods under /taxii2 are answered
 * by TaxiiFallbackController.
 */
@Controller('taxii2')
@ReplicaReads('current')
@AllowTokens('reports:read', 'feeds:read')
@UseFilters(TaxiiExceptionFilter)
export class TaxiiController {
  constructor(
    private readonly taxii: TaxiiService,
    private readonly reply: TaxiiReply,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Get()
  discovery(@Req() req: Request, @Res() res: Response) {
    return this.answer(req, res, async () => {
      const root = `${baseOf(req)}/taxii2/api/`;
      return {
        title: 'renkei TAXII server',
        description:
          'Indicator lists and incident reports of this renkei hub, under TLP 2.0. Read-only: ' +
          'objects are added through the hub itself, not over TAXII.',
        default: root,
        api_roots: [root],
      };
    });
  }

  @Get('api')
  apiRoot(@Req() req: Request, @Res() res: Response) {
    return this.answer(req, res, async () => ({
      title: 'renkei',
      description:
        'One API root: a collection of reports and one collection per indicator list. Read-only.',
      versions: [TAXII_MEDIA_TYPE],
      // Required and positive (§4.2.1) even for a server that takes no content: the body limit.
      max_content_length: bytesOf(this.config.http.bodyLimit),
    }));
  }

  @Get('api/collections')
  collections(@Req() req: Request, @Res() res: Response, @CurrentCaller() p: AnyPrincipal) {
    return this.answer(req, res, async () => {
      const collections = await this.taxii.collections(p);
      return collections.length ? { collections } : {};
    });
  }

  @Get('api/collections/:id')
  collection(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() p: AnyPrincipal,
  ) {
    return this.answer(req, res, () => this.taxii.collection(p, id));
  }

  @Get('api/collections/:id/objects')
  objects(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() p: AnyPrincipal,
  ) {
    return this.answer(req, res, async () => {
      const page = await this.taxii.page(
        p,
        id,
        parseObjectQuery(req.query as Record<string, unknown>),
      );
      dateHeaders(res, page.items);
      return envelope(
        page,
        page.items.map((i) => i.object),
      );
    });
  }

  @Get('api/collections/:id/objects/:objectId')
  object(
    @Param('id') id: string,
    @Param('objectId') objectId: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() p: AnyPrincipal,
  ) {
    return this.answer(req, res, async () => {
      const query = parseObjectQuery(req.query as Record<string, unknown>);
      const page = await this.taxii.object(p, id, objectId, query);
      dateHeaders(res, page.items);
      return { more: false, objects: page.items.map((i) => i.object) };
    });
  }

  @Get('api/collections/:id/objects/:objectId/versions')
  versions(
    @Param('id') id: string,
    @Param('objectId') objectId: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() p: AnyPrincipal,
  ) {
    return this.answer(req, res, async () => {
      const query = parseVersionsQuery(req.query as Record<string, unknown>);
      const page = await this.taxii.object(p, id, objectId, query);
      dateHeaders(res, page.items);
      return { more: false, versions: page.items.map((i) => i.version) };
    });
  }

  @Get('api/collections/:id/manifest')
  manifest(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() p: AnyPrincipal,
  ) {
    return this.answer(req, res, async () => {
      const page = await this.taxii.page(
        p,
        id,
        parseObjectQuery(req.query as Record<string, unknown>),
      );
      dateHeaders(res, page.items);
      return envelope(
        page,
        page.items.map((i) => ({
          id: i.id,
          date_added: i.shownAt,
          version: i.version,
          media_type: STIX_MEDIA_TYPE,
        })),
      );
    });
  }

  /** Content negotiation, then the answer; a failure goes to TaxiiExceptionFilter. */
  private async answer(req: Request, res: Response, work: () => Promise<object>): Promise<void> {
    if (!acceptable(req.headers.accept)) {
      throw new TaxiiError(406, 'Not acceptable', `This server answers ${TAXII_MEDIA_TYPE} only.`);
    }
    this.reply.send(req, res, 200, await work());
  }
}

function envelope(page: { more: boolean; next?: string }, objects: object[]): object {
  if (!objects.length) return { more: false };
  return { more: page.more, ...(page.next ? { next: page.next } : {}), objects };
}

/**
 * The date added of the first and the last object of the answer. An empty page has no
 * objects, so neither header (ADR 0009: no invented bound).
 */
function dateHeaders(res: Response, items: { shownAt: string }[]): void {
  if (!items.length) return;
  res.setHeader('X-TAXII-Date-Added-First', items[0].shownAt);
  res.setHeader('X-TAXII-Date-Added-Last', items[items.length - 1].shownAt);
}

/** '100kb' → 102400. */
function bytesOf(size: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(size);
  if (!m) return 102_400;
  return (
    Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2].toLowerCase() as 'b' | 'kb' | 'mb']
  );
}

function baseOf(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}
