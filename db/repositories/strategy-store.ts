import { type Kysely, sql } from 'kysely';
import type { Plan } from '../../strategies/plan-types';
import { type StrategyDraft, type StrategyStore, type StrategyVersion, VersionConflictError } from '../../strategies/versions';
import type { Database } from '../schema';

/**
 * Strategy drafts and published versions in PostgreSQL. Published versions are immutable (a
 * trigger refuses changes to their definition) and unique per (strategy, number).
 */
export class PgStrategyStore implements StrategyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listStrategies(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('strategies')
      .select('id')
      .union(this.db.selectFrom('strategy_drafts').select('strategy_id as id'))
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async getDraft(strategyId: string): Promise<StrategyDraft | undefined> {
    const row = await this.db.selectFrom('strategy_drafts').selectAll().where('strategy_id', '=', strategyId).executeTakeFirst();
    return row
      ? { strategyId: row.strategy_id, source: row.source, basedOn: row.based_on, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by }
      : undefined;
  }

  async putDraft(draft: StrategyDraft): Promise<void> {
    await this.db
      .insertInto('strategy_drafts')
      .values({ strategy_id: draft.strategyId, source: draft.source, based_on: draft.basedOn, updated_at: draft.updatedAt, updated_by: draft.updatedBy })
      .onConflict((oc) =>
        oc.column('strategy_id').doUpdateSet({ source: draft.source, based_on: draft.basedOn, updated_at: draft.updatedAt, updated_by: draft.updatedBy }),
      )
      .execute();
  }

  async deleteDraft(strategyId: string): Promise<void> {
    await this.db.deleteFrom('strategy_drafts').where('strategy_id', '=', strategyId).execute();
  }

  async listVersions(strategyId: string): Promise<StrategyVersion[]> {
    const rows = await this.db
      .selectFrom('strategy_versions')
      .selectAll()
      .where('strategy_id', '=', strategyId)
      .where('status', '=', 'published')
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  async getVersion(strategyId: string, version: number): Promise<StrategyVersion | undefined> {
    const row = await this.db
      .selectFrom('strategy_versions')
      .selectAll()
      .where('strategy_id', '=', strategyId)
      .where('version', '=', version)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async insertVersion(v: StrategyVersion): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('strategies')
        .values({ id: v.strategyId, name: v.plan.name, description: v.plan.description, created_by: v.publishedBy })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: v.plan.name, description: v.plan.description }))
        .execute();
      try {
        await trx
          .insertInto('strategy_versions')
          .values({
            strategy_id: v.strategyId,
            version: v.version,
            status: 'published',
            definition: JSON.stringify({ source: v.source }),
            checksum: v.hash,
            created_by: v.publishedBy,
            published_at: v.publishedAt,
            published_by: v.publishedBy,
            source: v.source,
            plan: JSON.stringify(v.plan),
            note: v.note,
          })
          .execute();
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new VersionConflictError(v.strategyId, v.version);
        throw err;
      }
    });
  }

  /** Champion/challenger split of a strategy's new cases: versions and percents summing to 100. */
  async setRollout(strategyId: string, arms: { version: number; percent: number }[], by: string): Promise<void> {
    const total = arms.reduce((sum, a) => sum + a.percent, 0);
    if (arms.length > 0 && total !== 100) throw new Error(`the rollout of ${strategyId} adds up to ${total}%, not 100%`);
    await this.db.transaction().execute(async (trx) => {
      for (const arm of arms) {
        if (!(await this.getVersionIn(trx, strategyId, arm.version))) throw new Error(`${strategyId} has no published version ${arm.version}`);
      }
      await trx.deleteFrom('strategy_rollouts').where('strategy_id', '=', strategyId).execute();
      if (arms.length > 0) {
        await trx
          .insertInto('strategy_rollouts')
          .values(arms.map((a) => ({ strategy_id: strategyId, version: a.version, percent: a.percent, updated_by: by, updated_at: sql`now()` })))
          .execute();
      }
    });
  }

  private async getVersionIn(trx: Kysely<Database>, strategyId: string, version: number): Promise<boolean> {
    const row = await trx
      .selectFrom('strategy_versions')
      .select('version')
      .where('strategy_id', '=', strategyId)
      .where('version', '=', version)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return row !== undefined;
  }
}

type VersionRow = {
  strategy_id: string;
  version: number;
  checksum: string | null;
  plan: unknown;
  source: string | null;
  published_at: Date | null;
  published_by: string | null;
  note: string | null;
};

function toVersion(row: VersionRow): StrategyVersion {
  const plan = row.plan as Plan;
  return {
    strategyId: row.strategy_id,
    version: row.version,
    hash: row.checksum ?? plan.hash,
    plan,
    source: row.source ?? '',
    publishedAt: (row.published_at ?? new Date(0)).toISOString(),
    publishedBy: row.published_by ?? '',
    note: row.note ?? '',
  };
}
