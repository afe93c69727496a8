import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  CASE_CURE_DETECTED,
  CASE_CURE_REVERTED,
  CASE_LOAN_UPDATED,
  CASE_OPENED,
  CASES_TOPIC,
} from '../intake/hooks';
import type { Database } from '../schema';

/**
 * Set-based delinquency transitions, shared by intake (per chunk) and the generator (the
 * whole book at once). Each takes the loans to look at as a query returning loan ids, writes
 * the case change, its timeline event and its outbox message in one statement, and is
 * idempotent: running it twice changes nothing the second time. Functions of a db handle,
 * so they join the caller's transaction.
 */

type Db = Kysely<Database>;
/** A query returning one column `id` of loan ids, e.g. sql`SELECT id FROM loans`. */
export type LoanIds = RawBuilder<unknown>;

export interface TransitionOptions {
  /** Who the timeline says did it, e.g. `system:intake` or `system:generator`. */
  actor: string;
  /** Return the ids (intake, per chunk) or only the count (the generator, 700k+ rows). */
  returnIds?: boolean;
}

export interface TransitionResult {
  count: number;
  caseIds: number[];
}

/** The statement's last SELECT: the affected ids, or only their count. */
function tail(options: TransitionOptions, cte: string): RawBuilder<unknown> {
  return options.returnIds
    ? sql`SELECT id FROM ${sql.raw(cte)}`
    : sql`SELECT count(*)::int AS count FROM ${sql.raw(cte)}`;
}

async function collect(
  db: Db,
  query: RawBuilder<unknown>,
  options: TransitionOptions,
): Promise<TransitionResult> {
  const { rows } = await query.execute(db);
  if (options.returnIds) {
    const ids = (rows as { id: number }[]).map((r) => r.id);
    return { count: ids.length, caseIds: ids };
  }
  return { count: (rows as { count: number }[])[0]?.count ?? 0, caseIds: [] };
}

/**
 * Opens a case for every loan among `loanIds` that is active, at least 1 DPD and has no open
 * case; records `case.opened` on its timeline and in the outbox. Strategy, queue and agent
 * stay empty until the case workflow assigns them.
 */
export async function openCases(
  db: Db,
  loanIds: LoanIds,
  options: TransitionOptions,
): Promise<TransitionResult> {
  const query = sql`
    WITH candidates AS (
      SELECT l.id, l.customer_id, l.dpd, l.overdue_minor, l.currency, l.bucket
      FROM loans l
      WHERE l.id IN (${loanIds}) AND l.dpd >= 1 AND l.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.loan_id = l.id AND c.status = 'open')
      ORDER BY l.id
    ), opened AS (
      INSERT INTO cases (loan_id, customer_id, status, opened_dpd, opened_overdue_minor, currency)
      SELECT id, customer_id, 'open', dpd, overdue_minor, currency FROM candidates
      ON CONFLICT (loan_id) WHERE status = 'open' DO NOTHING
      RETURNING id, loan_id, customer_id, opened_dpd, opened_overdue_minor, currency, opened_at
    ), described AS (
      SELECT o.*, c.bucket,
             jsonb_build_object('caseId', o.id, 'loanId', o.loan_id, 'customerId', o.customer_id, 'dpd', o.opened_dpd,
               'bucket', c.bucket, 'overdueMinor', o.opened_overdue_minor, 'currency', o.currency,
               'openedAt', o.opened_at) AS payload
      FROM opened o JOIN candidates c ON c.id = o.loan_id
    ), events AS (
      INSERT INTO case_events (case_id, type, payload, actor, idempotency_key, occurred_at)
      SELECT id, ${CASE_OPENED}::text, payload, ${options.actor}::text, ${CASE_OPENED}::text || ':' || id, opened_at FROM described
    ), messages AS (
      INSERT INTO outbox (topic, event_type, message_key, payload, dedupe_key)
      SELECT ${CASES_TOPIC}::text, ${CASE_OPENED}::text, id::text, payload, ${CASE_OPENED}::text || ':' || id FROM described
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    ${tail(options, 'opened')}`;
  return collect(db, query, options);
}

/**
 * Marks for cure every open case among `loanIds` whose loan is back at DPD 0: sets
 * `cure_pending_at` and records `case.cure_detected`. The case workflow closes the case.
 */
