import { matchesList, matchesReport } from './push.filters';
import type { ListEvent, ListEventKind, ReportEvent, ReportEventKind } from './push.models';

// The enums' values (push.models needs Nest, which unit tests do not load).
const PUBLISHED = 'report.published' as ReportEventKind;
const UPDATED = 'report.updated' as ReportEventKind;
const RETRACTED = 'list.retracted' as ListEventKind;

describe('event filters', () => {
  const report = (over: Partial<ReportEvent['report']> = {}, kind = 'report.published') =>
    ({
      kind,
      report: {
        kind: 'incident',
        tlp: 'GREEN',
        categories: ['phishing'],
        affectedSectors: ['gas'],
        ...over,
      },
    }) as unknown as ReportEvent;
  const list = (over: Partial<ListEvent['list']> = {}, kind = 'list.created') =>
    ({ kind, list: { id: 'l1', tlp: 'GREEN', sectors: ['gas'], ...over } }) as unknown as ListEvent;

  it('matches every report criterion, each able to exclude', () => {
    expect(matchesReport(report(), {})).toBe(true);
    expect(matchesReport(report(), { events: [PUBLISHED] })).toBe(true);
    expect(matchesReport(report(), { events: [UPDATED] })).toBe(false);
    expect(matchesReport(report(), { sectors: ['water'] })).toBe(false);
    expect(matchesReport(report(), { categories: ['ddos'] })).toBe(false);
  });

  it('matches every list criterion, each able to exclude', () => {
    expect(matchesList(list(), {})).toBe(true);
    expect(matchesList(list(), { sectors: ['gas', 'water'] })).toBe(true);
    expect(matchesList(list(), { sectors: ['water'] })).toBe(false);
    expect(matchesList(list(), { events: [RETRACTED] })).toBe(false);
    expect(matchesList(list(), { listIds: ['l2'] })).toBe(false);
  });
});
