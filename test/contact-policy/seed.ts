import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { CaseEffect, EffectBatch } from '../../domain/case-effects';
import { migrateToLatest } from '../../db/migrator';
import type { Database, InconvenientTime } from '../../db/schema';
import type { Config } from '../../lib/config';

/**
 * Debtors, loans and cases for the contact-policy tests, each with ids of its own: the test
 * database persists between runs, so nothing here relies on an empty table.
 */

export const STRATEGY_ID = 'contact-policy-test';
const run = randomUUID().slice(0, 8);
let seq = 0;

export const unique = (prefix: string) => `${prefix}-${run}-${++seq}`;

export async function prepareDatabase(db: Kysely<Database>, config: Config): Promise<{ agentId: number }> {
  await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
  await sql`INSERT INTO strategies (id, name) VALUES (${STRATEGY_ID}, 'Contact-policy tests') ON CONFLICT DO NOTHING`.execute(
    db,
  );
  await sql`INSERT INTO strategy_versions (strategy_id, version, status, definition)
            VALUES (${STRATEGY_ID}, 1, 'published', '{}') ON CONFLICT DO NOTHING`.execute(db);
  const agent = await db
    .insertInto('agents')
    .values({ username: unique('cp-agent'), display_name: 'Contact Policy Agent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { agentId: agent.id };
}

export interface PhoneSeed {
  kind?: 'mobile' | 'home' | 'work' | 'other';
  e164: string;
  /** As intake stores them; empty makes the ledger ask libphonenumber. */
  zones?: string[];
  smsConsent?: boolean;
  autodialConsent?: boolean;
  callOptOutAt?: Date;
  smsOptOutAt?: Date;
}

export interface DebtSeed {
  country?: string;
  region?: string | null;
  address?: {
    kind?: 'home' | 'mailing' | 'work';
    country?: string;
    region?: string | null;
    postcode?: string | null;
    mailOptOutAt?: Date;
  } | null;
  phones?: PhoneSeed[];
  emails?: { address?: string; kind?: 'personal' | 'work'; consent?: boolean; optOutAt?: Date }[];
  flags?: Partial<{
    deceased: boolean;
    vulnerable: boolean;
    bankruptcy: boolean;
    attorney_represented: boolean;
    cease_communication: boolean;
    breathing_space_until: string;
  }>;
  inconvenientTimes?: InconvenientTime[];
  inconvenientPlaces?: ('home' | 'work' | 'other')[];
  loanDisputed?: boolean;
}

export interface SeededDebt {
  customerId: number;
  loanId: number;
  caseId: number;
  phoneIds: number[];
  emailIds: number[];
  addressIds: number[];
}

/** A New York debtor with one mobile (SMS and autodial consent, zone from intake) unless told otherwise. */
export async function seedDebt(db: Kysely<Database>, seed: DebtSeed = {}): Promise<SeededDebt> {
  const country = seed.country ?? 'US';
  const region = seed.region === undefined ? (country === 'US' ? 'NY' : null) : seed.region;
  const customer = await db
    .insertInto('customers')
    .values({
      customer_number: unique('cp-cust'),
      given_name: 'Test',
      family_name: 'Debtor',
      country,
      region,
      ...seed.flags,
      inconvenient_times: JSON.stringify(seed.inconvenientTimes ?? []),
      inconvenient_places: seed.inconvenientPlaces ?? [],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const customerId = customer.id;

  const addressIds: number[] = [];
  const address =
    seed.address === undefined ? { postcode: country === 'US' ? '10001' : 'SW1A 1AA' } : seed.address;
  if (address) {
    const row = await db
      .insertInto('customer_addresses')
      .values({
        customer_id: customerId,
        kind: address.kind ?? 'home',
        line1: '1 Test Street',
        city: 'Testville',
        region: address.region === undefined ? region : address.region,
        postal_code: address.postcode ?? null,
        country: address.country ?? country,
        mail_opt_out_at: address.mailOptOutAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    addressIds.push(row.id);
  }

  const phoneIds: number[] = [];
  const phones =
    seed.phones ??
    (country === 'US'
      ? [{ e164: '+12125550123', zones: ['America/New_York'], smsConsent: true, autodialConsent: true }]
      : [
          {
            e164: '+442071234567',
            zones: ['Europe/London'],
            kind: 'home' as const,
            smsConsent: true,
            autodialConsent: true,
          },
        ]);
  for (const p of phones) {
    const row = await db
      .insertInto('customer_phones')
      .values({
        customer_id: customerId,
        kind: p.kind ?? 'mobile',
        number_e164: p.e164,
        country: country,
        time_zones: p.zones ?? [],
        time_zone_source: p.zones && p.zones.length > 0 ? 'area_code' : null,
        sms_consent: p.smsConsent ?? false,
        autodial_consent: p.autodialConsent ?? false,
        call_opt_out_at: p.callOptOutAt ?? null,
        sms_opt_out_at: p.smsOptOutAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    phoneIds.push(row.id);
  }

  const emailIds: number[] = [];
  for (const e of seed.emails ?? []) {
    const row = await db
      .insertInto('customer_emails')
      .values({
        customer_id: customerId,
        kind: e.kind ?? 'personal',
        address: e.address ?? `${unique('debtor')}@example.test`,
        email_consent: e.consent ?? true,
        opt_out_at: e.optOutAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    emailIds.push(row.id);
  }

  const loan = await db
    .insertInto('loans')
    .values({
      loan_number: unique('cp-loan'),
      customer_id: customerId,
      product: 'credit_card',
      currency: country === 'GB' ? 'GBP' : 'USD',
      principal_minor: 500_000,
      outstanding_minor: 250_000,
      overdue_minor: 15_000,
      dpd: 12,
      bucket: '1-29',
      disputed: seed.loanDisputed ?? false,
      as_of: '2026-06-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const opened = await db
    .insertInto('cases')
    .values({
      loan_id: loan.id,
      customer_id: customerId,
      opened_dpd: 12,
      opened_overdue_minor: 15_000,
      currency: country === 'GB' ? 'GBP' : 'USD',
      // Before every instant the tests decide at: nothing of a case precedes its opening.
      opened_at: '2020-01-01T00:00:00Z',
      strategy_id: STRATEGY_ID,
      strategy_version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { customerId, loanId: loan.id, caseId: opened.id, phoneIds, emailIds, addressIds };
}

/** One contact request from a case workflow, keyed like the workflow keys it. */
export function contactEffect(
  o: Partial<Extract<CaseEffect, { kind: 'contact_request' }>> & { requestedAt: string; channel: string },
): Extract<CaseEffect, { kind: 'contact_request' }> {
  return {
    kind: 'contact_request',
    key: o.key ?? unique('case-wf:contact'),
    stepId: o.stepId ?? 'remind',
    template: o.template ?? 'early-reminder-friendly',
    automated: o.automated ?? true,
    ...o,
  };
}

export function batchFor(caseId: number, effects: CaseEffect[]): EffectBatch {
  return {
    caseId: String(caseId),
    workflowId: `case-${caseId}`,
    effects,
    caseUpdate: {
      status: 'open',
      currentStep: 'remind',
      holds: [],
      outcome: null,
      closedAt: null,
      assignedQueue: null,
      assignedAgent: null,
      nextActionAt: null,
      strategyId: STRATEGY_ID,
      strategyVersion: 1,
      dpd: 12,
      bucket: '1-29',
    },
  };
}

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;
