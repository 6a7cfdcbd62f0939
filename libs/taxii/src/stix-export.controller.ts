import { Controller, Get, Param, Res } from '@nestjs/common';
import { AllowTokens, AnyPrincipal, CurrentCaller } from '@renkei/identity';
import { HUB_STIX_NAMESPACE, ListService, stix } from '@renkei/indicators';
import { ReportService } from '@renkei/reports';
import type { Response } from 'express';
import { entryInputs, reportInput, stixAuthor } from './taxii.service';

const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/**
 * STIX 2.1 bundles of one list or one report, for tools that import files (ADR 0009): the TLP 2.0
 * marking definitions, the author as the reader may know it (a pseudonym when anonymous), and
 * the indicators. What the caller may not see is NOT_FOUND, like what does not exist.
 */
@Controller('api')
export class StixExportController {
  constructor(
    private readonly lists: ListService,
    private readonly reports: ReportService,
  ) {}

  @Get('lists/:id/stix')
  @AllowTokens('feeds:read')
  async list(@Param('id') id: string, @Res() res: Response, @CurrentCaller() p: AnyPrincipal) {
    const list = await this.lists.get(p, id);
    const entries = await this.lists.stixEntries(p, id, {});
    const bundle = stix.bundleChunks({
      namespace: HUB_STIX_NAMESPACE,
      generatedAt: new Date(),
      author: stixAuthor(list.author),
      tlp: list.tlp,
      entries: entryInputs(list, entries),
      objectName: `list ${list.id}`,
    });
    send(res, [...bundle].join(''));
  }

  @Get('reports/:id/stix')
  @AllowTokens('reports:read')
  async report(@Param('id') id: string, @Res() res: Response, @CurrentCaller() p: AnyPrincipal) {
    const report = await this.reports.get(p, id);
    // The indicators of the report: entries of the lists the caller may see that name it.
    const entries: stix.IndicatorEntryInput[] = [];
    const seen = new Set<string>();
    for (const list of await this.lists.forStix(p)) {
      if (list.reportId !== report.id) continue;
      for (const e of entryInputs(list, await this.lists.stixEntries(p, list.id, {}))) {
        if (seen.has(`${e.type}:${e.value}`)) continue;
        seen.add(`${e.type}:${e.value}`);
        entries.push(e);
      }
    }
    const bundle = stix.reportBundleChunks({
      namespace: HUB_STIX_NAMESPACE,
      generatedAt: new Date(),
      author: stixAuthor(report.author),
      tlp: report.tlp,
      report: reportInput(report),
      entries,
    });
    send(res, [...bundle].join(''));
  }
}

function send(res: Response, json: string): void {
  res.status(200).setHeader('Content-Type', STIX_MEDIA_TYPE);
  res.end(json);
}
