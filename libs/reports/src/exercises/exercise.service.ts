import { Injectable } from '@nestjs/common';
import { AuditAction, AuditService, Principal, Role } from '@renkei/identity';
import { BadInputError, ForbiddenError } from '@renkei/platform';
import { ScopedDatabase } from '@renkei/sharing';
import { isCoordinator } from '../contacts/coordinator';

/**
 * After a drill (訓練) its reports and indicator lists go in one action. An organisation's admins
 * remove their own organisation's items of the drill; the coordinator's admins, who run sector
 * drills, remove every organisation's. The delete runs as the system principal because the
 * coordinator must reach items it cannot read (an AMBER exercise report of two peers); the
 * tables' delete policies admit exercises only, so nothing real can go this way.
 */
@Injectable()
export class ExerciseService {
  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly audit: AuditService,
  ) {}

  async remove(p: Principal, name: string): Promise<number> {
    if (p.role !== Role.ORG_ADMIN && p.role !== Role.HUB_ADMIN) {
      throw new ForbiddenError('Only organisation admins remove exercises');
    }
    const drill = name.trim();
    if (!drill) throw new BadInputError([{ path: 'name', message: 'is required' }]);
    const everyone = await isCoordinator(this.scoped, p.organisationId);
    const params = [drill, everyone ? null : p.organisationId];
    const ofDrill = `exercise = $1 AND ($2::uuid IS NULL OR owner_org_id = $2)`;
    const removed = await this.scoped.run({ kind: 'system' }, async (tx) => {
      // Entries carry no foreign key to their list: they go first, the rest follows the list.
      await tx.query(
        `DELETE FROM list_entry WHERE list_seq IN (SELECT seq FROM indicator_list WHERE ${ofDrill})`,
        params,
      );
      const [lists] = (await tx.query(
        `DELETE FROM indicator_list WHERE ${ofDrill} RETURNING id`,
        params,
      )) as [unknown[], number];
      const [reports] = (await tx.query(
        `DELETE FROM report WHERE ${ofDrill} RETURNING id`,
        params,
      )) as [unknown[], number];
      return { lists: lists.length, reports: reports.length };
    });
    // Deleting is the one thing here an administrator must be able to answer for afterwards.
    await this.audit.record({
      action: AuditAction.EXERCISE_REMOVED,
      outcome: 'success',
      actorUserId: p.userId,
      actorOrganisationId: p.organisationId,
      organisationId: p.organisationId,
      targetType: 'exercise',
      details: { name: drill.slice(0, 200), everyOrganisation: everyone, ...removed },
    });
    return removed.lists + removed.reports;
  }
}