export async function markCures(
  db: Db,
  loanIds: LoanIds,
  options: TransitionOptions,
): Promise<TransitionResult> {
  const query = sql`
    WITH cured AS (
      UPDATE cases c SET cure_pending_at = now(), updated_at = now()
      FROM loans l
      WHERE l.id = c.loan_id AND l.id IN (${loanIds}) AND l.dpd = 0
        AND c.status = 'open' AND c.cure_pending_at IS NULL
      RETURNING c.id, c.loan_id, c.cure_pending_at
    ), described AS (
      SELECT id, cure_pending_at,
             ${CASE_CURE_DETECTED}::text || ':' || id || ':' || (extract(epoch FROM cure_pending_at) * 1000000)::bigint AS key,
             jsonb_build_object('caseId', id, 'loanId', loan_id, 'detectedAt', cure_pending_at) AS payload
      FROM cured
    ), events AS (
      INSERT INTO case_events (case_id, type, payload, actor, idempotency_key, occurred_at)
      SELECT id, ${CASE_CURE_DETECTED}::text, payload, ${options.actor}::text, key, cure_pending_at FROM described
    ), messages AS (
      INSERT INTO outbox (topic, event_type, message_key, payload, dedupe_key)
      SELECT ${CASES_TOPIC}::text, ${CASE_CURE_DETECTED}::text, id::text, payload, key FROM described
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    ${tail(options, 'cured')}`;
  return collect(db, query, options);
}

/** Clears a pending cure when the loan is past due again before the workflow closed the case. */
export async function revertCures(
  db: Db,
  loanIds: LoanIds,
  options: TransitionOptions,
): Promise<TransitionResult> {
  const query = sql`
    WITH target AS (
      SELECT c.id, c.loan_id, c.cure_pending_at AS was, l.dpd
      FROM cases c JOIN loans l ON l.id = c.loan_id
      WHERE l.id IN (${loanIds}) AND l.dpd >= 1 AND c.status = 'open' AND c.cure_pending_at IS NOT NULL
      FOR UPDATE OF c
    ), reverted AS (
      UPDATE cases c SET cure_pending_at = NULL, updated_at = now()
      FROM target t WHERE c.id = t.id
      RETURNING c.id, t.loan_id, t.was, t.dpd
    ), described AS (
      SELECT id, ${CASE_CURE_REVERTED}::text || ':' || id || ':' || (extract(epoch FROM was) * 1000000)::bigint AS key,
             jsonb_build_object('caseId', id, 'loanId', loan_id, 'dpd', dpd) AS payload
      FROM reverted
    ), events AS (
      INSERT INTO case_events (case_id, type, payload, actor, idempotency_key)
      SELECT id, ${CASE_CURE_REVERTED}::text, payload, ${options.actor}::text, key FROM described
    ), messages AS (
      INSERT INTO outbox (topic, event_type, message_key, payload, dedupe_key)
      SELECT ${CASES_TOPIC}::text, ${CASE_CURE_REVERTED}::text, id::text, payload, key FROM described
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    ${tail(options, 'reverted')}`;
  return collect(db, query, options);
}

/**
 * Tells the case workflows of open cases among `loanIds` the loan's new facts (DPD, bucket,
 * balances, status). Only for loans whose row changed; `except` leaves out cases opened in
 * the same step (their `case.opened` already carries the facts).
 */
export async function announceLoanUpdates(
  db: Db,
  loanIds: LoanIds,
  options: TransitionOptions & { except?: readonly number[] },
): Promise<TransitionResult> {
  const except = [...(options.except ?? [])];
  const query = sql`
    WITH changed AS (
      SELECT c.id, l.id AS loan_id, l.dpd, l.bucket, l.overdue_minor, l.outstanding_minor, l.currency, l.status,
             l.disputed, l.updated_at
      FROM cases c JOIN loans l ON l.id = c.loan_id
      WHERE l.id IN (${loanIds}) AND c.status = 'open' AND NOT (c.id = ANY(${except}::bigint[]))
    ), messages AS (
      INSERT INTO outbox (topic, event_type, message_key, payload, dedupe_key)
      SELECT ${CASES_TOPIC}::text, ${CASE_LOAN_UPDATED}::text, id::text,
             jsonb_build_object('caseId', id, 'loanId', loan_id, 'dpd', dpd, 'bucket', bucket, 'overdueMinor', overdue_minor,
               'outstandingMinor', outstanding_minor, 'currency', currency, 'status', status, 'disputed', disputed),
             ${CASE_LOAN_UPDATED}::text || ':' || id || ':' || (extract(epoch FROM updated_at) * 1000000)::bigint
      FROM changed
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING message_key::bigint AS id
    )
    ${tail(options, 'messages')}`;
  return collect(db, query, options);
}
