import { type Kysely, sql } from 'kysely';
import { announceLoanUpdates, markCures, openCases, revertCures } from '../repositories/cases';
import type { Database, IntakeKind } from '../schema';
import { PAYMENT_RECEIVED, PAYMENT_REVERSED, PAYMENTS_TOPIC } from './hooks';

/**
 * Set-based merge of one staged chunk into the portfolio, inside the chunk's transaction.
 * Rows the database can judge (unknown customer or loan, stale as_of, duplicate in the
 * chunk, wrong currency) are moved from the staging table to intake_errors; the rest are
 * upserted only where something actually changed, so re-importing a file writes nothing.
 */

type Db = Kysely<Database>;

export interface StageTable {
  name: string;
  /** COPY column list, in the order fields.ts writes them (after `line`). */
  columns: string;
  ddl: string;
}

const stage = (name: string, columns: [string, string][]): StageTable => ({
  name,
  columns: ['line', ...columns.map(([c]) => c)].join(', '),
  ddl: `CREATE TEMP TABLE IF NOT EXISTS ${name} (line bigint NOT NULL, ${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`,
});

export const STAGES: Record<IntakeKind, StageTable[]> = {
  customers: [
    stage('intake_stage_customers', [
      ['customer_number', 'text'],
      ['given_name', 'text'],
      ['middle_name', 'text'],
      ['family_name', 'text'],
      ['date_of_birth', 'date'],
      ['national_id', 'text'],
      ['country', 'char(2)'],
      ['region', 'text'],
      ['language', 'text'],
      ['segment', 'text'],
      ['deceased', 'boolean'],
      ['vulnerable', 'boolean'],
      ['bankruptcy', 'boolean'],
      ['hardship', 'boolean'],
      ['attorney_represented', 'boolean'],
      ['attorney_contact', 'text'],
      ['cease_communication', 'boolean'],
      ['breathing_space_until', 'date'],
      ['inconvenient_times', 'jsonb'],
      ['inconvenient_places', 'text[]'],
      ['inconvenient_channels', 'text[]'],
      ['address_line1', 'text'],
      ['address_line2', 'text'],
      ['city', 'text'],
      ['postal_code', 'text'],
      ['address_time_zone', 'text'],
      ['address_time_zone_source', 'text'],
      ['mail_opt_out', 'boolean'],
    ]),
    stage('intake_stage_phones', [
      ['customer_number', 'text'],
      ['kind', 'text'],
      ['number_e164', 'text'],
      ['country', 'char(2)'],
      ['time_zones', 'text[]'],
      ['time_zone_source', 'text'],
      ['sms_consent', 'boolean'],
      ['autodial_consent', 'boolean'],
      ['sms_opt_out', 'boolean'],
      ['call_opt_out', 'boolean'],
    ]),
    stage('intake_stage_emails', [
      ['customer_number', 'text'],
      ['address', 'text'],
      ['email_consent', 'boolean'],
      ['opt_out', 'boolean'],
    ]),
  ],
  loans: [
    stage('intake_stage_loans', [
      ['loan_number', 'text'],
      ['customer_number', 'text'],
      ['product', 'text'],
      ['currency', 'char(3)'],
      ['principal_minor', 'bigint'],
      ['outstanding_minor', 'bigint'],
      ['overdue_minor', 'bigint'],
      ['instalment_minor', 'bigint'],
      ['opened_on', 'date'],
      ['next_due_date', 'date'],
      ['oldest_unpaid_due_date', 'date'],
      ['dpd', 'integer'],
      ['bucket', 'text'],
      ['status', 'text'],
      ['disputed', 'boolean'],
      ['as_of', 'date'],
    ]),
  ],
  payments: [
    stage('intake_stage_payments', [
      ['payment_ref', 'text'],
      ['loan_number', 'text'],
      ['kind', 'text'],
      ['amount_minor', 'bigint'],
      ['currency', 'char(3)'],
      ['paid_at', 'timestamptz'],
      ['method', 'text'],
      ['reverses_payment_ref', 'text'],
    ]),
  ],
};

