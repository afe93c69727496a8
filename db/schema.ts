import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The typed database interface, kept in step with db/migrations by hand (the migrations are
 * the truth). Money is always `*_minor` (integer minor units, int8 parsed as number) next to
 * a `currency`; timestamps are timestamptz.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/**
 * `date` columns: written as 'YYYY-MM-DD'; node-postgres reads them as a Date at local
 * midnight (lib/db.ts installs no DATE parser), so read them with to_char in SQL when the
 * calendar day matters.
 */
type DateOnly = ColumnType<Date, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export type Jurisdiction = 'US' | 'GB' | string;
export type Channel = 'call' | 'sms' | 'email' | 'letter' | 'voicemail';
export type Place = 'home' | 'work' | 'other';
export const PRODUCTS = [
  'credit_card',
  'personal_loan',
  'auto_loan',
  'mortgage',
  'student_loan',
  'bnpl',
  'overdraft',
] as const;
export type Product = (typeof PRODUCTS)[number];
export const LOAN_STATUSES = ['active', 'paid_off', 'charged_off', 'closed'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];
// One vocabulary for outcomes and holds: the strategy language's (the CHECK constraints in the migrations match it).
export { CASE_OUTCOMES, type CaseOutcome, type HoldKind } from '../strategies/plan-types';
import type { CaseOutcome, HoldKind } from '../strategies/plan-types';
export type PromiseStatus = 'pending' | 'kept' | 'broken' | 'cancelled';
export type TaskStatus = 'open' | 'leased' | 'done' | 'cancelled' | 'expired';
export type ContactDecision = 'allowed' | 'blocked' | 'deferred' | 'held' | 'advised';

/** A debtor-designated inconvenient time, in the debtor's local time. */
export interface InconvenientTime {
  days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  from: string;
  to: string;
}

