import type { Kysely } from 'kysely';
import type { CaseFacts } from '../domain/case-facts';
import type { Database } from '../db/schema';
import { verifyPlanHash } from '../strategies/compile';
import type { Plan } from '../strategies/plan-types';
import { type Selection, type StrategyCandidate, chooseArm, selectStrategy } from '../strategies/selection';
import type { StrategyResolver } from './case-activities';

const CACHE_MS = 15_000;

/**
 * Published strategy versions and their champion/challenger rollouts from PostgreSQL, cached
 * briefly (a rollout change reaches new cases within seconds; running cases never change).
 */
export function createStrategyResolver(db: Kysely<Database>, clock: () => number = Date.now) {
  let cached: { at: number; candidates: StrategyCandidate[] } | undefined;
  const plans = new Map<string, Plan>();

  const planOf = (strategyId: string, version: number, raw: unknown, checksum: string | null): Plan => {
    const key = `${strategyId}@${version}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = raw as Plan;
      if (!plan || !verifyPlanHash(plan) || (checksum !== null && plan.hash !== checksum)) {
        throw new Error(`the stored plan of ${key} does not match its hash: refusing to run it`);
      }
      plans.set(key, plan);
    }
    return plan;
  };

  const candidates = async (): Promise<StrategyCandidate[]> => {
    if (cached && clock() - cached.at < CACHE_MS) return cached.candidates;
    const rows = await db
      .selectFrom('strategy_rollouts as r')
      .innerJoin('strategy_versions as v', (j) => j.onRef('v.strategy_id', '=', 'r.strategy_id').onRef('v.version', '=', 'r.version'))
      .innerJoin('strategies as s', 's.id', 'r.strategy_id')
      .select(['r.strategy_id', 'r.version', 'r.percent', 's.priority', 'v.plan', 'v.checksum'])
      .where('v.status', '=', 'published')
      .execute();
    const byStrategy = new Map<string, StrategyCandidate & { arms: { version: number; percent: number; plan: Plan }[] }>();
    for (const row of rows) {
      const entry = byStrategy.get(row.strategy_id) ?? { strategyId: row.strategy_id, priority: row.priority, arms: [] };
      entry.arms.push({ version: row.version, percent: row.percent, plan: planOf(row.strategy_id, row.version, row.plan, row.checksum) });
      byStrategy.set(row.strategy_id, entry);
    }
    cached = { at: clock(), candidates: [...byStrategy.values()] };
    return cached.candidates;
  };

  const resolver: StrategyResolver & {
    selectForNewCase(facts: CaseFacts, caseId: string, now: number): Promise<Selection | undefined>;
    invalidate(): void;
  } = {
    async resolve(strategyId, caseId) {
      const rollout = (await candidates()).find((c) => c.strategyId === strategyId);
      const arm = rollout ? chooseArm(strategyId, rollout.arms, caseId) : undefined;
      if (arm) return { plan: arm.plan, version: arm.version, arm: `${strategyId}@${arm.version}` };
      const latest = await db
        .selectFrom('strategy_versions')
        .select(['version', 'plan', 'checksum'])
        .where('strategy_id', '=', strategyId)
        .where('status', '=', 'published')
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest) return null;
      return { plan: planOf(strategyId, latest.version, latest.plan, latest.checksum), version: latest.version, arm: `${strategyId}@${latest.version}` };
    },
    async selectForNewCase(facts, caseId, now) {
      return selectStrategy(await candidates(), facts, caseId, now);
    },
    invalidate() {
      cached = undefined;
    },
  };
  return resolver;
}

export type PgStrategyResolver = ReturnType<typeof createStrategyResolver>;