const WORK_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS intake_resolved_loans (LIKE intake_stage_loans,
     customer_id bigint, loan_id bigint, prev_dpd integer, prev_as_of date, unchanged boolean NOT NULL)`,
  'CREATE TEMP TABLE IF NOT EXISTS intake_prev_loans (id bigint PRIMARY KEY, dpd integer NOT NULL)',
  'CREATE TEMP TABLE IF NOT EXISTS intake_changed (id bigint NOT NULL, inserted boolean NOT NULL)',
  'CREATE TEMP TABLE IF NOT EXISTS intake_touched (id bigint NOT NULL)',
];

export async function createStageTables(db: Db): Promise<void> {
  // Every stage of every kind exists, so the work tables can be defined LIKE the stages.
  for (const stages of Object.values(STAGES)) for (const s of stages) await sql.raw(s.ddl).execute(db);
  for (const ddl of WORK_TABLES) await sql.raw(ddl).execute(db);
  // Statistics of these small session tables only steer join choices: a small sample will do.
  await sql`SET default_statistics_target = 10`.execute(db);
}

export async function clearStageTables(db: Db, kind: IntakeKind): Promise<void> {
  const names = [
    ...STAGES[kind].map((s) => s.name),
    'intake_resolved_loans',
    'intake_prev_loans',
    'intake_changed',
    'intake_touched',
  ];
  await sql.raw(`TRUNCATE ${names.join(', ')}`).execute(db);
}

export interface MergeResult {
  /** Lines the database rejected (reasons are in intake_errors). */
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  openedCaseIds: number[];
  curedCaseIds: number[];
  paymentIds: number[];
}

async function reject(db: Db, runId: number, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH gone AS (${query}), recorded AS (
      INSERT INTO intake_errors (run_id, line, field, reason)
      SELECT ${runId}::bigint, line, field, reason FROM gone
      ON CONFLICT DO NOTHING
    )
    SELECT count(DISTINCT line)::int AS n FROM gone`.execute(db);
  return rows[0]?.n ?? 0;
}

async function stagedCount(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
  return rows[0]?.n ?? 0;
}

async function changedCounts(db: Db): Promise<{ inserted: number; updated: number }> {
  const { rows } = await sql<{ inserted: number; updated: number }>`
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
           (SELECT count(DISTINCT t.id) FROM (SELECT id FROM intake_changed WHERE NOT inserted UNION SELECT id FROM intake_touched) t
             WHERE t.id NOT IN (SELECT id FROM intake_changed WHERE inserted))::int AS updated
    FROM intake_changed`.execute(db);
  return { inserted: rows[0]?.inserted ?? 0, updated: rows[0]?.updated ?? 0 };
}

