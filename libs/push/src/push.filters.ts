import type { ListEvent, ListEventFilter, ReportEvent, ReportEventFilter } from './push.models';

/** Whether a report event is one the filter asks for (every given criterion holds). */
export function matchesReport(v: ReportEvent, filter: ReportEventFilter): boolean {
  const r = v.report;
  return (
    (!filter.events?.length || (filter.events as string[]).includes(v.kind)) &&
    (!filter.kinds?.length || filter.kinds.includes(r.kind)) &&
    (!filter.markings?.length || filter.markings.includes(r.tlp)) &&
    (!filter.categories?.length || r.categories.some((x) => filter.categories!.includes(x))) &&
    (!filter.sectors?.length || r.affectedSectors.some((x) => filter.sectors!.includes(x)))
  );
}

/** Whether a list event is one the filter asks for (every given criterion holds). */
export function matchesList(v: ListEvent, filter: ListEventFilter): boolean {
  return (
    (!filter.events?.length || (filter.events as string[]).includes(v.kind)) &&
    (!filter.listIds?.length || filter.listIds.includes(v.list.id)) &&
    (!filter.markings?.length || filter.markings.includes(v.list.tlp)) &&
    (!filter.sectors?.length || v.list.sectors.some((x) => filter.sectors!.includes(x)))
  );
}
