import { Injectable } from '@nestjs/common';
import { Principal, Role } from '@renkei/identity';
import { BadInputError, ForbiddenError } from '@renkei/platform';
import { ScopedDatabase } from '@renkei/sharing';
import { isCoordinator } from '../contacts/coordinator';

/**
 * After a drill (訓練) its items go in one action. An organisation's admins remove their own
 * organisation's items of the drill; the coordinator's admins, who run sector drills, remove
 * every organisation's. The delete runs as the system principal because the coordinator must
 * reach items it cannot read (an AMBER exercise report of two peers); the report table's delete
 * policy admits exercises only, so nothing real can go this way.
 */
@Injectable()
export class ExerciseService {
  constructor(private readonly scoped: ScopedDatabase) {}

  async remove(p: Principal, name: string): Promise<number> {
    if (p.role !== Role.ORG_ADMIN && p.role !== Role.HUB_ADMIN) {
      throw new ForbiddenError('Only organisation admins remove exercises');
    }
    const drill = name.trim();
    if (!drill) throw new BadInputError([{ path: 'name', message: 'is required' }]);
    const everyone = await isCoordinator(this.scoped, p.organisationId);
    return this.scoped.run({ kind: 'system' }, async (tx) => {
      const [rows] = (await tx.query(
        `DELETE FROM report WHERE exercise = $1 AND ($2::uuid IS NULL OR owner_org_id = $2) RETURNING id`,
        [drill, everyone ? null : p.organisationId],
      )) as [{ id: string }[], number];
      return rows.length;
    });
  }
}