async function mergeLoans(db: Db, runId: number, actor: string): Promise<MergeResult> {
  let rejected = await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_loans s USING intake_stage_loans t
        WHERE s.loan_number = t.loan_number AND s.line < t.line
        RETURNING s.line, 'loan_number' AS field,
          'the same loan appears again on line ' || t.line || '; the later row is loaded' AS reason`,
  );
  // One pass resolves every staged row against customers and loans; the checks and the
  // upsert below then read the resolved rows without joining again.
  await sql`
    INSERT INTO intake_resolved_loans
    SELECT s.*, c.id, l.id, l.dpd, l.as_of,
           l.id IS NOT NULL
             AND (l.customer_id, l.product, l.currency, l.principal_minor, l.outstanding_minor, l.overdue_minor,
                  l.instalment_minor, l.opened_on, l.next_due_date, l.oldest_unpaid_due_date, l.dpd, l.bucket, l.status,
                  l.disputed)
                 IS NOT DISTINCT FROM
                 (c.id, s.product, s.currency, s.principal_minor, s.outstanding_minor, s.overdue_minor,
                  s.instalment_minor, s.opened_on, s.next_due_date, s.oldest_unpaid_due_date, s.dpd, s.bucket, s.status,
                  s.disputed)
    FROM intake_stage_loans s
    LEFT JOIN customers c ON c.customer_number = s.customer_number
    LEFT JOIN loans l ON l.loan_number = s.loan_number`.execute(db);
  rejected += await reject(
    db,
    runId,
    sql`DELETE FROM intake_resolved_loans WHERE customer_id IS NULL
        RETURNING line, 'customer_number' AS field,
          'no customer ' || customer_number || ' is loaded (import the customers file first)' AS reason`,
  );
  rejected += await reject(
    db,
    runId,
    sql`DELETE FROM intake_resolved_loans WHERE prev_as_of > as_of
        RETURNING line, 'as_of' AS field,
          as_of || ' is older than the data already loaded for this loan (' || prev_as_of || '); row ignored' AS reason`,
  );
  const staged = await stagedCount(db, 'intake_resolved_loans');
  await sql`INSERT INTO intake_prev_loans (id, dpd)
            SELECT loan_id, prev_dpd FROM intake_resolved_loans WHERE loan_id IS NOT NULL`.execute(db);
  await sql`
    WITH upserted AS (
      INSERT INTO loans (loan_number, customer_id, product, currency, principal_minor, outstanding_minor, overdue_minor,
                         instalment_minor, opened_on, next_due_date, oldest_unpaid_due_date, dpd, bucket, status, disputed, as_of)
      SELECT s.loan_number, s.customer_id, s.product, s.currency, s.principal_minor, s.outstanding_minor,
             s.overdue_minor, s.instalment_minor, s.opened_on, s.next_due_date, s.oldest_unpaid_due_date, s.dpd,
             s.bucket, s.status, s.disputed, s.as_of
      FROM intake_resolved_loans s
      -- Unchanged rows are left alone: not even locked by ON CONFLICT.
      WHERE NOT s.unchanged
      ORDER BY s.line
      ON CONFLICT (loan_number) DO UPDATE SET
        customer_id = EXCLUDED.customer_id, product = EXCLUDED.product, currency = EXCLUDED.currency,
        principal_minor = EXCLUDED.principal_minor, outstanding_minor = EXCLUDED.outstanding_minor,
        overdue_minor = EXCLUDED.overdue_minor, instalment_minor = EXCLUDED.instalment_minor,
        opened_on = EXCLUDED.opened_on, next_due_date = EXCLUDED.next_due_date,
        oldest_unpaid_due_date = EXCLUDED.oldest_unpaid_due_date, dpd = EXCLUDED.dpd, bucket = EXCLUDED.bucket,
        status = EXCLUDED.status, disputed = EXCLUDED.disputed, as_of = EXCLUDED.as_of, updated_at = now()
      WHERE (loans.customer_id, loans.product, loans.currency, loans.principal_minor, loans.outstanding_minor,
             loans.overdue_minor, loans.instalment_minor, loans.opened_on, loans.next_due_date,
             loans.oldest_unpaid_due_date, loans.dpd, loans.bucket, loans.status, loans.disputed)
        IS DISTINCT FROM
            (EXCLUDED.customer_id, EXCLUDED.product, EXCLUDED.currency, EXCLUDED.principal_minor,
             EXCLUDED.outstanding_minor, EXCLUDED.overdue_minor, EXCLUDED.instalment_minor, EXCLUDED.opened_on,
             EXCLUDED.next_due_date, EXCLUDED.oldest_unpaid_due_date, EXCLUDED.dpd, EXCLUDED.bucket, EXCLUDED.status,
             EXCLUDED.disputed)
      RETURNING id, (xmax = 0) AS inserted
    )
    INSERT INTO intake_changed (id, inserted) SELECT id, inserted FROM upserted`.execute(db);
  // Temporary tables get no statistics from autovacuum; without them the transitions below
  // can pick nested loops over the whole chunk.
  await sql`ANALYZE intake_prev_loans, intake_changed`.execute(db);

  // A loan crosses into delinquency when it arrives delinquent or moves from DPD 0 to 1+.
  const crossed = sql`
    SELECT ch.id FROM intake_changed ch JOIN loans l ON l.id = ch.id LEFT JOIN intake_prev_loans p ON p.id = ch.id
    WHERE l.dpd >= 1 AND (p.id IS NULL OR p.dpd = 0)`;
  const changed = sql`SELECT id FROM intake_changed`;
  const opened = await openCases(db, crossed, { actor, returnIds: true });
  const cured = await markCures(db, changed, { actor, returnIds: true });
  await revertCures(db, changed, { actor, returnIds: true });
  await announceLoanUpdates(db, sql`SELECT id FROM intake_changed WHERE NOT inserted`, {
    actor,
    except: opened.caseIds,
  });
  const { inserted, updated } = await changedCounts(db);
  return {
    rejected,
    inserted,
    updated,
    unchanged: staged - inserted - updated,
    openedCaseIds: opened.caseIds,
    curedCaseIds: cured.caseIds,
    paymentIds: [],
  };
}

async function mergeCustomers(db: Db, runId: number): Promise<MergeResult> {
  const rejected = await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_customers s USING intake_stage_customers t
        WHERE s.customer_number = t.customer_number AND s.line < t.line
        RETURNING s.line, 'customer_number' AS field,
          'the same customer appears again on line ' || t.line || '; the later row is loaded' AS reason`,
  );
  await sql`DELETE FROM intake_stage_phones p WHERE NOT EXISTS (SELECT 1 FROM intake_stage_customers s WHERE s.line = p.line)`.execute(
    db,
  );
  await sql`DELETE FROM intake_stage_emails e WHERE NOT EXISTS (SELECT 1 FROM intake_stage_customers s WHERE s.line = e.line)`.execute(
    db,
  );
  const staged = await stagedCount(db, 'intake_stage_customers');

  await sql`
    WITH upserted AS (
      INSERT INTO customers (customer_number, given_name, middle_name, family_name, date_of_birth, national_id, country,
                             region, language, segment, deceased, vulnerable, bankruptcy, hardship, attorney_represented,
                             attorney_contact, cease_communication, breathing_space_until, inconvenient_times,
                             inconvenient_places, inconvenient_channels)
      SELECT customer_number, given_name, middle_name, family_name, date_of_birth, national_id, country, region, language,
             segment, deceased, vulnerable, bankruptcy, hardship, attorney_represented, attorney_contact,
             cease_communication, breathing_space_until, inconvenient_times, inconvenient_places, inconvenient_channels
      FROM intake_stage_customers s
      -- Identical rows are skipped before ON CONFLICT, which would lock them (and dirty their pages).
      WHERE NOT EXISTS (
        SELECT 1 FROM customers x
        WHERE x.customer_number = s.customer_number
          AND (x.given_name, x.middle_name, x.family_name, x.date_of_birth, x.national_id, x.country, x.region,
               x.language, x.segment, x.deceased, x.vulnerable, x.bankruptcy, x.hardship, x.attorney_represented,
               x.attorney_contact, x.cease_communication, x.breathing_space_until, x.inconvenient_times,
               x.inconvenient_places, x.inconvenient_channels)
              IS NOT DISTINCT FROM
              (s.given_name, s.middle_name, s.family_name, s.date_of_birth, s.national_id, s.country, s.region,
               s.language, s.segment, s.deceased, s.vulnerable, s.bankruptcy, s.hardship, s.attorney_represented,
               s.attorney_contact, s.cease_communication, s.breathing_space_until, s.inconvenient_times,
               s.inconvenient_places, s.inconvenient_channels))
      ORDER BY line
      ON CONFLICT (customer_number) DO UPDATE SET
        given_name = EXCLUDED.given_name, middle_name = EXCLUDED.middle_name, family_name = EXCLUDED.family_name,
        date_of_birth = EXCLUDED.date_of_birth, national_id = EXCLUDED.national_id, country = EXCLUDED.country,
        region = EXCLUDED.region, language = EXCLUDED.language, segment = EXCLUDED.segment,
        deceased = EXCLUDED.deceased, vulnerable = EXCLUDED.vulnerable, bankruptcy = EXCLUDED.bankruptcy,
        hardship = EXCLUDED.hardship, attorney_represented = EXCLUDED.attorney_represented,
        attorney_contact = EXCLUDED.attorney_contact, cease_communication = EXCLUDED.cease_communication,
        breathing_space_until = EXCLUDED.breathing_space_until, inconvenient_times = EXCLUDED.inconvenient_times,
        inconvenient_places = EXCLUDED.inconvenient_places, inconvenient_channels = EXCLUDED.inconvenient_channels,
        updated_at = now()
      WHERE (customers.given_name, customers.middle_name, customers.family_name, customers.date_of_birth,
             customers.national_id, customers.country, customers.region, customers.language, customers.segment,
             customers.deceased, customers.vulnerable, customers.bankruptcy, customers.hardship,
             customers.attorney_represented, customers.attorney_contact, customers.cease_communication,
             customers.breathing_space_until, customers.inconvenient_times, customers.inconvenient_places,
             customers.inconvenient_channels)
        IS DISTINCT FROM
            (EXCLUDED.given_name, EXCLUDED.middle_name, EXCLUDED.family_name, EXCLUDED.date_of_birth,
             EXCLUDED.national_id, EXCLUDED.country, EXCLUDED.region, EXCLUDED.language, EXCLUDED.segment,
             EXCLUDED.deceased, EXCLUDED.vulnerable, EXCLUDED.bankruptcy, EXCLUDED.hardship,
             EXCLUDED.attorney_represented, EXCLUDED.attorney_contact, EXCLUDED.cease_communication,
             EXCLUDED.breathing_space_until, EXCLUDED.inconvenient_times, EXCLUDED.inconvenient_places,
             EXCLUDED.inconvenient_channels)
      RETURNING id, (xmax = 0) AS inserted
    )
    INSERT INTO intake_changed (id, inserted) SELECT id, inserted FROM upserted`.execute(db);

  await sql`
    WITH upserted AS (
      INSERT INTO customer_addresses (customer_id, kind, line1, line2, city, region, postal_code, country, time_zone,
                                      time_zone_source, mail_opt_out_at)
      SELECT c.id, 'home', s.address_line1, s.address_line2, s.city, s.region, s.postal_code, s.country,
             s.address_time_zone, s.address_time_zone_source, CASE WHEN s.mail_opt_out THEN now() END
      FROM intake_stage_customers s JOIN customers c USING (customer_number)
      WHERE NOT EXISTS (
        SELECT 1 FROM customer_addresses a
        WHERE a.customer_id = c.id AND a.kind = 'home' AND a.removed_at IS NULL
          AND (a.mail_opt_out_at IS NOT NULL OR NOT s.mail_opt_out)
          AND (a.line1, a.line2, a.city, a.region, a.postal_code, a.country, a.time_zone, a.time_zone_source)
              IS NOT DISTINCT FROM
              (s.address_line1, s.address_line2, s.city, s.region, s.postal_code, s.country, s.address_time_zone,
               s.address_time_zone_source))
      ON CONFLICT (customer_id, kind) DO UPDATE SET
        line1 = EXCLUDED.line1, line2 = EXCLUDED.line2, city = EXCLUDED.city, region = EXCLUDED.region,
        postal_code = EXCLUDED.postal_code, country = EXCLUDED.country, time_zone = EXCLUDED.time_zone,
        time_zone_source = EXCLUDED.time_zone_source,
        mail_opt_out_at = COALESCE(customer_addresses.mail_opt_out_at, EXCLUDED.mail_opt_out_at),
        removed_at = NULL, updated_at = now()
      WHERE (customer_addresses.line1, customer_addresses.line2, customer_addresses.city, customer_addresses.region,
             customer_addresses.postal_code, customer_addresses.country, customer_addresses.time_zone,
             customer_addresses.time_zone_source)
          IS DISTINCT FROM
            (EXCLUDED.line1, EXCLUDED.line2, EXCLUDED.city, EXCLUDED.region, EXCLUDED.postal_code, EXCLUDED.country,
             EXCLUDED.time_zone, EXCLUDED.time_zone_source)
         OR customer_addresses.removed_at IS NOT NULL
         OR (customer_addresses.mail_opt_out_at IS NULL AND EXCLUDED.mail_opt_out_at IS NOT NULL)
      RETURNING customer_id
    )
    INSERT INTO intake_touched (id) SELECT customer_id FROM upserted`.execute(db);

  await sql`
    WITH upserted AS (
      INSERT INTO customer_phones (customer_id, kind, number_e164, country, time_zones, time_zone_source, sms_consent,
                                   autodial_consent, call_opt_out_at, sms_opt_out_at)
      SELECT c.id, p.kind, p.number_e164, p.country, p.time_zones, p.time_zone_source, p.sms_consent,
             p.autodial_consent, CASE WHEN p.call_opt_out THEN now() END, CASE WHEN p.sms_opt_out THEN now() END
      FROM intake_stage_phones p JOIN customers c USING (customer_number)
      WHERE NOT EXISTS (
        SELECT 1 FROM customer_phones x
        WHERE x.customer_id = c.id AND x.number_e164 = p.number_e164 AND x.removed_at IS NULL
          AND (x.call_opt_out_at IS NOT NULL OR NOT p.call_opt_out)
          AND (x.sms_opt_out_at IS NOT NULL OR NOT p.sms_opt_out)
          AND (x.kind, x.country, x.time_zones, x.time_zone_source, x.sms_consent, x.autodial_consent)
              IS NOT DISTINCT FROM (p.kind, p.country, p.time_zones, p.time_zone_source, p.sms_consent, p.autodial_consent))
      ON CONFLICT (customer_id, number_e164) DO UPDATE SET
        kind = EXCLUDED.kind, country = EXCLUDED.country, time_zones = EXCLUDED.time_zones,
        time_zone_source = EXCLUDED.time_zone_source, sms_consent = EXCLUDED.sms_consent,
        autodial_consent = EXCLUDED.autodial_consent,
        call_opt_out_at = COALESCE(customer_phones.call_opt_out_at, EXCLUDED.call_opt_out_at),
        sms_opt_out_at = COALESCE(customer_phones.sms_opt_out_at, EXCLUDED.sms_opt_out_at),
        removed_at = NULL, updated_at = now()
      WHERE (customer_phones.kind, customer_phones.country, customer_phones.time_zones,
             customer_phones.time_zone_source, customer_phones.sms_consent, customer_phones.autodial_consent)
          IS DISTINCT FROM
            (EXCLUDED.kind, EXCLUDED.country, EXCLUDED.time_zones, EXCLUDED.time_zone_source, EXCLUDED.sms_consent,
             EXCLUDED.autodial_consent)
         OR customer_phones.removed_at IS NOT NULL
         OR (customer_phones.call_opt_out_at IS NULL AND EXCLUDED.call_opt_out_at IS NOT NULL)
         OR (customer_phones.sms_opt_out_at IS NULL AND EXCLUDED.sms_opt_out_at IS NOT NULL)
      RETURNING customer_id
    ), removed AS (
      UPDATE customer_phones p SET removed_at = now(), updated_at = now()
      FROM intake_stage_customers s JOIN customers c USING (customer_number)
      WHERE p.customer_id = c.id AND p.removed_at IS NULL AND p.kind <> 'other'
        AND NOT EXISTS (SELECT 1 FROM intake_stage_phones sp
                        WHERE sp.customer_number = s.customer_number AND sp.number_e164 = p.number_e164)
      RETURNING p.customer_id
    )
    INSERT INTO intake_touched (id) SELECT customer_id FROM upserted UNION ALL SELECT customer_id FROM removed`.execute(
    db,
  );

  await sql`
    WITH upserted AS (
      INSERT INTO customer_emails (customer_id, kind, address, email_consent, opt_out_at)
      SELECT c.id, 'personal', e.address, e.email_consent, CASE WHEN e.opt_out THEN now() END
      FROM intake_stage_emails e JOIN customers c USING (customer_number)
      WHERE NOT EXISTS (
        SELECT 1 FROM customer_emails x
        WHERE x.customer_id = c.id AND x.address = e.address AND x.removed_at IS NULL
          AND x.email_consent = e.email_consent AND (x.opt_out_at IS NOT NULL OR NOT e.opt_out))
      ON CONFLICT (customer_id, address) DO UPDATE SET
        email_consent = EXCLUDED.email_consent,
        opt_out_at = COALESCE(customer_emails.opt_out_at, EXCLUDED.opt_out_at),
        removed_at = NULL, updated_at = now()
      WHERE customer_emails.email_consent IS DISTINCT FROM EXCLUDED.email_consent
         OR customer_emails.removed_at IS NOT NULL
         OR (customer_emails.opt_out_at IS NULL AND EXCLUDED.opt_out_at IS NOT NULL)
      RETURNING customer_id
    ), removed AS (
      UPDATE customer_emails m SET removed_at = now(), updated_at = now()
      FROM intake_stage_customers s JOIN customers c USING (customer_number)
      WHERE m.customer_id = c.id AND m.removed_at IS NULL AND m.kind = 'personal'
        AND NOT EXISTS (SELECT 1 FROM intake_stage_emails se
                        WHERE se.customer_number = s.customer_number AND se.address = m.address)
      RETURNING m.customer_id
    )
    INSERT INTO intake_touched (id) SELECT customer_id FROM upserted UNION ALL SELECT customer_id FROM removed`.execute(
    db,
  );

  await sql`ANALYZE intake_changed, intake_touched`.execute(db);
  const { inserted, updated } = await changedCounts(db);
  return {
    rejected,
    inserted,
    updated,
    unchanged: staged - inserted - updated,
    openedCaseIds: [],
    curedCaseIds: [],
    paymentIds: [],
  };
}

