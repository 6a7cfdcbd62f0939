import type { IndicatorList } from '@renkei/indicators';
import type { Report, ReportAuthor, ReportComment, ReportSighting } from '@renkei/reports';
import type { ListEvent, ReportEvent } from '../push.models';

/**
 * The JSON a webhook receives: the fields a subscriber could select over GraphQL, named one by
 * one. The views carry internal fields too (the owner organisation of an anonymous report or
 * list, row sequence numbers) that GraphQL never exposes; serialising a view as it is would
 * hand them to every receiver, so nothing goes out that is not listed here.
 */
export function webhookBody(id: string, data: ReportEvent | ListEvent): string {
  const event =
    'report' in data
      ? {
          cursor: id,
          kind: data.kind,
          at: data.at,
          report: report(data.report),
          comment: data.comment && comment(data.comment),
          sighting: data.sighting && sighting(data.sighting),
        }
      : {
          cursor: id,
          kind: data.kind,
          at: data.at,
          list: list(data.list),
          added: data.added,
          removed: data.removed,
        };
  // `at` is the event's time as this organisation may know it (rounded behind a pseudonym, ADR 0017).
  return JSON.stringify({ id, kind: data.kind, at: data.at, data: event });
}

function author(a: ReportAuthor) {
  return { label: a.label, organisationId: a.organisationId, own: a.own };
}

function report(r: Report) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    tlp: r.tlp,
    title: r.title,
    summary: r.summary,
    background: r.background,
    detection: r.detection,
    response: r.response,
    cause: r.cause,
    countermeasures: r.countermeasures,
    lessonsLearned: r.lessonsLearned,
    categories: r.categories,
    affectedSectors: r.affectedSectors,
    timeline: {
      occurredAt: r.timeline.occurredAt,
      detectedAt: r.timeline.detectedAt,
      containedAt: r.timeline.containedAt,
      recoveredAt: r.timeline.recoveredAt,
    },
    impact: {
      servicesAffected: r.impact.servicesAffected,
      durationMinutes: r.impact.durationMinutes,
      scope: r.impact.scope,
    },
    anonymous: r.anonymous,
    author: author(r.author),
    revision: r.revision,
    retractionReason: r.retractionReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    publishedAt: r.publishedAt,
    exercise: r.exercise,
    exerciseName: r.exerciseName,
    audience: r.audience && {
      organisationIds: r.audience.organisationIds,
      sectorCodes: r.audience.sectorCodes,
      groupIds: r.audience.groupIds,
      redRecipientEmails: r.audience.redRecipientEmails,
    },
  };
}

function comment(c: ReportComment) {
  return { id: c.id, body: c.body, author: author(c.author), createdAt: c.createdAt };
}

function sighting(s: ReportSighting) {
  return {
    id: s.id,
    seenOn: s.seenOn,
    note: s.note,
    author: author(s.author),
    createdAt: s.createdAt,
  };
}

function list(l: IndicatorList) {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    status: l.status,
    tlp: l.tlp,
    audience: l.audience && {
      organisationIds: l.audience.organisationIds,
      sectorCodes: l.audience.sectorCodes,
      groupIds: l.audience.groupIds,
      redRecipientEmails: l.audience.redRecipientEmails,
    },
    anonymous: l.anonymous,
    author: author(l.author),
    sectors: l.sectors,
    defaultValidityDays: l.defaultValidityDays,
    reportId: l.reportId,
    revision: l.revision,
    retractionReason: l.retractionReason,
    liveEntries: l.liveEntries,
    exercise: l.exercise,
    exerciseName: l.exerciseName,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
}