export interface CustomersTable {
  id: Generated<number>;
  customer_number: string;
  given_name: string;
  middle_name: string | null;
  family_name: string;
  date_of_birth: DateOnly | null;
  national_id: string | null;
  country: Jurisdiction;
  region: string | null;
  language: Generated<string>;
  segment: string | null;
  deceased: Generated<boolean>;
  vulnerable: Generated<boolean>;
  bankruptcy: Generated<boolean>;
  hardship: Generated<boolean>;
  attorney_represented: Generated<boolean>;
  attorney_contact: string | null;
  cease_communication: Generated<boolean>;
  breathing_space_until: DateOnly | null;
  inconvenient_times: ColumnType<InconvenientTime[], string | undefined, string>;
  inconvenient_places: ColumnType<Place[], Place[] | undefined, Place[]>;
  inconvenient_channels: ColumnType<Channel[], Channel[] | undefined, Channel[]>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CustomerAddressesTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'home' | 'mailing' | 'work';
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  time_zone: string | null;
  time_zone_source: 'postal_code' | 'region' | 'country' | null;
  mail_opt_out_at: Timestamp | null;
  removed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CustomerPhonesTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'mobile' | 'home' | 'work' | 'other';
  number_e164: string;
  country: string | null;
  time_zones: ColumnType<string[], string[] | undefined, string[]>;
  time_zone_source: 'area_code' | 'country' | null;
  sms_consent: Generated<boolean>;
  autodial_consent: Generated<boolean>;
  call_opt_out_at: Timestamp | null;
  sms_opt_out_at: Timestamp | null;
  removed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CustomerEmailsTable {
  id: Generated<number>;
  customer_id: number;
  kind: Generated<'personal' | 'work'>;
  address: string;
  email_consent: Generated<boolean>;
  opt_out_at: Timestamp | null;
  removed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface LoansTable {
  id: Generated<number>;
  loan_number: string;
  customer_id: number;
  product: string;
  currency: string;
  principal_minor: number;
  outstanding_minor: number;
  overdue_minor: Generated<number>;
  instalment_minor: number | null;
  opened_on: DateOnly | null;
  next_due_date: DateOnly | null;
  oldest_unpaid_due_date: DateOnly | null;
  dpd: Generated<number>;
  bucket: Generated<string>;
  status: Generated<LoanStatus>;
  disputed: Generated<boolean>;
  as_of: DateOnly;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  supervisor_id: number | null;
  created_at: CreatedAt;
}

export interface AgentsTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: string | null;
  role: Generated<'agent' | 'supervisor' | 'manager' | 'designer' | 'admin'>;
  team_id: number | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface QueuesTable {
  id: string;
  name: string;
  description: string | null;
  team_id: number | null;
  created_at: CreatedAt;
}

export interface StrategiesTable {
  id: string;
  name: string;
  description: string | null;
  priority: Generated<number>;
  created_at: CreatedAt;
  created_by: string | null;
}

export interface StrategyVersionsTable {
  strategy_id: string;
  version: number;
  status: Generated<'draft' | 'published' | 'retired'>;
  definition: Json;
  checksum: string | null;
  created_at: CreatedAt;
  created_by: string | null;
  published_at: Timestamp | null;
  published_by: string | null;
  source: string | null;
  plan: Json | null;
  note: string | null;
}

export interface StrategyDraftsTable {
  strategy_id: string;
  source: string;
  based_on: number | null;
  updated_at: CreatedAt;
  updated_by: string;
}

export interface StrategyRolloutsTable {
  strategy_id: string;
  version: number;
  percent: number;
  updated_at: CreatedAt;
  updated_by: string | null;
}

export interface CasesTable {
  id: Generated<number>;
  loan_id: number;
  customer_id: number;
  status: Generated<'open' | 'closed'>;
  outcome: CaseOutcome | null;
  opened_at: CreatedAt;
  closed_at: Timestamp | null;
  opened_dpd: number;
  opened_overdue_minor: number;
  currency: string;
  strategy_id: string | null;
  strategy_version: number | null;
  assigned_queue: string | null;
  assigned_agent_id: number | null;
  cure_pending_at: Timestamp | null;
  experiment_arm: string | null;
  workflow_started_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CaseHoldsTable {
  id: Generated<number>;
  case_id: number;
  kind: HoldKind;
  reason: string | null;
  started_at: CreatedAt;
  until: Timestamp | null;
  released_at: Timestamp | null;
  created_by: string;
  released_by: string | null;
}

export interface PromisesTable {
  id: Generated<number>;
  case_id: number;
  status: Generated<PromiseStatus>;
  total_minor: number;
  paid_minor: Generated<number>;
  currency: string;
  grace_days: Generated<number>;
  promised_at: CreatedAt;
  created_by: string;
  resolved_at: Timestamp | null;
  idempotency_key: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface PromiseInstalmentsTable {
  promise_id: number;
  seq: number;
  due_date: DateOnly;
  amount_minor: number;
  paid_minor: Generated<number>;
  status: Generated<PromiseStatus>;
}

export interface TasksTable {
  id: Generated<number>;
  case_id: number;
  queue: string;
  kind: Generated<string>;
  priority: Generated<number>;
  due_at: Timestamp;
  status: Generated<TaskStatus>;
  assigned_agent_id: number | null;
  lease_agent_id: number | null;
  lease_expires_at: Timestamp | null;
  outcome: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  completed_at: Timestamp | null;
}

/** Partitioned by month on occurred_at; idempotency_key unique across partitions. */
export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  type: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, never>;
  actor: string;
  idempotency_key: string;
  occurred_at: CreatedAt;
  recorded_at: CreatedAt;
}

/** Partitioned by month on occurred_at; idempotency_key unique across partitions. */
export interface ContactAttemptsTable {
  id: Generated<number>;
  case_id: number;
  customer_id: number;
  channel: Channel;
  destination: string;
  dialing_mode: 'manual' | 'autodial' | 'prerecorded' | null;
  decision: ContactDecision;
  rule: string | null;
  rule_pack_version: string;
  evidence: ColumnType<Record<string, unknown>, string | undefined, string>;
  deferred_until: Timestamp | null;
  outcome: string | null;
  outcome_at: Timestamp | null;
  agent_id: number | null;
  task_id: number | null;
  idempotency_key: string;
  occurred_at: CreatedAt;
}

/** Partitioned by month on paid_at; payment_ref unique across partitions. */
export interface PaymentsTable {
  id: Generated<number>;
  payment_ref: string;
  loan_id: number;
  case_id: number | null;
  kind: Generated<'payment' | 'reversal'>;
  /** Signed: reversals are negative. */
  amount_minor: number;
  currency: string;
  paid_at: Timestamp;
  received_at: CreatedAt;
  method: string | null;
  reverses_payment_ref: string | null;
  source: Generated<string>;
  intake_run_id: number | null;
}

/** Partitioned by month on occurred_at; append-only (UPDATE and DELETE raise). */
export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: CreatedAt;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  request_id: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  occurred_at: Timestamp;
  created_at: CreatedAt;
}

export interface PartitionedTablesTable {
  parent: string;
  partition_column: string;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  event_type: string;
  message_key: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  dedupe_key: string | null;
  created_at: CreatedAt;
  published_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export type IntakeKind = 'customers' | 'loans' | 'payments';
export type IntakeFormat = 'csv' | 'ndjson';

export interface IntakeRunsTable {
  id: Generated<number>;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  kind: IntakeKind;
  format: IntakeFormat;
  status: Generated<'running' | 'completed' | 'failed'>;
  records_done: Generated<number>;
  rows_inserted: Generated<number>;
  rows_updated: Generated<number>;
  rows_unchanged: Generated<number>;
  rows_rejected: Generated<number>;
  cases_opened: Generated<number>;
  cures_detected: Generated<number>;
  error: string | null;
  started_at: CreatedAt;
  updated_at: CreatedAt;
  finished_at: Timestamp | null;
}

export interface IntakeErrorsTable {
  run_id: number;
  line: number;
  field: string;
  reason: string;
}

export interface DeferredDdlTable {
  id: Generated<number>;
  table_name: string;
  object_name: string;
  kind: 'constraint' | 'index' | 'foreign_key';
  definition: string;
  created_at: CreatedAt;
}

export interface Database {
  customers: CustomersTable;
  customer_addresses: CustomerAddressesTable;
  customer_phones: CustomerPhonesTable;
  customer_emails: CustomerEmailsTable;
  loans: LoansTable;
  teams: TeamsTable;
  agents: AgentsTable;
  queues: QueuesTable;
  strategies: StrategiesTable;
  strategy_versions: StrategyVersionsTable;
  strategy_drafts: StrategyDraftsTable;
  strategy_rollouts: StrategyRolloutsTable;
  cases: CasesTable;
  case_holds: CaseHoldsTable;
  promises: PromisesTable;
  promise_instalments: PromiseInstalmentsTable;
  tasks: TasksTable;
  case_events: CaseEventsTable;
  contact_attempts: ContactAttemptsTable;
  payments: PaymentsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  partitioned_tables: PartitionedTablesTable;
  outbox: OutboxTable;
  intake_runs: IntakeRunsTable;
  intake_errors: IntakeErrorsTable;
  deferred_ddl: DeferredDdlTable;
}

export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type Loan = Selectable<LoansTable>;
export type LoanUpdate = Updateable<LoansTable>;
export type Case = Selectable<CasesTable>;
export type CaseEvent = Selectable<CaseEventsTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type IntakeRun = Selectable<IntakeRunsTable>;
