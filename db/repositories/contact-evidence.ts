import { type Kysely, sql } from 'kysely';
import type { Channel, ContactDecision, Database } from '../schema';

/**
 * The contact-policy decisions as compliance evidence: what was allowed, deferred, blocked or
 * held, why, by which rule-pack version, listed per case, per rule and per period (newest
 * first, keyset-paginated), the counts behind the blocked-attempt-rate KPI, and the retention
 * purge. Reads contact_attempts, partitioned by month on occurred_at: give a period wherever
 * possible so only its months are read.
 */

type Db = Kysely<Database>;

export const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;
/** Decisions the policy refused, one way or another. */
export const REFUSALS: readonly ContactDecision[] = ['blocked', 'deferred', 'held'];

export interface ContactEvidenceFilter {
  caseId?: number;
  rule?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  decisions?: readonly ContactDecision[];
  channel?: Channel;
}

export interface PageRequest {
  /** 1 to MAX_PAGE_SIZE; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** Include the full evidence document of each decision (several KB each). */
  includeEvidence?: boolean;
}

export interface ContactEvidenceItem {
  id: number;
  caseId: number;
  customerId: number;
  occurredAt: Date;
  channel: Channel;
  destination: string;
  dialingMode: string | null;
  decision: ContactDecision;
  rule: string | null;
  reason: string | null;
  rulePackVersion: string;
  deferredUntil: Date | null;
  agentId: number | null;
  outcome: string | null;
  evidence?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export class EvidenceQueryError extends Error {
  override readonly name = 'EvidenceQueryError';
}

interface Cursor {
  at: string;
  id: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && Number.isSafeInteger(id) && !Number.isNaN(Date.parse(at))) {
      return { at, id: id as number };
    }
  } catch {
    // fall through
  }
  throw new EvidenceQueryError('the cursor is not one this listing returned');
}

function pageSize(limit: number | undefined): number {
  const n = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new EvidenceQueryError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}

interface EvidenceRow {
  id: number;
  case_id: number;
  customer_id: number;
  occurred_at: Date;
  cursor_at: string;
  channel: Channel;
  destination: string;
  dialing_mode: string | null;
  decision: ContactDecision;
  rule: string | null;
  reason: string | null;
  rule_pack_version: string;
  deferred_until: Date | null;
  agent_id: number | null;
  outcome: string | null;
  evidence?: Record<string, unknown>;
}

/** Decisions matching the filter, newest first. */
export async function listContactEvidence(
  db: Db,
  filter: ContactEvidenceFilter,
  page: PageRequest = {},
): Promise<Page<ContactEvidenceItem>> {
  const limit = pageSize(page.limit);
  const cursor = page.cursor ? decodeCursor(page.cursor) : null;
  // A rule is only set on refusals: saying so lets the (decision, rule, occurred_at) index serve it.
  const decisions = filter.decisions ?? (filter.rule !== undefined ? REFUSALS : undefined);
  const conditions = [
    filter.caseId !== undefined ? sql`case_id = ${filter.caseId}` : null,
    filter.rule !== undefined ? sql`rule = ${filter.rule}` : null,
    decisions ? sql`decision = ANY(${[...decisions]}::text[])` : null,
    filter.channel !== undefined ? sql`channel = ${filter.channel}` : null,
    filter.from ? sql`occurred_at >= ${filter.from}` : null,
    filter.to ? sql`occurred_at < ${filter.to}` : null,
    cursor ? sql`(occurred_at, id) < (${cursor.at}::timestamptz, ${cursor.id})` : null,
  ].filter((c) => c !== null);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const { rows } = await sql<EvidenceRow>`
    SELECT id, case_id, customer_id, occurred_at,
           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
           channel, destination, dialing_mode, decision, rule,
           coalesce(evidence->'decision'->>'reason', evidence->'summary'->>'reason') AS reason,
           rule_pack_version, deferred_until, agent_id, outcome
           ${page.includeEvidence ? sql`, evidence` : sql``}
    FROM contact_attempts
    ${where}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${limit + 1}`.execute(db);
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      customerId: r.customer_id,
      occurredAt: r.occurred_at,
      channel: r.channel,
      destination: r.destination,
      dialingMode: r.dialing_mode,
      decision: r.decision,
      rule: r.rule,
      reason: r.reason,
      rulePackVersion: r.rule_pack_version,
      deferredUntil: r.deferred_until,
      agentId: r.agent_id,
      outcome: r.outcome,
      ...(r.evidence !== undefined ? { evidence: r.evidence } : {}),
    })),
    nextCursor: more && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}

