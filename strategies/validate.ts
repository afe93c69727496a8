/**
 * Validation of a strategy definition: the zod schema, then the semantic checks a designer
 * needs (references, reachability, loops that would spin, conditions, durations, templates,
 * queues). Every problem is reported at once, each with a path into the document and a
 * sentence a designer understands. A valid definition comes back compiled into a plan.
 */
import type { z } from 'zod';
import { DEFAULT_BUCKET_RANGES, bucketNames, type BucketRange } from '../domain/buckets';
import { CASE_FLAGS, EXTERNALLY_SET_FLAGS, factCatalogue, type FactCatalogue } from '../domain/case-facts';
import { DEFAULT_CATALOGUE, type Catalogue } from './catalogue';
import { parseCondition, withEventFields } from './condition';
import { StrategyInvalidError, sealPlan } from './compile';
import {
  KNOWN_FIELDS,
  STEP_TYPE_NAMES,
  definitionSchema,
  handlerRuleSchema,
  stepSchemas,
  type HandlerRuleDefinition,
  type StepDefinition,
  type StrategyDefinition,
} from './definition-schema';
import { DAY_MS, HOUR_MS, formatDuration, parseDuration, type DurationLimits } from './duration';
import {
  HANDLER_EVENTS,
  PLAN_FORMAT,
  WAITING_STEP_TYPES,
  type Assignee,
  type Expr,
  type HandlerEvent,
  type Plan,
  type PlanRule,
  type PlanStep,
  type StepType,
} from './plan-types';
import { didYouMean, listOf } from './suggest';

export const ERROR_CODES = [
  'missing_field',
  'invalid_type',
  'invalid_value',
  'unknown_field',
  'unknown_step_type',
  'duplicate_step_id',
  'unknown_step',
  'unreachable_step',
  'cycle_without_wait',
  'branch_without_default',
  'condition_syntax',
  'unknown_fact',
  'condition_type',
  'invalid_duration',
  'duration_out_of_range',
  'unknown_template',
  'unknown_queue',
  'unknown_strategy',
  'unknown_bucket',
  'unknown_flag',
  'readonly_flag',
  'invalid_assignee',
  'unknown_event',
  'empty_rule',
] as const;
export const WARNING_CODES = ['unreachable_rule', 'no_end', 'unused_flag', 'unhandled_event'] as const;
export type IssueCode = (typeof ERROR_CODES)[number] | (typeof WARNING_CODES)[number];

export type Path = readonly (string | number)[];

export interface ValidationIssue {
  readonly code: IssueCode;
  readonly severity: 'error' | 'warning';
  readonly path: Path;
  /** `steps[3].next` */
  readonly pathText: string;
  readonly message: string;
}

export type DurationField =
  'wait.duration' | 'wait_until.timeout' | 'await_promise.timeout' | 'create_call_task.due';

export const DEFAULT_DURATION_LIMITS: Readonly<Record<DurationField, DurationLimits>> = {
  'wait.duration': { minMs: HOUR_MS, maxMs: 365 * DAY_MS },
  'wait_until.timeout': { minMs: HOUR_MS, maxMs: 365 * DAY_MS },
  'await_promise.timeout': { minMs: DAY_MS, maxMs: 120 * DAY_MS },
  'create_call_task.due': { minMs: 0, maxMs: 30 * DAY_MS },
};

export interface ValidationOptions {
  readonly catalogue?: Catalogue;
  readonly bucketRanges?: readonly BucketRange[];
  readonly durationLimits?: Partial<Record<DurationField, DurationLimits>>;
}

