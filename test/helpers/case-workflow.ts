import fs from 'node:fs';
import path from 'node:path';
import type { CaseEffect, ContactDecisionSummary, EffectBatch, EffectBatchResult } from '../../domain/case-effects';
import { makeCaseFacts, type CaseFacts } from '../../domain/case-facts';
import { validateStrategySource } from '../../strategies/load';
import type { Plan } from '../../strategies/plan-types';
import type { CollectionCaseInput } from '../../workflows/messages';

export const LIBRARY_DIR = path.join(__dirname, '..', '..', 'strategies', 'library');
export const LIBRARY_IDS = ['early-stage', 'mid-stage', 'late-stage', 'hardship-plan'] as const;

const plans = new Map<string, Plan>();

/** A library strategy compiled exactly as a designer's file is. */
export function libraryPlan(id: string): Plan {
  let plan = plans.get(id);
  if (!plan) {
    const result = validateStrategySource(fs.readFileSync(path.join(LIBRARY_DIR, `${id}.yaml`), 'utf8'));
    if (!result.ok) throw new Error(`${id}: ${result.errors.map((e) => e.message).join('; ')}`);
    plan = result.plan;
    plans.set(id, plan);
  }
  return plan;
}

/** Facts typical of the strategy's bucket, in EUR. */
export function factsFor(id: string, overrides: Parameters<typeof makeCaseFacts>[0] = {}): CaseFacts {
  const dpd = { 'early-stage': 5, 'mid-stage': 45, 'late-stage': 100, 'hardship-plan': 20 }[id] ?? 5;
  return makeCaseFacts({ dpd, currency: 'EUR', balanceMinor: 250_000, amountOverdueMinor: 15_000, ...overrides });
}

export function caseInput(caseId: string, planId: string, overrides: Partial<CollectionCaseInput> = {}): CollectionCaseInput {
  return {
    caseId,
    loanId: `loan-${caseId}`,
    facts: factsFor(planId),
    plan: libraryPlan(planId),
    strategyVersion: 1,
    openedAt: new Date(0).toISOString(),
    ...overrides,
  };
}

/**
 * In-memory stand-ins for the case activities (workflow tests only): they record every batch,
 * decide contact requests with `decide` (allow by default), and resolve transfers to the
 * library's strategies at version 1.
 */
export function recordingActivities(options: { decide?: (effect: Extract<CaseEffect, { kind: 'contact_request' }>) => ContactDecisionSummary } = {}) {
  const batches: EffectBatch[] = [];
  const activities = {
    async commitCaseEffects(batch: EffectBatch): Promise<EffectBatchResult> {
      batches.push(structuredClone(batch));
      const contacts: Record<string, ContactDecisionSummary> = {};
      for (const e of batch.effects) if (e.kind === 'contact_request') contacts[e.key] = options.decide?.(e) ?? { decision: 'allow' };
      return { contacts };
    },
    async resolveStrategyPlan(input: { caseId: string; strategyId: string }) {
      if (!(LIBRARY_IDS as readonly string[]).includes(input.strategyId)) return null;
      return { plan: libraryPlan(input.strategyId), version: 1, arm: `${input.strategyId}@1` };
    },
  };
  const effects = () => batches.flatMap((b) => b.effects);
  const ofKind = <K extends CaseEffect['kind']>(kind: K) => effects().filter((e): e is Extract<CaseEffect, { kind: K }> => e.kind === kind);
  const timelineTypes = () => ofKind('timeline').map((e) => e.type);
  return { activities, batches, effects, ofKind, timelineTypes };
}
