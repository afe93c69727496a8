/**
 * Workflow interceptor for replays in tests: reports every effect batch the case workflow asks
 * to commit (as a local activity, or as an ordinary activity in runs recorded before that
 * change) to the `effectBatches` sink. Replaying a history with it yields the batches that
 * history stands for, whatever the history records of them (local activities record only a
 * marker with the result). Runs in the workflow sandbox: `@temporalio/workflow` only.
 */
import { type Sinks, type WorkflowInterceptorsFactory, proxySinks } from '@temporalio/workflow';

export interface EffectBatchSinks extends Sinks {
  effectBatches: { asked(batch: unknown): void };
}

const { effectBatches } = proxySinks<EffectBatchSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleLocalActivity(input, next) {
        if (input.activityType === 'commitCaseEffects') effectBatches.asked(input.args[0]);
        return next(input);
      },
      scheduleActivity(input, next) {
        if (input.activityType === 'commitCaseEffects') effectBatches.asked(input.args[0]);
        return next(input);
      },
    },
  ],
});