export type ValidationResult =
  | {
      readonly ok: true;
      readonly definition: StrategyDefinition;
      readonly plan: Plan;
      readonly warnings: readonly ValidationIssue[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly ValidationIssue[];
      readonly warnings: readonly ValidationIssue[];
    };

export function formatPath(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text === '' ? '(document)' : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text '${value}'`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key as string];
  }
  return current;
}

const NEXT_FIELDS = ['next', 'onTimeout', 'onKept', 'onBroken', 'default'] as const;

class Validator {
  readonly issues: ValidationIssue[] = [];
  private readonly catalogue: Catalogue;
  private readonly bucketRanges: readonly BucketRange[];
  private readonly limits: Record<DurationField, DurationLimits>;
  private facts: FactCatalogue;
  private declaredFlags: string[] = [];
  private readonly usedFlags = new Set<string>();
  /** Step id → index of its first declaration (including steps that fail the schema). */
  private readonly stepIndex = new Map<string, number>();

  constructor(options: ValidationOptions) {
    this.catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
    this.bucketRanges = options.bucketRanges ?? DEFAULT_BUCKET_RANGES;
    this.limits = { ...DEFAULT_DURATION_LIMITS, ...options.durationLimits };
    this.facts = factCatalogue(this.bucketRanges);
  }

  error(code: IssueCode, path: Path, message: string): void {
    this.issues.push({ code, severity: 'error', path, pathText: formatPath(path), message });
  }

  warn(code: IssueCode, path: Path, message: string): void {
    this.issues.push({ code, severity: 'warning', path, pathText: formatPath(path), message });
  }

  /** Parses `value` with `schema`, turning zod issues into designer sentences. */
  parse<T extends z.ZodType>(schema: T, value: unknown, base: Path, context: string): z.infer<T> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = [...base, ...(issue.path as (string | number)[])];
      const actual = valueAt(value, issue.path);
      switch (issue.code) {
        case 'unrecognized_keys':
          for (const key of issue.keys) {
            this.error(
              'unknown_field',
              [...path, key],
              `unknown field '${key}'${context}${didYouMean(key, KNOWN_FIELDS)}`,
            );
          }
          break;
        case 'invalid_type':
          if (actual === undefined) {
            this.error('missing_field', path, `'${String(path[path.length - 1])}' is required${context}`);
          } else {
            this.error('invalid_type', path, `${issue.message}, found ${describeValue(actual)}`);
          }
          break;
        case 'invalid_value':
          this.error('invalid_value', path, `${describeValue(actual)} is not allowed: ${issue.message}`);
          break;
        default:
          this.error(actual === undefined ? 'missing_field' : 'invalid_value', path, issue.message);
      }
    }
    return undefined;
  }

  validate(input: unknown): { definition: StrategyDefinition; plan: Plan } | undefined {
    if (!isRecord(input)) {
      this.error(
        'invalid_type',
        [],
        `a strategy is a mapping with id, name and steps, found ${describeValue(input)}`,
      );
      return undefined;
    }
    // Each top-level field on its own, so one bad field does not hide the others' errors.
    const shape = definitionSchema.shape;
    const top: Record<string, unknown> = {};
    let topOk = true;
    for (const key of Object.keys(input)) {
      if (!(key in shape)) {
        this.error('unknown_field', [key], `unknown field '${key}'${didYouMean(key, Object.keys(shape))}`);
        topOk = false;
      }
    }
    for (const [key, schema] of Object.entries(shape) as [string, z.ZodType][]) {
      const parsed = schema.safeParse(input[key]);
      if (parsed.success) top[key] = parsed.data;
      else {
        topOk = false;
        this.parse(schema, input[key], [key], '');
      }
    }

    const flags = (top.flags as string[] | undefined) ?? [];
    flags.forEach((flag, i) => {
      if ((CASE_FLAGS as readonly string[]).includes(flag)) {
        this.error(
          'invalid_value',
          ['flags', i],
          `'${flag}' is a built-in flag; declare only your own flags`,
        );
      } else if (flags.indexOf(flag) !== i) {
        this.error('invalid_value', ['flags', i], `flag '${flag}' is declared twice`);
      }
    });
    this.declaredFlags = flags;
    this.facts = factCatalogue(this.bucketRanges, flags);

    const appliesTo = this.appliesTo(top.appliesTo as StrategyDefinition['appliesTo']);

    const rawSteps = Array.isArray(input.steps) ? input.steps : [];
    rawSteps.forEach((raw, i) => {
      const id = isRecord(raw) ? raw.id : undefined;
      if (typeof id !== 'string') return;
      const first = this.stepIndex.get(id);
      if (first === undefined) this.stepIndex.set(id, i);
      else
        this.error(
          'duplicate_step_id',
          ['steps', i, 'id'],
          `step id '${id}' is already used by steps[${first}]`,
        );
    });

    const steps: StepDefinition[] = [];
    const planSteps: PlanStep[] = [];
    let stepsOk = rawSteps.length > 0;
    rawSteps.forEach((raw, i) => {
      const step = this.step(raw, i);
      if (step) {
        steps.push(step.definition);
        if (step.plan) planSteps.push(step.plan);
        else stepsOk = false;
      } else stepsOk = false;
    });

    const firstRaw: unknown = rawSteps[0];
    const firstId = isRecord(firstRaw) && typeof firstRaw.id === 'string' ? firstRaw.id : undefined;
    const start = (top.start as string | undefined) ?? firstId;
    if (top.start !== undefined) this.reference(start as string, ['start']);

    const handlers = this.handlers(input.on);

    if (start !== undefined && this.stepIndex.has(start)) this.graph(start, rawSteps, handlers.plan);

    this.declaredFlags.forEach((flag, i) => {
      if (!this.usedFlags.has(flag))
        this.warn('unused_flag', ['flags', i], `flag '${flag}' is declared but never used`);
    });

    const hasErrors = this.issues.some((i) => i.severity === 'error');
    if (hasErrors || !topOk || !stepsOk || !handlers.ok || start === undefined || !appliesTo)
      return undefined;

    const definition: StrategyDefinition = {
      ...(top as Omit<StrategyDefinition, 'steps' | 'on'>),
      steps,
      on: handlers.definition,
    };
    const plan = sealPlan({
      format: PLAN_FORMAT,
      strategyId: definition.id,
      name: definition.name,
      description: definition.description ?? '',
      appliesTo,
      flags,
      start,
      steps: Object.fromEntries(planSteps.map((s) => [s.id, s])),
      handlers: handlers.plan,
    });
    return { definition, plan };
  }

  private appliesTo(value: StrategyDefinition['appliesTo']): Plan['appliesTo'] | undefined {
    if (!value) return { buckets: null, products: null, segments: null, condition: null };
    const known = bucketNames(this.bucketRanges);
    let ok = true;
    value.buckets?.forEach((bucket, i) => {
      if (!known.includes(bucket)) {
        ok = false;
        this.error(
          'unknown_bucket',
          ['appliesTo', 'buckets', i],
          `'${bucket}' is not a bucket${didYouMean(bucket, known)}; buckets are ${listOf(known)}`,
        );
      }
    });
    let condition: Expr | null = null;
    if (value.when !== undefined) {
      const parsed = this.condition(value.when, ['appliesTo', 'when'], this.facts);
      if (parsed === undefined) ok = false;
      else condition = parsed;
    }
    if (!ok) return undefined;
    return {
      buckets: value.buckets ?? null,
      products: value.products ?? null,
      segments: value.segments ?? null,
      condition,
    };
  }

  private step(
    raw: unknown,
    i: number,
  ): { definition: StepDefinition; plan: PlanStep | undefined } | undefined {
    const path = ['steps', i];
    if (!isRecord(raw)) {
      this.error(
        'invalid_type',
        path,
        `a step is a mapping with id, type and its fields, found ${describeValue(raw)}`,
      );
      return undefined;
    }
    const type = raw.type;
    const label = typeof raw.id === 'string' ? ` ('${raw.id}')` : '';
    if (type === undefined) {
      this.error(
        'missing_field',
        [...path, 'type'],
        `step${label} needs a type: one of ${STEP_TYPE_NAMES.join(', ')}`,
      );
      if (raw.id === undefined)
        this.error('missing_field', [...path, 'id'], `'id' is required for every step`);
      return undefined;
    }
    if (typeof type !== 'string' || !(type in stepSchemas)) {
      this.error(
        'unknown_step_type',
        [...path, 'type'],
        `unknown step type ${typeof type === 'string' ? `'${type}'` : describeValue(type)}` +
          `${typeof type === 'string' ? didYouMean(type, STEP_TYPE_NAMES) : ''}; expected one of ${STEP_TYPE_NAMES.join(', ')}`,
      );
      return undefined;
    }
    const stepType = type as StepType;
    const definition = this.parse(stepSchemas[stepType], raw, path, ` for a ${stepType} step`) as
      StepDefinition | undefined;
    if (!definition) return undefined;
    return { definition, plan: this.planStep(definition, path) };
  }

  private reference(target: string, path: Path): boolean {
    if (this.stepIndex.has(target)) return true;
    this.error(
      'unknown_step',
      path,
      `step '${target}' does not exist${didYouMean(target, this.stepIndex.keys())}`,
    );
    return false;
  }

  private duration(value: string | number | undefined, field: DurationField, path: Path): number | undefined {
    if (value === undefined) return 0;
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      this.error('invalid_duration', path, parsed.error);
      return undefined;
    }
    const limits = this.limits[field];
    const [stepType, name] = field.split('.');
    const what = `the ${name} of a ${stepType} step`;
    if (parsed.ms < limits.minMs) {
      this.error(
        'duration_out_of_range',
        path,
        `${formatDuration(parsed.ms)} is shorter than the minimum of ${formatDuration(limits.minMs)} for ${what}`,
      );
      return undefined;
    }
    if (parsed.ms > limits.maxMs) {
      this.error(
        'duration_out_of_range',
        path,
        `${formatDuration(parsed.ms)} is longer than the maximum of ${formatDuration(limits.maxMs)} for ${what}`,
      );
      return undefined;
    }
    return parsed.ms;
  }

  private condition(source: string, path: Path, facts: FactCatalogue): Expr | undefined {
    const result = parseCondition(source, facts);
    if (result.ok) {
      collectFlags(result.expr, this.usedFlags);
      return result.expr;
    }
    for (const issue of result.issues) {
      this.error(issue.code, path, `${issue.message} (in "${source}" at column ${issue.column})`);
    }
    return undefined;
  }

  private queue(queue: string, path: Path): boolean {
    if (this.catalogue.queues.includes(queue)) return true;
    this.error(
      'unknown_queue',
      path,
      `queue '${queue}' does not exist${didYouMean(queue, this.catalogue.queues)}; known queues: ${this.catalogue.queues.join(', ')}`,
    );
    return false;
  }

  private flag(flag: string, path: Path): boolean {
    if ((EXTERNALLY_SET_FLAGS as readonly string[]).includes(flag)) {
      this.error(
        'readonly_flag',
        path,
        `a strategy cannot set '${flag}': it comes from outside (agents, courts, the debtor) through events`,
      );
      return false;
    }
    if ((CASE_FLAGS as readonly string[]).includes(flag) || this.declaredFlags.includes(flag)) {
      this.usedFlags.add(flag);
      return true;
    }
    this.error(
      'unknown_flag',
      path,
      `flag '${flag}' is not declared${didYouMean(flag, [...this.declaredFlags, ...CASE_FLAGS])}: list it under 'flags:'`,
    );
    return false;
  }

  private assignee(queue: string | undefined, agent: string | undefined, path: Path): Assignee | undefined {
    if ((queue === undefined) === (agent === undefined)) {
      this.error(
        'invalid_assignee',
        path,
        queue === undefined
          ? 'assign needs a queue or an agent, e.g. queue: hardship'
          : 'assign takes a queue or an agent, not both',
      );
      return undefined;
    }
    if (queue !== undefined) return this.queue(queue, [...path, 'queue']) ? { queue } : undefined;
    return { agent: agent as string };
  }

  private planStep(step: StepDefinition, path: Path): PlanStep | undefined {
    let ok = true;
    const ref = (target: string | undefined, at: Path) => {
      if (target !== undefined && !this.reference(target, at)) ok = false;
    };
    for (const field of NEXT_FIELDS)
      ref((step as Record<string, unknown>)[field] as string | undefined, [...path, field]);

    switch (step.type) {
      case 'send_reminder': {
        const templates = this.catalogue.templates[step.channel];
        if (!templates.includes(step.template)) {
          const elsewhere = (Object.keys(this.catalogue.templates) as (keyof Catalogue['templates'])[]).find(
            (c) => this.catalogue.templates[c].includes(step.template),
          );
          this.error(
            'unknown_template',
            [...path, 'template'],
            `template '${step.template}' does not exist for ${step.channel}` +
              (elsewhere
                ? ` (it is a ${elsewhere} template)`
                : didYouMean(step.template, templates) ||
                  `; ${step.channel} templates: ${templates.join(', ')}`),
          );
          return undefined;
        }
        return ok ? { ...pick(step, 'type', 'id', 'channel', 'template', 'next') } : undefined;
      }
      case 'create_call_task': {
        const dueMs = this.duration(step.due, 'create_call_task.due', [...path, 'due']);
        if (!this.queue(step.queue, [...path, 'queue']) || dueMs === undefined || !ok) return undefined;
        return {
          type: step.type,
          id: step.id,
          queue: step.queue,
          priority: step.priority,
          dueMs,
          next: step.next,
        };
      }
      case 'wait': {
        const durationMs = this.duration(step.duration, 'wait.duration', [...path, 'duration']);
        return durationMs !== undefined && ok
          ? { type: step.type, id: step.id, durationMs, next: step.next }
          : undefined;
      }
      case 'wait_until': {
        const condition = this.condition(step.condition, [...path, 'condition'], this.facts);
        const timeoutMs = this.duration(step.timeout, 'wait_until.timeout', [...path, 'timeout']);
        if (!condition || timeoutMs === undefined || !ok) return undefined;
        return {
          type: step.type,
          id: step.id,
          condition,
          timeoutMs,
          next: step.next,
          onTimeout: step.onTimeout,
        };
      }
      case 'branch': {
        const cases: { when: Expr; next: string }[] = [];
        step.cases.forEach((c, j) => {
          const when = this.condition(c.when, [...path, 'cases', j, 'when'], this.facts);
          ref(c.next, [...path, 'cases', j, 'next']);
          if (when) cases.push({ when, next: c.next });
          else ok = false;
        });
        if (step.cases.length === 0) {
          this.error(
            'invalid_value',
            [...path, 'cases'],
            'a branch needs at least one case; use the default step directly',
          );
          ok = false;
        }
        if (step.default === undefined) {
          this.error(
            'branch_without_default',
            [...path, 'default'],
            `branch '${step.id}' has no default: say where the case goes when no case matches`,
          );
          return undefined;
        }
        return ok ? { type: step.type, id: step.id, cases, default: step.default } : undefined;
      }
      case 'await_promise': {
        const timeoutMs = this.duration(step.timeout, 'await_promise.timeout', [...path, 'timeout']);
        if (timeoutMs === undefined || !ok) return undefined;
        return {
          type: step.type,
          id: step.id,
          timeoutMs,
          onKept: step.onKept,
          onBroken: step.onBroken,
          onTimeout: step.onTimeout,
        };
      }
      case 'escalate':
        return ok
          ? {
              type: step.type,
              id: step.id,
              target: step.target,
              reason: step.reason ?? null,
              next: step.next,
            }
          : undefined;
      case 'assign': {
        const assignee = this.assignee(step.queue, step.agent, path);
        return assignee && ok ? { type: step.type, id: step.id, assignee, next: step.next } : undefined;
      }
      case 'set_flag': {
        if (!this.flag(step.flag, [...path, 'flag']) || !ok) return undefined;
        return { type: step.type, id: step.id, flag: step.flag, value: step.value ?? true, next: step.next };
      }
      case 'end':
        return { type: step.type, id: step.id, outcome: step.outcome };
      case 'transfer': {
        const known = this.catalogue.strategies;
        if (known !== null && !known.includes(step.strategy)) {
          this.error(
            'unknown_strategy',
            [...path, 'strategy'],
            `strategy '${step.strategy}' does not exist${didYouMean(step.strategy, known)}; known strategies: ${known.join(', ')}`,
          );
          return undefined;
        }
        return { type: step.type, id: step.id, strategy: step.strategy };
      }
    }
  }

  private handlers(raw: unknown): {
    ok: boolean;
    definition: Partial<Record<string, HandlerRuleDefinition[]>>;
    plan: Partial<Record<HandlerEvent, PlanRule[]>>;
  } {
    const definition: Partial<Record<string, HandlerRuleDefinition[]>> = {};
    const plan: Partial<Record<HandlerEvent, PlanRule[]>> = {};
    if (!isRecord(raw)) return { ok: raw === undefined, definition, plan };
    let ok = true;
    for (const [event, value] of Object.entries(raw)) {
      const path: Path = ['on', event];
      if (!(HANDLER_EVENTS as readonly string[]).includes(event)) {
        ok = false;
        this.error(
          'unknown_event',
          path,
          event === 'started' || event === 'timer_fired'
            ? `'${event}' is handled by the interpreter itself: use 'start' and wait steps instead`
            : `unknown event '${event}'${didYouMean(event, HANDLER_EVENTS)}; events are ${HANDLER_EVENTS.join(', ')}`,
        );
        continue;
      }
      const handlerEvent = event as HandlerEvent;
      const rawRules = Array.isArray(value) ? value : [value];
      const rulePath = (j: number): Path => (Array.isArray(value) ? [...path, j] : path);
      const facts = withEventFields(this.facts, handlerEvent);
      const rules: HandlerRuleDefinition[] = [];
      const planRules: PlanRule[] = [];
      let unconditionalAt: number | null = null;
      rawRules.forEach((rawRule, j) => {
        const at = rulePath(j);
        const rule = this.parse(handlerRuleSchema, rawRule, at, ` in a handler rule`);
        if (!rule) {
          ok = false;
          return;
        }
        rules.push(rule);
        if (unconditionalAt !== null) {
          this.warn(
            'unreachable_rule',
            at,
            `this rule never applies: the rule before it (${formatPath(rulePath(unconditionalAt))}) has no 'when' and always matches`,
          );
        }
        const when = rule.when === undefined ? null : this.condition(rule.when, [...at, 'when'], facts);
        if (rule.goto === undefined && rule.assign === undefined && rule.setFlag === undefined) {
          this.error('empty_rule', at, `a handler rule needs at least one of goto, assign or setFlag`);
          ok = false;
          return;
        }
        if (when === undefined) ok = false;
        if (rule.goto !== undefined && !this.reference(rule.goto, [...at, 'goto'])) ok = false;
        let assign: Assignee | null = null;
        if (rule.assign) {
          const assignee = this.assignee(rule.assign.queue, rule.assign.agent, [...at, 'assign']);
          if (!assignee) ok = false;
          else assign = assignee;
        }
        let setFlag: PlanRule['setFlag'] = null;
        if (rule.setFlag) {
          if (!this.flag(rule.setFlag.flag, [...at, 'setFlag', 'flag'])) ok = false;
          else setFlag = { flag: rule.setFlag.flag, value: rule.setFlag.value ?? true };
        }
        if (rule.when === undefined && unconditionalAt === null) unconditionalAt = j;
        if (when !== undefined) planRules.push({ when, assign, setFlag, goto: rule.goto ?? null });
      });
      definition[event] = rules;
      plan[handlerEvent] = planRules;
    }
    return { ok, definition, plan };
  }

  /**
   * Unreachable steps, loops without a wait, and whether any path ends. Works on the raw steps'
   * references, so a step with an unrelated error (a bad template) does not hide these.
   */
  private graph(
    start: string,
    rawSteps: readonly unknown[],
    handlers: Partial<Record<HandlerEvent, PlanRule[]>>,
  ): void {
    const nodes = new Map<string, { type: string; successors: string[] }>();
    for (const raw of rawSteps) {
      if (!isRecord(raw) || typeof raw.id !== 'string' || nodes.has(raw.id)) continue;
      const successors: string[] = [];
      for (const field of NEXT_FIELDS) {
        const target = raw[field];
        if (typeof target === 'string') successors.push(target);
      }
      if (Array.isArray(raw.cases)) {
        for (const c of raw.cases) if (isRecord(c) && typeof c.next === 'string') successors.push(c.next);
      }
      nodes.set(raw.id, { type: typeof raw.type === 'string' ? raw.type : '', successors });
    }
    const successors = (id: string) => (nodes.get(id)?.successors ?? []).filter((s) => nodes.has(s));

    const roots = [start];
    for (const rules of Object.values(handlers))
      for (const rule of rules ?? []) if (rule.goto) roots.push(rule.goto);
    const reached = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (reached.has(id) || !nodes.has(id)) continue;
      reached.add(id);
      queue.push(...successors(id));
    }
    // Report where each unreachable region starts, not every step inside it.
    const unreachable = [...this.stepIndex.keys()].filter((id) => !reached.has(id));
    const fedByUnreachable = new Set(unreachable.flatMap((id) => successors(id)));
    const covered = new Set<string>();
    const cover = (id: string): number => {
      let count = 0;
      const pending = [id];
      while (pending.length > 0) {
        const next = pending.pop() as string;
        if (covered.has(next) || reached.has(next)) continue;
        covered.add(next);
        count++;
        pending.push(...successors(next));
      }
      return count - 1;
    };
    const heads = unreachable.filter((id) => !fedByUnreachable.has(id));
    for (const id of [...heads, ...unreachable]) {
      if (covered.has(id)) continue;
      const behind = cover(id);
      this.error(
        'unreachable_step',
        ['steps', this.stepIndex.get(id) as number],
        `step '${id}' is unreachable: neither the start, another step nor an event handler leads to it` +
          (behind > 0
            ? `; ${behind} step${behind === 1 ? '' : 's'} reachable only through it ${behind === 1 ? 'is' : 'are'} unreachable too`
            : ''),
      );
    }

    // Tarjan's strongly connected components over the steps that do not wait: any component
    // with a loop would run forever within one activation.
    const instantIds = new Set(
      [...nodes].filter(([, n]) => !WAITING_STEP_TYPES.has(n.type as StepType)).map(([id]) => id),
    );
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    let counter = 0;
    const components: string[][] = [];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      for (const next of successors(id)) {
        if (!instantIds.has(next)) continue;
        if (!index.has(next)) {
          visit(next);
          low.set(id, Math.min(low.get(id) as number, low.get(next) as number));
        } else if (onStack.has(next)) {
          low.set(id, Math.min(low.get(id) as number, index.get(next) as number));
        }
      }
      if (low.get(id) === index.get(id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== id);
        if (component.length > 1 || successors(id).includes(id)) components.push(component);
      }
    };
    for (const id of instantIds) if (!index.has(id)) visit(id);
    for (const component of components) {
      const ordered = [...component].sort(
        (a, b) => (this.stepIndex.get(a) ?? 0) - (this.stepIndex.get(b) ?? 0),
      );
      const first = ordered[0] as string;
      this.error(
        'cycle_without_wait',
        ['steps', this.stepIndex.get(first) ?? 0],
        `steps ${[...ordered, first].map((s) => `'${s}'`).join(' → ')} form a loop without a wait: ` +
          'the case would repeat them forever; put a wait, wait_until or await_promise step in the loop',
      );
    }

    const ends = [...reached].some((id) => {
      const type = nodes.get(id)?.type;
      return type === 'end' || type === 'transfer';
    });
    if (!ends) {
      this.warn(
        'no_end',
        ['steps'],
        'no end or transfer step is reachable: cases on this strategy never close by themselves',
      );
    }
    for (const event of ['cease_request', 'promise_broken', 'cured'] as const) {
      if (!handlers[event]) {
        const consequence =
          event === 'cured'
            ? 'a cured case will end with outcome cured (the built-in default)'
            : event === 'cease_request'
              ? 'the contact policy will block contact but the strategy will carry on as before'
              : 'a broken promise will not change the path';
        this.warn('unhandled_event', ['on'], `no handler for ${event}: ${consequence}`);
      }
    }
  }
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = value[key];
  return out;
}

function collectFlags(expr: Expr, into: Set<string>): void {
  switch (expr.type) {
    case 'fact':
      if (expr.name.startsWith('flags.')) into.add(expr.name.slice(6));
      return;
    case 'not':
      collectFlags(expr.operand, into);
      return;
    case 'and':
    case 'or':
      for (const operand of expr.operands) collectFlags(operand, into);
      return;
    case 'compare':
      collectFlags(expr.left, into);
      collectFlags(expr.right, into);
      return;
    case 'in':
      collectFlags(expr.operand, into);
      return;
    default:
      return;
  }
}

/**
 * Validates a parsed strategy document (from YAML or JSON) and compiles it into a plan.
 * Returns every error at once; warnings do not stop publishing.
 */
export function validateStrategy(input: unknown, options: ValidationOptions = {}): ValidationResult {
  const validator = new Validator(options);
  const result = validator.validate(input);
  const errors = validator.issues.filter((i) => i.severity === 'error');
  const warnings = validator.issues.filter((i) => i.severity === 'warning');
  if (result && errors.length === 0)
    return { ok: true, definition: result.definition, plan: result.plan, warnings };
  return { ok: false, errors, warnings };
}

/** Validates and compiles; throws StrategyInvalidError listing every error. */
export function compileStrategy(input: unknown, options?: ValidationOptions): Plan {
  const result = validateStrategy(input, options);
  if (!result.ok) throw new StrategyInvalidError(result.errors);
  return result.plan;
}
