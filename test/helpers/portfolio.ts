import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { openCases } from '../../db/repositories/cases';
import type { Database } from '../../db/schema';

export interface SeededCase {
  customerId: number;
  loanId: number;
  caseId: number;
}

/**
 * A US customer in New York (address and mobile agree on the zone, SMS and email consented)
 * with one delinquent EUR loan, and its case opened the way intake opens cases.
 */
export async function seedDelinquentCase(
  db: Kysely<Database>,
  options: { dpd?: number; overdueMinor?: number; outstandingMinor?: number; currency?: string } = {},
): Promise<SeededCase> {
  const tag = randomUUID().slice(0, 12);
  const customer = await db
    .insertInto('customers')
    .values({ customer_number: `T-${tag}`, given_name: 'Test', family_name: `Debtor ${tag}`, country: 'US', region: 'NY', segment: 'retail' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('customer_phones')
    .values({
      customer_id: customer.id,
      kind: 'mobile',
      number_e164: `+1212555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      country: 'US',
      time_zones: ['America/New_York'],
      time_zone_source: 'area_code',
      sms_consent: true,
      autodial_consent: true,
    })
    .execute();
  await db.insertInto('customer_emails').values({ customer_id: customer.id, address: `debtor-${tag}@example.com`, email_consent: true }).execute();
  await db
    .insertInto('customer_addresses')
    .values({ customer_id: customer.id, kind: 'home', line1: '1 Main St', city: 'New York', region: 'NY', postal_code: '10001', country: 'US', time_zone: 'America/New_York', time_zone_source: 'postal_code' })
    .execute();
  const dpd = options.dpd ?? 5;
  const loan = await db
    .insertInto('loans')
    .values({
      loan_number: `LN-${tag}`,
      customer_id: customer.id,
      product: 'personal_loan',
      currency: options.currency ?? 'EUR',
      principal_minor: 500_000,
      outstanding_minor: options.outstandingMinor ?? 250_000,
      overdue_minor: options.overdueMinor ?? 15_000,
      dpd,
      bucket: dpd === 0 ? 'current' : dpd < 30 ? '1-29' : dpd < 60 ? '30-59' : dpd < 90 ? '60-89' : dpd < 120 ? '90-119' : '120+',
      as_of: new Date().toISOString().slice(0, 10),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const opened = await openCases(db, sql`SELECT ${loan.id}::bigint AS id`, { actor: 'test', returnIds: true });
  const caseId = opened.caseIds[0];
  if (caseId === undefined) throw new Error('openCases did not open a case for the seeded loan');
  return { customerId: customer.id, loanId: loan.id, caseId };
}
