import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new one.
//
// contact_ledger_facts() is what the contact-policy ledger (db/repositories/contact-ledger.ts)
// reads before every decision: the per-debt lock and everything the policy needs, in one round
// trip. Two reasons it is a function and not a query sent from Node:
// - Planning. The read touches the partitioned case_events and contact_attempts several times;
//   planned afresh for every decision it cost about 4 ms against 0.4 ms of execution. PL/pgSQL
//   keeps the plan per session, and force_generic_plan keeps one generic plan whose partitions
//   are pruned at run time, so the cost does not grow with the months of history.
// - The lock and the read in one call. The function is VOLATILE, so each statement in it takes a
//   fresh snapshot: the read after the lock sees every attempt a previous holder committed.
// The lock: the case row FOR UPDATE, then a transaction-scoped advisory lock on the loan (key
// space 0x636c, 'cl'), in that order everywhere, so two attempts on one debt never both pass.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
async function run(db: Kysely<any>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await run(db, [
    `CREATE FUNCTION contact_ledger_facts(p_case bigint, p_lock boolean, p_since timestamptz, p_key text,
                                          p_conversations text[])
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE
    SET plan_cache_mode = force_generic_plan
    AS $fn$
    DECLARE
      v_loan bigint;
      v_customer bigint;
      v_status text;
      v_opened timestamptz;
      v_facts jsonb;
    BEGIN
      IF p_lock THEN
        SELECT loan_id, customer_id, status INTO v_loan, v_customer, v_status FROM cases WHERE id = p_case FOR UPDATE;
        IF NOT FOUND THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock(x'636c'::int, (v_loan % 2147483647)::int);
      ELSE
        SELECT loan_id, customer_id, status INTO v_loan, v_customer, v_status FROM cases WHERE id = p_case;
        IF NOT FOUND THEN RETURN NULL; END IF;
      END IF;
      -- Nothing of the loan's cases happened before the first of them opened: a bound the
      -- partitions of case_events are pruned by before the read starts.
      SELECT min(opened_at) INTO v_opened FROM cases WHERE loan_id = v_loan;

      WITH loan_cases AS (SELECT id FROM cases WHERE loan_id = v_loan)
      SELECT jsonb_build_object(
        'case', jsonb_build_object('id', p_case, 'loanId', v_loan, 'customerId', v_customer, 'status', v_status),
        'customer', (SELECT jsonb_build_object(
            'country', cu.country, 'region', cu.region, 'deceased', cu.deceased, 'vulnerable', cu.vulnerable,
            'bankruptcy', cu.bankruptcy, 'attorneyRepresented', cu.attorney_represented,
            'ceaseCommunication', cu.cease_communication,
            'breathingSpaceUntil', to_char(cu.breathing_space_until, 'YYYY-MM-DD'),
            'times', cu.inconvenient_times, 'places', cu.inconvenient_places, 'channels', cu.inconvenient_channels)
          FROM customers cu WHERE cu.id = v_customer),
        'loanDisputed', (SELECT l.disputed FROM loans l WHERE l.id = v_loan),
        'addresses', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind, 'country', a.country,
            'region', a.region, 'postcode', a.postal_code,
            'optOutAt', extract(epoch FROM a.mail_opt_out_at) * 1000) ORDER BY a.id), '[]')
          FROM customer_addresses a WHERE a.customer_id = v_customer AND a.removed_at IS NULL),
        'phones', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'kind', p.kind, 'e164', p.number_e164,
            'zones', p.time_zones, 'zoneSource', p.time_zone_source, 'smsConsent', p.sms_consent,
            'autodialConsent', p.autodial_consent, 'callOptOutAt', extract(epoch FROM p.call_opt_out_at) * 1000,
            'smsOptOutAt', extract(epoch FROM p.sms_opt_out_at) * 1000) ORDER BY p.id), '[]')
          FROM customer_phones p WHERE p.customer_id = v_customer AND p.removed_at IS NULL),
        'emails', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'kind', e.kind, 'consent', e.email_consent,
            'optOutAt', extract(epoch FROM e.opt_out_at) * 1000) ORDER BY e.id), '[]')
          FROM customer_emails e WHERE e.customer_id = v_customer AND e.removed_at IS NULL),
        'holds', (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', h.kind,
            'startedAt', extract(epoch FROM h.started_at) * 1000, 'until', extract(epoch FROM h.until) * 1000)), '[]')
          FROM case_holds h WHERE h.case_id = p_case AND h.released_at IS NULL),
        'events', (SELECT jsonb_build_object(
            'disputeOpenedAt', extract(epoch FROM max(ev.occurred_at) FILTER (WHERE ev.type = 'dispute_opened')) * 1000,
            'verificationSentAt', extract(epoch FROM max(ev.occurred_at)
               FILTER (WHERE ev.type = 'dispute_resolved' AND ev.payload->>'resolution' = 'verification_sent')) * 1000,
            'ceaseRequestedAt', extract(epoch FROM max(ev.occurred_at) FILTER (WHERE ev.type = 'cease_requested')) * 1000,
            'breathingSpaceUntil', (array_agg(ev.payload->>'until' ORDER BY ev.occurred_at DESC)
               FILTER (WHERE ev.type = 'hold_placed' AND ev.payload->>'hold' = 'breathing_space'))[1],
            'lastCallOutcomeAt', extract(epoch FROM max(ev.occurred_at)
               FILTER (WHERE ev.type = 'call_outcome' AND ev.occurred_at > p_since
                         AND ev.payload->>'outcome' = ANY (p_conversations))) * 1000)
          FROM case_events ev
          WHERE ev.case_id IN (SELECT id FROM loan_cases) AND ev.occurred_at >= v_opened
            AND ev.type IN ('dispute_opened', 'dispute_resolved', 'cease_requested', 'hold_placed', 'call_outcome')),
        'ledger', (SELECT jsonb_build_object(
            'attempts', coalesce(jsonb_agg(jsonb_build_array(extract(epoch FROM ca.occurred_at) * 1000,
                ca.channel, ca.destination)) FILTER (WHERE ca.decision = 'allowed' OR ca.outcome IS NOT NULL), '[]'),
            'lastConversationAt', extract(epoch FROM max(coalesce(ca.outcome_at, ca.occurred_at))
               FILTER (WHERE ca.channel = 'call' AND ca.outcome = ANY (p_conversations))) * 1000)
          FROM contact_attempts ca
          WHERE ca.case_id IN (SELECT id FROM loan_cases) AND ca.occurred_at > p_since),
        'existing', (SELECT jsonb_build_object('id', ca.id, 'decision', ca.decision, 'rule', ca.rule,
            'rulePackVersion', ca.rule_pack_version, 'destination', ca.destination, 'dialingMode', ca.dialing_mode,
            'deferredUntil', extract(epoch FROM ca.deferred_until) * 1000, 'evidence', ca.evidence)
          FROM idempotency_keys k JOIN contact_attempts ca ON ca.occurred_at = k.occurred_at
          WHERE p_key IS NOT NULL AND k.scope = 'contact_attempts' AND k.key = p_key
            AND ca.case_id = p_case AND ca.idempotency_key = p_key
          LIMIT 1)
      ) INTO v_facts;
      RETURN v_facts;
    END
    $fn$`,
    `COMMENT ON FUNCTION contact_ledger_facts(bigint, boolean, timestamptz, text, text[]) IS 'What a contact-policy decision reads: with p_lock, after taking the per-debt lock (case row FOR UPDATE, then advisory lock 0x636c on the loan). The ledger: attempts made about the loan (any of its cases) since p_since, and the last conversation since then (an attempt or a call_outcome event among p_conversations); the attempt already recorded under p_key. NULL when the case does not exist.'`,
  ]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await run(db, ['DROP FUNCTION contact_ledger_facts(bigint, boolean, timestamptz, text, text[])']);
}
