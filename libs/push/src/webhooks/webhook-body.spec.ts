import type { IndicatorList } from '@renkei/indicators';
import type { Report } from '@renkei/reports';
import { webhookBody } from './webhook-body';

const author = { label: 'an operator in electric power', organisationId: null, own: false };
const timeline = { occurredAt: null, detectedAt: null, containedAt: null, recoveredAt: null };
const impact = { servicesAffected: null, durationMinutes: null, scope: null };

describe('webhookBody', () => {
  it('carries the exercise flag of a report, so a receiver can show the drill banner', () => {
    const report = {
      id: 'r1',
      kind: 'incident',
      title: 'Drill',
      timeline,
      impact,
      author,
      audience: null,
      exercise: true,
      exerciseName: 'Sector DoS drill 2026',
    } as unknown as Report;
    const body = JSON.parse(
      webhookBody('1', { cursor: 'c', kind: 'report.published', at: new Date(0), report } as never),
    );
    expect(body.data.report).toMatchObject({
      exercise: true,
      exerciseName: 'Sector DoS drill 2026',
    });
  });

  it('carries the exercise flag of a list', () => {
    const list = {
      id: 'l1',
      name: 'Drill sources',
      author,
      audience: null,
      exercise: true,
      exerciseName: 'Sector DoS drill 2026',
    } as unknown as IndicatorList;
    const body = JSON.parse(
      webhookBody('2', { cursor: 'c', kind: 'list.created', at: new Date(0), list } as never),
    );
    expect(body.data.list).toMatchObject({ exercise: true, exerciseName: 'Sector DoS drill 2026' });
  });
});
