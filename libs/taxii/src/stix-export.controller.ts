import { Controller, Get, Param, Res } from '@nestjs/common';
import { AllowTokens, AnyPrincipal, CurrentCaller } from '@renkei/identity';
import { NotFoundError } from '@renkei/platform';
import { ListService, stix, StixNamespace } from '@renkei/indicators';
import { ReportService } from '@renkei/reports';
import type { Response } from 'express';
import { entryInput, stixAuthor, TaxiiService } from './taxii.service';

const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/**
 * STIX 2.1 bundles of one list or one report, for tools that import files (ADR 0009): the TLP 2.0
 * marking definitions, the authors as the reader may know them (a pseudonym when anonymous), and
 * the indicators, built by the same code as TAXII, so an object in both reads the same. A
 * retracted list's indicators and a retracted report come revoked. What the caller may not see
 * is NOT_FOUND, like what does not exist.
 */
@Controller('api')
export class StixExportController {
  constructor(
    private readonly lists: ListService,
    private readonly reports: ReportService,
    private readonly taxii: TaxiiService,
    private readonly namespace: StixNamespace,
  ) {}

  @Get('lists/:id/stix')
  @AllowTokens('feeds:read')
  async list(@Param('id') id: string, @Res() res: Response, @CurrentCaller() p: AnyPrincipal) {
    const list = await this.lists.get(p, id);
    const entries = await this.lists.stixEntries(p, id, { current: true });
    const bundle = stix.bundleChunks({
      namespace: await this.namespace.get(),
      generatedAt: new Date(),
      author: stixAuthor(list.author),
      tlp: list.tlp,
      entries: entries.map((e) => entryInput(list, e)),
      objectName: `list ${list.id}`,
    });
    send(res, [...bundle].join(''));
  }

  @Get('reports/:id/stix')
  @AllowTokens('reports:read')
  async report(@Param('id') id: string, @Res() res: Response, @CurrentCaller() p: AnyPrincipal) {
    const report = await this.reports.get(p, id);
    // Like an exercise list, a drill's report never reaches another organisation as STIX
    // (TAXII leaves it out by RELEASED_REPORTS; this is the one other path).
    if (report.exercise && report.ownerOrgId !== p.organisationId) {
      throw new NotFoundError('Report');
    }
    const addedAt = await this.reports.stixAddedAt(p, id);
    // The indicators of the report: the current entries of the lists the caller may see that
    // name it, each under its list's author and marking.
    const linked = [];
    for (const list of await this.lists.forStix(p)) {
      if (list.reportId !== report.id) continue;
      linked.push({ list, versions: await this.lists.stixEntries(p, list.id, { current: true }) });
    }
    const namespace = await this.namespace.get();
    const { input } = await this.taxii.reportInput(p, report, addedAt, linked, namespace);
    send(res, [...stix.reportBundleChunks({ ...input, generatedAt: new Date() })].join(''));
  }
}

function send(res: Response, json: string): void {
  res.status(200).setHeader('Content-Type', STIX_MEDIA_TYPE);
  res.end(json);
}
