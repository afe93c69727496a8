/**
 * Definition → plan. The validator builds the plan's body while it checks each step; this
 * module seals it with a content hash. `compileStrategy` (in validate.ts) is the one-call
 * entry point for callers that want a plan or an exception.
 */
import { canonicalJson, sha256Hex } from './hash';
import type { Plan } from './plan-types';
import type { ValidationIssue } from './validate';

export type PlanBody = Omit<Plan, 'hash'>;

/** `sha256:<hex>` of the plan without its hash field. Whitespace and key order do not matter. */
export function planHash(plan: PlanBody | Plan): string {
  const { hash: _ignored, ...body } = plan as Plan;
  return `sha256:${sha256Hex(canonicalJson(body))}`;
}

export function sealPlan(body: PlanBody): Plan {
  return { ...body, hash: planHash(body) };
}

export class StrategyInvalidError extends Error {
  constructor(readonly errors: readonly ValidationIssue[]) {
    super(
      `the strategy has ${errors.length} error(s): ${errors.map((e) => `${e.pathText}: ${e.message}`).join('; ')}`,
    );
    this.name = 'StrategyInvalidError';
  }
}

/** True when the plan's hash matches its content (a plan read back from storage was not altered). */
export function verifyPlanHash(plan: Plan): boolean {
  return plan.hash === planHash(plan);
}
