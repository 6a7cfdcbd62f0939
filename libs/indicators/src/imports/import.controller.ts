import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AllowTokens, AnyPrincipal, CurrentCaller } from '@renkei/identity';
import { BadInputError, FieldError, HUB_CONFIG, HubConfig, parseInstant } from '@renkei/platform';
import express, { Request, RequestHandler, Response } from 'express';
import { EntryFormat } from '../lists/list.models';
import { ListService } from '../lists/list.service';
import { bodyText } from './body-text';
import { tagsProblem } from './entry-input';
import { readEntries } from './read-entries';

const PARAMS = [
  'format',
  'partial',
  'confidence',
  'validity_days',
  'tags',
  'note',
  'report',
  'seen_at',
  'normalise',
];

/** Every bad line is listed over REST up to this many (the count is always exact). */
const REST_LISTED_REJECTIONS = 100_000;

/**
 * `POST /api/lists/<id>/entries`: bulk add for scripts and large inputs (a million lines), the
 * body as it is (text, CSV or a STIX bundle). The GraphQL mutation addListEntries does the
 * same for inputs that fit a GraphQL request. 200 when applied, 422 when refused, with the same
 * result document either way. The body (up to IMPORT_BODY_LIMIT) is read here, not by a
 * middleware: only once the caller is known to be allowed to add to the list (ADR 0015).
 */
@Controller('api/lists')
export class ImportController {
  private readonly readBody: RequestHandler;

  constructor(
    private readonly lists: ListService,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.readBody = express.raw({ type: () => true, limit: config.http.importBodyLimit });
  }

  @Post(':id/entries')
  @AllowTokens('indicators:write')
  async add(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentCaller() caller: AnyPrincipal,
  ): Promise<void> {
    const q = req.query as Record<string, string | string[] | undefined>;
    const errors: FieldError[] = [];
    for (const key of Object.keys(q)) {
      if (!PARAMS.includes(key))
        errors.push({ path: key, message: `is not a parameter; use ${PARAMS.join(', ')}` });
    }
    const one = (key: string) => {
      const v = q[key];
      if (Array.isArray(v)) errors.push({ path: key, message: 'may be given once' });
      return Array.isArray(v) ? v[0] : v;
    };
    const int = (key: string, min: number, max: number) => {
      const v = one(key);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v) || +v < min || +v > max) {
        errors.push({ path: key, message: `must be a whole number from ${min} to ${max}` });
      }
      return Number(v);
    };
    const contentType = req.headers['content-type'] ?? '';
    const formatText = one('format') ?? formatOf(contentType);
    if (!Object.values(EntryFormat).includes(formatText as EntryFormat)) {
      errors.push({ path: 'format', message: 'must be text, csv or stix' });
    }
    const flag = (key: string) => {
      const v = one(key);
      if (v !== undefined && !['true', 'false', '1', '0'].includes(v)) {
        errors.push({ path: key, message: 'must be true or false' });
      }
      return v === 'true' || v === '1';
    };
    const partial = flag('partial');
    const normalise = flag('normalise');
    const seenText = one('seen_at');
    const seen = seenText === undefined ? undefined : parseInstant(seenText);
    if (seen && !seen.ok) errors.push({ path: 'seen_at', message: seen.message });
    const tags = one('tags')
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const tagError = tags && tagsProblem(tags);
    if (tagError) errors.push({ path: 'tags', message: tagError });
    const note = one('note');
    if (note && note.length > 2000)
      errors.push({ path: 'note', message: 'at most 2000 characters' });
    const confidence = int('confidence', 0, 100);
    const validityDays = int('validity_days', 1, 3650);
    const reportId = one('report');
    if (errors.length) throw new BadInputError(errors);

    const format = formatText as EntryFormat;
    const listTlp = await this.lists.assertMayAddEntries(caller, id);
    await new Promise<void>((resolve, reject) =>
      this.readBody(req, res, (e?: unknown) => (e ? reject(e) : resolve())),
    );
    if (!Buffer.isBuffer(req.body)) {
      throw new BadInputError([
        { path: 'body', message: 'send the entries as the request body (text, CSV or JSON)' },
      ]);
    }
    const body = bodyText(req.body);
    if ('error' in body) throw new BadInputError([body.error]);
    const input = await readEntries(format, body.text, {
      listTlp: format === EntryFormat.STIX ? listTlp : undefined,
      normalise,
    });
    const result = await this.lists.addEntries(caller, id, input, {
      source: format,
      partial,
      confidence,
      seenAt: seen?.ok ? seen.date : undefined,
      paths: { seenAt: 'seen_at', validityDays: 'validity_days' },
      validityDays,
      tags,
      note,
      reportId,
      listRejected: REST_LISTED_REJECTIONS,
    });
    res.status(result.applied ? 200 : 422).json(result);
  }
}

function formatOf(contentType: string): EntryFormat {
  if (/^text\/csv/i.test(contentType)) return EntryFormat.CSV;
  if (/^application\/(stix\+)?json/i.test(contentType)) return EntryFormat.STIX;
  return EntryFormat.TEXT;
}
