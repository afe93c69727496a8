/**
 * The compiled form of a strategy and the vocabulary the interpreter speaks: plans, events,
 * commands and interpreter state. Types and constants only, so the case workflow can import
 * them inside Temporal's sandbox. Everything here is plain JSON; times are epoch milliseconds.
 */
import type { ContactOutcome } from '../domain/case-facts';

export const PLAN_FORMAT = 1;

// ---------------------------------------------------------------------------------------------
// Vocabulary

export const CHANNELS = ['sms', 'email', 'letter', 'voicemail', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ESCALATION_TARGETS = ['supervisor', 'specialist', 'agency', 'legal'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** How a case closes (DOMAIN.md). */
export const CASE_OUTCOMES = [
  'cured',
  'paid_off',
  'settled',
  'written_off',
  'placed_with_agency',
  'legal',
  'closed_other',
] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** Holds stop every treatment until released. */
export const HOLD_KINDS = [
  'dispute',
  'bankruptcy',
  'breathing_space',
  'deceased_review',
  'manual_pause',
] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Conditions (AST)

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'money'; readonly amountMinor: number; readonly currency: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** A case fact (`dpd`, `balance`, `flags.dispute`) or an event field (`event.outcome`). */
  | { readonly type: 'fact'; readonly name: string }
  | { readonly type: 'not'; readonly operand: Expr }
  | { readonly type: 'and'; readonly operands: readonly Expr[] }
  | { readonly type: 'or'; readonly operands: readonly Expr[] }
  | { readonly type: 'compare'; readonly op: ComparisonOp; readonly left: Expr; readonly right: Expr }
  | {
      readonly type: 'in';
      readonly operand: Expr;
      readonly values: readonly Expr[];
      readonly negated: boolean;
    };

// ---------------------------------------------------------------------------------------------
// Plans

export type Assignee = { readonly queue: string } | { readonly agent: string };

export type PlanStep =
  | {
      readonly type: 'send_reminder';
      readonly id: string;
      readonly channel: Channel;
      readonly template: string;
      readonly next: string;
    }
  | {
      readonly type: 'create_call_task';
      readonly id: string;
      readonly queue: string;
      readonly priority: number;
      readonly dueMs: number;
      readonly next: string;
    }
  | { readonly type: 'wait'; readonly id: string; readonly durationMs: number; readonly next: string }
  | {
      readonly type: 'wait_until';
      readonly id: string;
      readonly condition: Expr;
      readonly timeoutMs: number;
      readonly next: string;
      readonly onTimeout: string;
    }
  | {
      readonly type: 'branch';
      readonly id: string;
      readonly cases: readonly { readonly when: Expr; readonly next: string }[];
      readonly default: string;
    }
  | {
      readonly type: 'await_promise';
      readonly id: string;
      readonly timeoutMs: number;
      readonly onKept: string;
      readonly onBroken: string;
      readonly onTimeout: string;
    }
  | {
      readonly type: 'escalate';
      readonly id: string;
      readonly target: EscalationTarget;
      readonly reason: string | null;
      readonly next: string;
    }
  | { readonly type: 'assign'; readonly id: string; readonly assignee: Assignee; readonly next: string }
  | {
      readonly type: 'set_flag';
      readonly id: string;
      readonly flag: string;
      readonly value: boolean;
      readonly next: string;
    }
  | { readonly type: 'end'; readonly id: string; readonly outcome: CaseOutcome }
  | { readonly type: 'transfer'; readonly id: string; readonly strategy: string };

export type StepType = PlanStep['type'];
export const STEP_TYPES: readonly StepType[] = [
  'send_reminder',
  'create_call_task',
  'wait',
  'wait_until',
  'branch',
  'await_promise',
  'escalate',
  'assign',
  'set_flag',
  'end',
  'transfer',
];

/** Steps that contact the debtor or push the case outward: never run while a hold is active. */
export const TREATMENT_STEP_TYPES: ReadonlySet<StepType> = new Set([
  'send_reminder',
  'create_call_task',
  'escalate',
]);

/** Steps that stop the interpreter until a timer or an event. */
export const WAITING_STEP_TYPES: ReadonlySet<StepType> = new Set(['wait', 'wait_until', 'await_promise']);

/** One rule of an event handler: the first whose `when` holds (or has none) applies. */
export interface PlanRule {
  readonly when: Expr | null;
  /** Inline bookkeeping done without moving (allowed during holds). */
  readonly assign: Assignee | null;
  readonly setFlag: { readonly flag: string; readonly value: boolean } | null;
  /** Where to go; null stays on the current step. */
  readonly goto: string | null;
}

export interface AppliesTo {
  readonly buckets: readonly string[] | null;
  readonly products: readonly string[] | null;
  readonly segments: readonly string[] | null;
  readonly condition: Expr | null;
}

export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly strategyId: string;
  readonly name: string;
  readonly description: string;
  readonly appliesTo: AppliesTo;
  readonly flags: readonly string[];
  readonly start: string;
  /** Steps by id, in the order the definition lists them. */
  readonly steps: Readonly<Record<string, PlanStep>>;
  readonly handlers: Readonly<Partial<Record<HandlerEvent, readonly PlanRule[]>>>;
  /** `sha256:<hex>` of the canonical JSON of everything above. */
  readonly hash: string;
}

// ---------------------------------------------------------------------------------------------
// Events (what happens to a case)

export type StrategyEvent =
  | { readonly type: 'started' }
  | { readonly type: 'timer_fired'; readonly timerId: string }
  | { readonly type: 'payment_received'; readonly amountMinor: number; readonly currency: string }
  | {
      readonly type: 'promise_created';
      readonly amountMinor?: number;
      readonly currency?: string;
      readonly dueAt?: number;
    }
  | { readonly type: 'promise_kept' }
  | { readonly type: 'promise_broken' }
  | { readonly type: 'dispute_opened' }
  | { readonly type: 'dispute_resolved' }
  | { readonly type: 'cease_request' }
  | { readonly type: 'bankruptcy' }
  | { readonly type: 'hardship' }
  | { readonly type: 'cured' }
  | { readonly type: 'agent_outcome'; readonly outcome: ContactOutcome }
  | { readonly type: 'hold_placed'; readonly hold: HoldKind; readonly until?: number }
  | { readonly type: 'hold_released'; readonly hold: HoldKind }
  | {
      readonly type: 'contact_blocked';
      readonly rule: string;
      readonly stepId?: string;
      readonly channel?: string;
    }
  | { readonly type: 'facts_updated' };

export type EventType = StrategyEvent['type'];

/** Events a strategy may handle with `on:`; `started` and `timer_fired` belong to the interpreter. */
export const HANDLER_EVENTS = [
  'payment_received',
  'promise_created',
  'promise_kept',
  'promise_broken',
  'dispute_opened',
  'dispute_resolved',
  'cease_request',
  'bankruptcy',
  'hardship',
  'cured',
  'agent_outcome',
  'hold_placed',
  'hold_released',
  'contact_blocked',
  'facts_updated',
] as const;
export type HandlerEvent = (typeof HANDLER_EVENTS)[number];

/** Events that place or release a hold before any handler runs. */
export const HOLD_PLACING_EVENTS: Readonly<Partial<Record<EventType, HoldKind>>> = {
  dispute_opened: 'dispute',
  bankruptcy: 'bankruptcy',
};
export const HOLD_RELEASING_EVENTS: Readonly<Partial<Record<EventType, HoldKind>>> = {
  dispute_resolved: 'dispute',
};

// ---------------------------------------------------------------------------------------------
// Commands (what the workflow must do)

/** Every command carries `seq`: workflow id + seq is the idempotency key of its effect. */
export type Command =
  | {
      readonly type: 'send_reminder';
      readonly seq: number;
      readonly stepId: string;
      readonly channel: Channel;
      readonly template: string;
    }
  | {
      readonly type: 'create_call_task';
      readonly seq: number;
      readonly stepId: string;
      readonly queue: string;
      readonly priority: number;
      readonly dueAt: number;
    }
  | { readonly type: 'start_timer'; readonly seq: number; readonly timerId: string; readonly fireAt: number }
  | { readonly type: 'cancel_timer'; readonly seq: number; readonly timerId: string }
  | {
      readonly type: 'escalate';
      readonly seq: number;
      readonly stepId: string;
      readonly target: EscalationTarget;
      readonly reason: string | null;
    }
  | { readonly type: 'assign'; readonly seq: number; readonly stepId: string; readonly assignee: Assignee }
  | {
      readonly type: 'set_flag';
      readonly seq: number;
      readonly stepId: string;
      readonly flag: string;
      readonly value: boolean;
    }
  | {
      readonly type: 'await_promise';
      readonly seq: number;
      readonly stepId: string;
      readonly timeoutAt: number;
    }
  | { readonly type: 'end'; readonly seq: number; readonly stepId: string; readonly outcome: CaseOutcome }
  | { readonly type: 'transfer'; readonly seq: number; readonly stepId: string; readonly strategy: string }
  /** The plan and state disagree or a step loop was cut: raise an incident, do not retry. */
  | { readonly type: 'fault'; readonly seq: number; readonly reason: string };

export type CommandType = Command['type'];
export const TREATMENT_COMMANDS: ReadonlySet<CommandType> = new Set([
  'send_reminder',
  'create_call_task',
  'escalate',
]);

// ---------------------------------------------------------------------------------------------
// Interpreter state (plain JSON, survives continue-as-new)

export type InterpreterStatus = 'new' | 'active' | 'ended' | 'transferred' | 'faulted';

export interface ActiveHold {
  readonly kind: HoldKind;
  readonly since: number;
  /** Timer that releases the hold (breathing space has an end date). */
  readonly timerId: string | null;
}

export interface InterpreterState {
  readonly format: 1;
  readonly planHash: string;
  readonly status: InterpreterStatus;
  /** The step the case is on; null before start. */
  readonly stepId: string | null;
  /**
   * `pending`: the step has not run yet (a hold stopped the case in front of it).
   * `waiting`: the step ran and waits for its timer or an event.
   */
  readonly phase: 'pending' | 'waiting';
  readonly stepEnteredAt: number;
  readonly timer: { readonly timerId: string; readonly fireAt: number } | null;
  /** Time left on the step's timer when a hold froze it. */
  readonly frozenMs: number | null;
  readonly holds: readonly ActiveHold[];
  /** Last sequence number handed out; strictly increasing. */
  readonly seq: number;
  readonly startedAt: number | null;
  /** Flags this strategy set; they override the case facts' flags in conditions. */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly outcome: CaseOutcome | null;
  readonly fault: string | null;
}

export interface StepResult {
  readonly commands: readonly Command[];
  readonly state: InterpreterState;
}
