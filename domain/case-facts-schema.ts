import { z } from 'zod';
import { CASE_FLAGS, CONTACT_OUTCOMES, PROMISE_STATUSES, type CaseFacts } from './case-facts';

const minor = z.number().int('expected an integer amount in minor units');

const flagsSchema = z.record(z.string(), z.boolean()).transform((flags) => {
  const all: Record<string, boolean> = {};
  for (const name of CASE_FLAGS) all[name] = false;
  return { ...all, ...flags };
});

/** Validates facts that come from outside (ndjson files, the read model). */
export const caseFactsSchema = z.strictObject({
  caseId: z.string().min(1).optional(),
  dpd: z.number().int().min(0),
  bucket: z.string().min(1),
  balanceMinor: minor,
  amountOverdueMinor: minor,
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
  product: z.string().min(1),
  segment: z.string().min(1),
  daysSinceLastContact: z.number().int().min(0).nullable(),
  lastContactOutcome: z.enum(CONTACT_OUTCOMES),
  promiseStatus: z.enum(PROMISE_STATUSES),
  brokenPromiseCount: z.number().int().min(0),
  flags: flagsSchema,
});

export function parseCaseFacts(
  input: unknown,
): { ok: true; facts: CaseFacts } | { ok: false; errors: string[] } {
  const result = caseFactsSchema.safeParse(input);
  if (result.success) return { ok: true, facts: result.data as CaseFacts };
  return {
    ok: false,
    errors: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(facts)'}: ${i.message}`),
  };
}
