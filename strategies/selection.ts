/**
 * Which strategy and version a new case gets: the strategies whose segment rules (`appliesTo`)
 * match the case's facts, the lowest priority first; then the version by the
 * champion/challenger split of that strategy, decided by a stable hash of the case id so the
 * same case always lands in the same arm. Pure.
 */
import type { CaseFacts } from '../domain/case-facts';
import { planApplies } from './applies';
import { sha256Hex } from './hash';
import type { Plan } from './plan-types';

export interface RolloutArm {
  readonly version: number;
  readonly percent: number;
  readonly plan: Plan;
}

export interface StrategyCandidate {
  readonly strategyId: string;
  readonly priority: number;
  readonly arms: readonly RolloutArm[];
}

export interface Selection {
  readonly strategyId: string;
  readonly version: number;
  readonly plan: Plan;
  /** `strategy@version`, recorded on the case for the KPI comparison of the arms. */
  readonly arm: string;
}

/** 0-99, the same for a case id wherever it is computed. */
export function caseBucket(caseId: string, salt = ''): number {
  return Number.parseInt(sha256Hex(`${salt}:${caseId}`).slice(0, 8), 16) % 100;
}

export function chooseArm(
  strategyId: string,
  arms: readonly RolloutArm[],
  caseId: string,
): RolloutArm | undefined {
  const live = arms.filter((a) => a.percent > 0).sort((a, b) => a.version - b.version);
  const total = live.reduce((sum, a) => sum + a.percent, 0);
  if (total === 0) return undefined;
  const point = (caseBucket(caseId, strategyId) * total) / 100;
  let cumulative = 0;
  for (const arm of live) {
    cumulative += arm.percent;
    if (point < cumulative) return arm;
  }
  return live[live.length - 1];
}

export function selectStrategy(
  candidates: readonly StrategyCandidate[],
  facts: CaseFacts,
  caseId: string,
  now: number,
): Selection | undefined {
  const ordered = [...candidates].sort(
    (a, b) => a.priority - b.priority || (a.strategyId < b.strategyId ? -1 : 1),
  );
  for (const candidate of ordered) {
    const arm = chooseArm(candidate.strategyId, candidate.arms, caseId);
    if (!arm || !planApplies(arm.plan, facts, now)) continue;
    return {
      strategyId: candidate.strategyId,
      version: arm.version,
      plan: arm.plan,
      arm: `${candidate.strategyId}@${arm.version}`,
    };
  }
  return undefined;
}
