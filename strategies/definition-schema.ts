/**
 * The zod schema of a strategy definition, the document designers write (YAML or JSON).
 * Only the validator imports this file: zod stays out of the workflow sandbox.
 *
 * Steps and handlers are kept `unknown` at the top level and parsed one by one, so a broken
 * step does not hide the errors of the others.
 */
import { z } from 'zod';
import { CASE_OUTCOMES, CHANNELS, ESCALATION_TARGETS, STEP_TYPES, type StepType } from './plan-types';

export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const STRATEGY_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const FLAG_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

const text = (what: string) => z.string({ error: `expected ${what} as text` });
const nonEmpty = (what: string) =>
  text(what)
    .trim()
    .min(1, { error: `${what} must not be empty` });
const stepRef = nonEmpty('a step id');
const duration = z.union([z.string(), z.number()], { error: 'expected a duration such as 3d, 12h or PT12H' });
const condition = nonEmpty('a condition');

const stepId = text('a step id').regex(STEP_ID_PATTERN, {
  error: 'step ids use lower-case letters, digits, - and _, e.g. call-1',
});

const base = {
  id: stepId,
  description: text('a description').optional(),
};

const assignee = z.strictObject({
  queue: nonEmpty('a queue').optional(),
  agent: nonEmpty('an agent id').optional(),
});

export const stepSchemas = {
  send_reminder: z.strictObject({
    ...base,
    type: z.literal('send_reminder'),
    channel: z.enum(CHANNELS, { error: `expected a channel: ${CHANNELS.join(', ')}` }),
    template: nonEmpty('a template name'),
    next: stepRef,
  }),
  create_call_task: z.strictObject({
    ...base,
    type: z.literal('create_call_task'),
    queue: nonEmpty('a queue'),
    priority: z
      .number({ error: 'expected a priority from 1 (lowest) to 100 (highest)' })
      .int({ error: 'expected a whole-number priority from 1 to 100' })
      .min(1, { error: 'priority runs from 1 (lowest) to 100 (highest)' })
      .max(100, { error: 'priority runs from 1 (lowest) to 100 (highest)' }),
    due: duration.optional(),
    next: stepRef,
  }),
  wait: z.strictObject({ ...base, type: z.literal('wait'), duration, next: stepRef }),
  wait_until: z.strictObject({
    ...base,
    type: z.literal('wait_until'),
    condition,
    timeout: duration,
    next: stepRef,
    onTimeout: stepRef,
  }),
  branch: z.strictObject({
    ...base,
    type: z.literal('branch'),
    cases: z.array(z.strictObject({ when: condition, next: stepRef }), {
      error: 'expected a list of { when, next } cases',
    }),
    default: stepRef.optional(),
  }),
  await_promise: z.strictObject({
    ...base,
    type: z.literal('await_promise'),
    timeout: duration,
    onKept: stepRef,
    onBroken: stepRef,
    onTimeout: stepRef,
  }),
  escalate: z.strictObject({
    ...base,
    type: z.literal('escalate'),
    target: z.enum(ESCALATION_TARGETS, { error: `expected a target: ${ESCALATION_TARGETS.join(', ')}` }),
    reason: text('a reason').optional(),
    next: stepRef,
  }),
  assign: z.strictObject({
    ...base,
    type: z.literal('assign'),
    queue: nonEmpty('a queue').optional(),
    agent: nonEmpty('an agent id').optional(),
    next: stepRef,
  }),
  set_flag: z.strictObject({
    ...base,
    type: z.literal('set_flag'),
    flag: nonEmpty('a flag name'),
    value: z.boolean({ error: 'expected true or false' }).optional(),
    next: stepRef,
  }),
  end: z.strictObject({
    ...base,
    type: z.literal('end'),
    outcome: z.enum(CASE_OUTCOMES, { error: `expected an outcome: ${CASE_OUTCOMES.join(', ')}` }),
  }),
  transfer: z.strictObject({
    ...base,
    type: z.literal('transfer'),
    strategy: nonEmpty('a strategy id'),
  }),
} satisfies Record<StepType, z.ZodType>;

export type StepDefinition = { [K in StepType]: z.infer<(typeof stepSchemas)[K]> }[StepType];

export const handlerRuleSchema = z.strictObject({
  when: condition.optional(),
  goto: stepRef.optional(),
  assign: assignee.optional(),
  setFlag: z.strictObject({ flag: nonEmpty('a flag name'), value: z.boolean().optional() }).optional(),
});
export type HandlerRuleDefinition = z.infer<typeof handlerRuleSchema>;

export const definitionSchema = z.strictObject({
  id: text('a strategy id').regex(STRATEGY_ID_PATTERN, {
    error: 'strategy ids use lower-case letters, digits and -, e.g. early-stage',
  }),
  name: nonEmpty('a name'),
  description: text('a description').optional(),
  appliesTo: z
    .strictObject({
      buckets: z.array(nonEmpty('a bucket')).min(1, { error: 'list at least one bucket' }).optional(),
      products: z.array(nonEmpty('a product')).min(1, { error: 'list at least one product' }).optional(),
      segments: z.array(nonEmpty('a segment')).min(1, { error: 'list at least one segment' }).optional(),
      when: condition.optional(),
    })
    .optional(),
  flags: z
    .array(
      text('a flag name').regex(FLAG_PATTERN, { error: 'flag names are camelCase words, e.g. planOffered' }),
    )
    .optional(),
  start: stepRef.optional(),
  steps: z
    .array(z.unknown(), { error: 'expected a list of steps' })
    .min(1, { error: 'a strategy needs at least one step' }),
  on: z.record(z.string(), z.unknown(), { error: 'expected event handlers by event name' }).optional(),
});

export type DefinitionShell = z.infer<typeof definitionSchema>;

export interface StrategyDefinition extends Omit<DefinitionShell, 'steps' | 'on'> {
  readonly steps: StepDefinition[];
  readonly on: Partial<Record<string, HandlerRuleDefinition[]>>;
}

export const STEP_TYPE_NAMES: readonly string[] = STEP_TYPES;

/** Every field name the schema knows, for "did you mean" on unknown fields. */
export const KNOWN_FIELDS: readonly string[] = [
  ...new Set([
    ...Object.keys(definitionSchema.shape),
    ...Object.values(stepSchemas).flatMap((s) => Object.keys(s.shape)),
    ...Object.keys(handlerRuleSchema.shape),
    'buckets',
    'products',
    'segments',
    'when',
    'queue',
    'agent',
    'flag',
    'value',
  ]),
];

export function fieldsOfStep(type: StepType): string[] {
  return Object.keys(stepSchemas[type].shape);
}