/** Every decision about one case (its timeline of contact compliance). */
export function contactEvidenceForCase(
  db: Db,
  caseId: number,
  options: Omit<ContactEvidenceFilter, 'caseId'> & PageRequest = {},
): Promise<Page<ContactEvidenceItem>> {
  const { limit, cursor, includeEvidence, ...filter } = options;
  return listContactEvidence(db, { ...filter, caseId }, { limit, cursor, includeEvidence });
}

/** What one rule refused in a period. */
export function contactEvidenceForRule(
  db: Db,
  rule: string,
  period: { from: Date; to: Date },
  options: Omit<ContactEvidenceFilter, 'rule' | 'from' | 'to'> & PageRequest = {},
): Promise<Page<ContactEvidenceItem>> {
  const { limit, cursor, includeEvidence, ...filter } = options;
  return listContactEvidence(db, { ...filter, rule, ...period }, { limit, cursor, includeEvidence });
}

/** Every decision of a period; by default only the refusals (blocked, deferred, held). */
export function contactEvidenceForPeriod(
  db: Db,
  period: { from: Date; to: Date },
  options: Omit<ContactEvidenceFilter, 'from' | 'to'> & PageRequest = {},
): Promise<Page<ContactEvidenceItem>> {
  const { limit, cursor, includeEvidence, ...filter } = options;
  return listContactEvidence(
    db,
    { decisions: REFUSALS, ...filter, ...period },
    { limit, cursor, includeEvidence },
  );
}

export interface RuleCount {
  rule: string;
  decision: ContactDecision;
  rulePackVersion: string;
  count: number;
  /** count ÷ every decision of the period: the blocked-attempt rate of this rule. */
  rate: number;
}

export interface DecisionCounts {
  from: Date;
  to: Date;
  /** Every decision of the period, allowed ones included (the KPI's denominator). */
  total: number;
  allowed: number;
  byRule: RuleCount[];
}

/** The counts behind "blocked-attempt rate by rule" for a period, per rule, decision and pack version. */
export async function contactDecisionCounts(
  db: Db,
  period: { from: Date; to: Date },
): Promise<DecisionCounts> {
  const { rows } = await sql<{
    rule: string | null;
    decision: ContactDecision;
    rule_pack_version: string;
    count: number;
  }>`
    SELECT rule, decision, rule_pack_version, count(*)::int AS count
    FROM contact_attempts
    WHERE occurred_at >= ${period.from} AND occurred_at < ${period.to}
    GROUP BY rule, decision, rule_pack_version`.execute(db);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const allowed = rows.filter((r) => r.decision === 'allowed').reduce((sum, r) => sum + r.count, 0);
  const byRule = rows
    .filter((r) => r.decision !== 'allowed' && r.rule !== null)
    .map((r) => ({
      rule: r.rule!,
      decision: r.decision,
      rulePackVersion: r.rule_pack_version,
      count: r.count,
      rate: total === 0 ? 0 : r.count / total,
    }))
    .sort(
      (a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.decision.localeCompare(b.decision),
    );
  return { from: period.from, to: period.to, total, allowed, byRule };
}

// ---------------------------------------------------------------------------------------------
// Retention.

export interface PurgeOptions {
  /** Evidence recorded before this instant goes. */
  olderThan: Date;
  /** The configured retention (CONTACT_EVIDENCE_RETENTION_DAYS): nothing younger than this is purged. */
  retentionDays: number;
  /** Today, for the retention check. */
  now: Date;
  /** Also delete, row by row, what is older than `olderThan` in a month not entirely past it. Default false. */
  exact?: boolean;
  /** Rows per delete statement. */
  batchSize?: number;
}

export interface PurgeResult {
  cutoff: Date;
  droppedPartitions: string[];
  deletedRows: number;
  deletedKeys: number;
}

/** The instant before which evidence may go under a retention of `retentionDays`. */
export function contactEvidenceCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
}

interface PartitionRow {
  name: string;
  bound: string;
}

