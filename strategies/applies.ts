import type { CaseFacts } from '../domain/case-facts';
import { evaluate } from './condition-eval';
import type { Plan } from './plan-types';

/** Whether a case with these facts is in the segment the plan applies to. */
export function planApplies(plan: Plan, facts: CaseFacts, now = 0): boolean {
  const { buckets, products, segments, condition } = plan.appliesTo;
  if (buckets && !buckets.includes(facts.bucket)) return false;
  if (products && !products.includes(facts.product)) return false;
  if (segments && !segments.includes(facts.segment)) return false;
  if (condition && !evaluate(condition, { facts, flags: {}, now, startedAt: now, event: null })) return false;
  return true;
}