async function mergePayments(db: Db, runId: number, actor: string): Promise<MergeResult> {
  let rejected = await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_payments s USING intake_stage_payments t
        WHERE s.payment_ref = t.payment_ref AND s.line > t.line
        RETURNING s.line, 'payment_ref' AS field, 'repeats the payment on line ' || t.line || '; ignored' AS reason`,
  );
  rejected += await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_payments s
        WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.loan_number = s.loan_number)
        RETURNING s.line, 'loan_number' AS field, 'no loan ' || s.loan_number || ' is loaded' AS reason`,
  );
  rejected += await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_payments s USING loans l
        WHERE l.loan_number = s.loan_number AND l.currency <> s.currency
        RETURNING s.line, 'currency' AS field,
          s.currency || ' is not the loan''s currency (' || l.currency || ')' AS reason`,
  );
  rejected += await reject(
    db,
    runId,
    sql`DELETE FROM intake_stage_payments s
        WHERE s.kind = 'reversal'
          AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.scope = 'payments' AND k.key = s.reverses_payment_ref)
          AND NOT EXISTS (SELECT 1 FROM intake_stage_payments t WHERE t.payment_ref = s.reverses_payment_ref AND t.kind = 'payment')
        RETURNING s.line, 'reverses_payment_ref' AS field,
          'no payment ' || s.reverses_payment_ref || ' is loaded to reverse' AS reason`,
  );
  const staged = await stagedCount(db, 'intake_stage_payments');
  const { rows } = await sql<{ id: number; case_id: number | null }>`
    WITH inserted AS (
      INSERT INTO payments (payment_ref, loan_id, case_id, kind, amount_minor, currency, paid_at, method,
                            reverses_payment_ref, source, intake_run_id)
      SELECT s.payment_ref, l.id, c.id, s.kind, s.amount_minor, s.currency, s.paid_at, s.method,
             s.reverses_payment_ref, 'intake', ${runId}::bigint
      FROM intake_stage_payments s
      JOIN loans l ON l.loan_number = s.loan_number
      LEFT JOIN cases c ON c.loan_id = l.id AND c.status = 'open'
      ORDER BY s.line
      RETURNING id, payment_ref, loan_id, case_id, kind, amount_minor, currency, paid_at
    ), described AS (
      SELECT id, case_id, paid_at, 'payment:' || payment_ref AS key,
             CASE kind WHEN 'reversal' THEN ${PAYMENT_REVERSED}::text ELSE ${PAYMENT_RECEIVED}::text END AS type,
             jsonb_build_object('paymentId', id, 'paymentRef', payment_ref, 'caseId', case_id, 'loanId', loan_id,
               'kind', kind, 'amountMinor', amount_minor, 'currency', currency, 'paidAt', paid_at) AS payload
      FROM inserted WHERE case_id IS NOT NULL
    ), events AS (
      INSERT INTO case_events (case_id, type, payload, actor, idempotency_key)
      SELECT case_id, type, payload, ${actor}::text, key FROM described
    ), messages AS (
      INSERT INTO outbox (topic, event_type, message_key, payload, dedupe_key)
      SELECT ${PAYMENTS_TOPIC}::text, type, case_id::text, payload, key FROM described
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    SELECT id, case_id FROM inserted`.execute(db);
  return {
    rejected,
    inserted: rows.length,
    updated: 0,
    unchanged: staged - rows.length,
    openedCaseIds: [],
    curedCaseIds: [],
    paymentIds: rows.filter((r) => r.case_id !== null).map((r) => r.id),
  };
}

export async function mergeChunk(
  db: Db,
  kind: IntakeKind,
  runId: number,
  actor: string,
): Promise<MergeResult> {
  for (const s of STAGES[kind]) await sql.raw(`ANALYZE ${s.name}`).execute(db);
  if (kind === 'loans') return mergeLoans(db, runId, actor);
  if (kind === 'customers') return mergeCustomers(db, runId);
  return mergePayments(db, runId, actor);
}
