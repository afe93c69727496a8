import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema';

/**
 * Agents see and act on their own cases only: the case is assigned to them, or one of its
 * tasks is assigned or leased to them. Supervisors and managers see every case.
 */
export async function agentMayAccessCase(db: Kysely<Database>, agentId: number, caseId: number): Promise<boolean> {
  const row = await db
    .selectFrom('cases as c')
    .select(sql<boolean>`true`.as('ok'))
    .where('c.id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('c.assigned_agent_id', '=', agentId),
        eb.exists(
          eb
            .selectFrom('tasks as t')
            .select('t.id')
            .whereRef('t.case_id', '=', 'c.id')
            .where('t.status', 'in', ['open', 'leased'])
            .where((w) => w.or([w('t.assigned_agent_id', '=', agentId), w('t.lease_agent_id', '=', agentId)])),
        ),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function caseExists(db: Kysely<Database>, caseId: number): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst()) !== undefined;
}
