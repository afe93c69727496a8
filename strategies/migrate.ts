/**
 * Moving a running case to another published version of its strategy (or another strategy),
 * only when a supervisor says so. Pure: the case workflow calls it at a safe point (between
 * two events), the API calls `landingStep` for the dry run.
 */
import type { CaseFacts } from '../domain/case-facts';
import { enterStep } from './interpreter';
import type { InterpreterState, Plan, StepResult } from './plan-types';

/** Where the case lands: the mapped step, the same step id if the new plan has it, else the start. */
export function landingStep(
  current: string | null,
  to: Plan,
  stepMap: Readonly<Record<string, string>> = {},
): string {
  if (current && stepMap[current]) return stepMap[current]!;
  if (current && to.steps[current]) return current;
  return to.start;
}

/**
 * A case waiting on a step that exists unchanged in type keeps its timer (a 5-day wait does not
 * restart); any other landing enters the step afresh.
 */
export function migrateInterpreterState(
  state: InterpreterState,
  from: Plan,
  to: Plan,
  target: string,
  facts: CaseFacts,
  now: number,
): StepResult {
  const current = state.stepId;
  const sameStep =
    current !== null &&
    current === target &&
    state.phase === 'waiting' &&
    from.steps[current]?.type === to.steps[target]?.type;
  if (sameStep) return { commands: [], state: { ...state, planHash: to.hash } };
  return enterStep(to, state, facts, target, now);
}
