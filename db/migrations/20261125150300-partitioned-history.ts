import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new one.
//
// The tables that grow without bound are range-partitioned by month on their time column,
// each with a DEFAULT partition as a safety net for rows outside the prepared months.
// ensure_partitions() prepares the months ahead and moves rows parked in a default
// partition into their month. A unique index on a partitioned table must contain the
// partition key, so global idempotency lives in the non-partitioned idempotency_keys table,
// claimed by a BEFORE INSERT trigger: a duplicate key makes the insert a silent no-op
// (INSERT ... RETURNING then returns no row), whichever process writes.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
async function run(db: Kysely<any>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await run(db, [
    `CREATE TABLE partitioned_tables (
      parent text PRIMARY KEY,
      partition_column text NOT NULL
    )`,
    `COMMENT ON TABLE partitioned_tables IS 'Tables partitioned by month that ensure_partitions() maintains.'`,

    `CREATE FUNCTION create_month_partition(p_parent text, p_month date) RETURNS boolean
    LANGUAGE plpgsql AS $$
    DECLARE
      v_column text;
      v_month date := date_trunc('month', p_month)::date;
      v_name text := p_parent || '_' || to_char(date_trunc('month', p_month), '"y"YYYY"m"MM');
      v_default text := p_parent || '_default';
      v_from timestamptz := v_month::timestamp AT TIME ZONE 'UTC';
      v_to timestamptz := (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
      v_parked boolean;
    BEGIN
      SELECT partition_column INTO STRICT v_column FROM partitioned_tables WHERE parent = p_parent;
      IF to_regclass(quote_ident(v_name)) IS NOT NULL THEN
        RETURN false;
      END IF;
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)', v_default, v_column, v_column)
        INTO v_parked USING v_from, v_to;
      IF v_parked THEN
        -- A new partition may not overlap rows held by the default partition: move them first.
        PERFORM set_config('collections.partition_maintenance', 'on', true);
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_parent);
        EXECUTE format(
          'WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
          v_default, v_column, v_column, v_name) USING v_from, v_to;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_parent, v_name, v_from, v_to);
        PERFORM set_config('collections.partition_maintenance', 'off', true);
      ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_name, p_parent, v_from, v_to);
      END IF;
      RETURN true;
    END $$`,

    `CREATE FUNCTION ensure_partitions(p_months_ahead integer DEFAULT 3) RETURNS integer
    LANGUAGE plpgsql AS $$
    DECLARE
      r record;
      m date;
      v_created integer := 0;
      v_this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('ensure_partitions'));
      FOR r IN SELECT parent, partition_column FROM partitioned_tables ORDER BY parent LOOP
        FOR m IN SELECT (v_this_month + make_interval(months => i))::date FROM generate_series(-1, p_months_ahead) AS i LOOP
          IF create_month_partition(r.parent, m) THEN v_created := v_created + 1; END IF;
        END LOOP;
        FOR m IN EXECUTE format('SELECT DISTINCT date_trunc(''month'', %I AT TIME ZONE ''UTC'')::date FROM %I ORDER BY 1',
                                r.partition_column, r.parent || '_default') LOOP
          IF create_month_partition(r.parent, m) THEN v_created := v_created + 1; END IF;
        END LOOP;
      END LOOP;
      RETURN v_created;
    END $$`,
    `COMMENT ON FUNCTION ensure_partitions(integer) IS 'Creates monthly partitions from last month to p_months_ahead ahead, and for every month parked in a default partition. Idempotent; serialised by an advisory lock.'`,

    `CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`,
    `COMMENT ON TABLE idempotency_keys IS 'Global uniqueness for keys of partitioned tables (scope = table). Purge keys together with the partitions their occurred_at falls in.'`,
    `CREATE FUNCTION claim_idempotency_key() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      v_key text;
      v_at timestamptz;
    BEGIN
      IF TG_ARGV[0] = 'payments' THEN
        v_key := NEW.payment_ref;
        v_at := NEW.paid_at;
      ELSE
        v_key := NEW.idempotency_key;
        v_at := NEW.occurred_at;
      END IF;
      INSERT INTO idempotency_keys (scope, key, occurred_at) VALUES (TG_ARGV[0], v_key, v_at) ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$`,
    `CREATE FUNCTION forbid_history_rewrite() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('collections.partition_maintenance', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
    END $$`,

    `CREATE TABLE case_events (
      id bigint GENERATED BY DEFAULT AS IDENTITY,
      case_id bigint NOT NULL REFERENCES cases (id),
      type text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      actor text NOT NULL,
      idempotency_key text NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`,
    `COMMENT ON TABLE case_events IS 'The append-only case timeline. idempotency_key is unique across all partitions (idempotency_keys, scope case_events).'`,
    `CREATE INDEX case_events_case_idx ON case_events (case_id, occurred_at)`,
    `CREATE INDEX case_events_type_idx ON case_events (type, occurred_at)`,
    `CREATE TABLE case_events_default PARTITION OF case_events DEFAULT`,
    `CREATE TRIGGER case_events_idempotency BEFORE INSERT ON case_events
      FOR EACH ROW EXECUTE FUNCTION claim_idempotency_key('case_events')`,
    `CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION forbid_history_rewrite()`,

    `CREATE TABLE contact_attempts (
      id bigint GENERATED BY DEFAULT AS IDENTITY,
      case_id bigint NOT NULL REFERENCES cases (id),
      customer_id bigint NOT NULL REFERENCES customers (id),
      channel text NOT NULL CHECK (channel IN ('call', 'sms', 'email', 'letter', 'voicemail')),
      destination text NOT NULL,
      dialing_mode text CHECK (dialing_mode IN ('manual', 'autodial', 'prerecorded')),
      decision text NOT NULL CHECK (decision IN ('allowed', 'blocked', 'deferred', 'held', 'advised')),
      rule text,
      rule_pack_version text NOT NULL,
      evidence jsonb NOT NULL DEFAULT '{}',
      deferred_until timestamptz,
      outcome text,
      outcome_at timestamptz,
      agent_id bigint REFERENCES agents (id),
      task_id bigint REFERENCES tasks (id),
      idempotency_key text NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`,
    `COMMENT ON COLUMN contact_attempts.evidence IS 'What the policy decision used: counters, time-zone evidence, consents. Kept at least 3 years.'`,
    `CREATE INDEX contact_attempts_case_idx ON contact_attempts (case_id, occurred_at)`,
    `CREATE INDEX contact_attempts_customer_idx ON contact_attempts (customer_id, occurred_at)`,
    `CREATE INDEX contact_attempts_decision_idx ON contact_attempts (decision, rule, occurred_at)`,
    `CREATE TABLE contact_attempts_default PARTITION OF contact_attempts DEFAULT`,
    `CREATE TRIGGER contact_attempts_idempotency BEFORE INSERT ON contact_attempts
      FOR EACH ROW EXECUTE FUNCTION claim_idempotency_key('contact_attempts')`,

    `CREATE TABLE payments (
      id bigint GENERATED BY DEFAULT AS IDENTITY,
      payment_ref text NOT NULL,
      loan_id bigint NOT NULL REFERENCES loans (id),
      case_id bigint REFERENCES cases (id),
      kind text NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'reversal')),
      amount_minor bigint NOT NULL,
      currency char(3) NOT NULL,
      paid_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      method text,
      reverses_payment_ref text,
      source text NOT NULL DEFAULT 'intake',
      intake_run_id bigint,
      PRIMARY KEY (id, paid_at),
      CONSTRAINT payments_kind_sign CHECK (
        (kind = 'payment' AND amount_minor > 0 AND reverses_payment_ref IS NULL)
        OR (kind = 'reversal' AND amount_minor < 0 AND reverses_payment_ref IS NOT NULL))
    ) PARTITION BY RANGE (paid_at)`,
    `COMMENT ON COLUMN payments.payment_ref IS 'The processor''s reference: unique across all partitions (idempotency_keys, scope payments).'`,
    `COMMENT ON COLUMN payments.amount_minor IS 'Signed: a reversal is negative, so sums are net amounts collected.'`,
    `CREATE INDEX payments_loan_idx ON payments (loan_id, paid_at)`,
    `CREATE INDEX payments_case_idx ON payments (case_id, paid_at) WHERE case_id IS NOT NULL`,
    `CREATE INDEX payments_ref_idx ON payments (payment_ref)`,
    `CREATE TABLE payments_default PARTITION OF payments DEFAULT`,
    `CREATE TRIGGER payments_idempotency BEFORE INSERT ON payments
      FOR EACH ROW EXECUTE FUNCTION claim_idempotency_key('payments')`,

    `CREATE TABLE audit_log (
      id bigint GENERATED BY DEFAULT AS IDENTITY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      details jsonb NOT NULL DEFAULT '{}',
      request_id text,
      PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`,
    `CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, occurred_at)`,
    `CREATE INDEX audit_log_actor_idx ON audit_log (actor, occurred_at)`,
    `CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT`,
    `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION forbid_history_rewrite()`,

    `INSERT INTO partitioned_tables (parent, partition_column) VALUES
      ('audit_log', 'occurred_at'), ('case_events', 'occurred_at'),
      ('contact_attempts', 'occurred_at'), ('payments', 'paid_at')`,
    `SELECT ensure_partitions(3)`,
  ]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await run(db, [
    'DROP TABLE audit_log',
    'DROP TABLE payments',
    'DROP TABLE contact_attempts',
    'DROP TABLE case_events',
    'DROP FUNCTION forbid_history_rewrite()',
    'DROP FUNCTION claim_idempotency_key()',
    'DROP TABLE idempotency_keys',
    'DROP FUNCTION ensure_partitions(integer)',
    'DROP FUNCTION create_month_partition(text, date)',
    'DROP TABLE partitioned_tables',
  ]);
}