/** `FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00')` → the two instants. */
function partitionRange(bound: string): { from: number; to: number } | null {
  const m = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(bound);
  if (!m) return null;
  const instant = (text: string) => Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  const from = instant(m[1]!);
  const to = instant(m[2]!);
  return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : null;
}

/**
 * Removes contact-policy evidence older than `olderThan`, never younger than the retention.
 * A month partition entirely older is detached and dropped (no row-by-row delete, no bloat);
 * rows parked in the default partition are deleted; with `exact`, so are the older rows of the
 * month the cutoff falls in (otherwise they go when their whole month is past: evidence is then
 * kept between the retention and the retention plus one month, which "at least" allows). The
 * idempotency keys of purged rows go with them. Safe to run daily, beside writes and partition
 * maintenance: a detach briefly takes the parent table's exclusive lock (lock_timeout 10 s, then
 * the purge fails and the next run retries).
 */
export async function purgeContactEvidence(db: Db, options: PurgeOptions): Promise<PurgeResult> {
  const limit = contactEvidenceCutoff(options.now, options.retentionDays);
  if (options.olderThan.getTime() > limit.getTime()) {
    throw new EvidenceQueryError(
      `refusing to purge contact evidence younger than the retention of ${options.retentionDays} days ` +
        `(asked for before ${options.olderThan.toISOString()}, the earliest allowed cutoff is ${limit.toISOString()})`,
    );
  }
  const cutoff = options.olderThan;
  const batchSize = options.batchSize ?? 10_000;
  const result: PurgeResult = { cutoff, droppedPartitions: [], deletedRows: 0, deletedKeys: 0 };

  const deleteOlder = async (handle: Db, partition: string): Promise<void> => {
    for (;;) {
      const { rows } = await sql<{ rows: number; keys: number }>`
        WITH gone AS (
          DELETE FROM ${sql.table(partition)}
          WHERE id IN (SELECT id FROM ${sql.table(partition)} WHERE occurred_at < ${cutoff} LIMIT ${batchSize})
            AND occurred_at < ${cutoff}
          RETURNING idempotency_key
        ), keys AS (
          DELETE FROM idempotency_keys k USING gone
          WHERE k.scope = 'contact_attempts' AND k.key = gone.idempotency_key
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone)::int AS rows, (SELECT count(*) FROM keys)::int AS keys`.execute(
        handle,
      );
      const done = rows[0] ?? { rows: 0, keys: 0 };
      result.deletedRows += done.rows;
      result.deletedKeys += done.keys;
      if (done.rows < batchSize) return;
    }
  };

  // Partition maintenance (ensure_partitions) moves rows out of the default partition into new
  // months: holding its lock keeps the list of partitions and the default's rows still meanwhile.
  const partial = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('ensure_partitions'))`.execute(trx);
    await sql`SET LOCAL lock_timeout = '10s'`.execute(trx);
    const { rows: partitions } = await sql<PartitionRow>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'contact_attempts'::regclass
      ORDER BY c.relname`.execute(trx);
    const straddling: string[] = [];
    for (const p of partitions) {
      if (p.bound === 'DEFAULT') {
        await deleteOlder(trx, p.name);
        continue;
      }
      const range = partitionRange(p.bound);
      if (!range || range.from >= cutoff.getTime()) continue;
      if (range.to > cutoff.getTime()) {
        straddling.push(p.name);
        continue;
      }
      const keys = await sql`
        DELETE FROM idempotency_keys k USING ${sql.table(p.name)} a
        WHERE k.scope = 'contact_attempts' AND k.key = a.idempotency_key`.execute(trx);
      const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(p.name)}`.execute(
        trx,
      );
      await sql`ALTER TABLE contact_attempts DETACH PARTITION ${sql.table(p.name)}`.execute(trx);
      await sql`DROP TABLE ${sql.table(p.name)}`.execute(trx);
      result.deletedKeys += Number(keys.numAffectedRows ?? 0n);
      result.deletedRows += counted.rows[0]?.n ?? 0;
      result.droppedPartitions.push(p.name);
    }
    return straddling;
  });

  // The month the cutoff falls in: row by row, in batches of their own transactions.
  if (options.exact) for (const name of partial) await deleteOlder(db, name);
  return result;
}
