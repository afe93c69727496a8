import type { Kysely } from 'kysely';
import { type ContactPurpose, CONTACT_PURPOSES } from '../domain/contact-policy/types';
import { decideContact } from '../db/repositories/contact-ledger';
import type { Database } from '../db/schema';
import type { ContactGate, GateDecision } from './case-activities';

/**
 * Templates that are notices a blocking rule still lets through (a cease confirmation after a
 * cease request, a legal notice, the dispute verification). Every other template is collection.
 */
export const TEMPLATE_PURPOSES: Readonly<Record<string, ContactPurpose>> = {
  'cease-acknowledgement': 'cease_confirmation',
  'cease-confirmation': 'cease_confirmation',
  'legal-intent-notice': 'legal_notice',
  'legal-notice': 'legal_notice',
  'validation-notice': 'validation_notice',
  'dispute-verification': 'dispute_verification',
};

export function purposeOfTemplate(template: string | undefined): ContactPurpose {
  if (!template) return 'collection';
  const mapped = TEMPLATE_PURPOSES[template];
  if (mapped) return mapped;
  const snake = template.replace(/-/g, '_');
  return (CONTACT_PURPOSES as readonly string[]).includes(snake) ? (snake as ContactPurpose) : 'collection';
}

/**
 * The contact-policy gate of the case workflow's effect transaction. commitCaseEffects holds the
 * case row; the gate adds the loan's advisory lock (the per-debt lock agents take too, see
 * db/repositories/contact-ledger.ts), reads the record and the debt's ledger, and decides.
 * commitCaseEffects writes the contact_attempts row with what it returns, before the commit that
 * releases both locks.
 *
 * The handle is not used: every decision runs on the transaction it is given.
 */
export function createContactGate(_db?: Kysely<Database>): ContactGate {
  return {
    async decide(trx, request): Promise<GateDecision> {
      const { check } = await decideContact(
        trx,
        {
          caseId: request.caseId,
          channel: request.channel,
          at: request.at,
          dialing: request.automated ? 'automated' : 'manual',
          initiatedBy: 'workflow',
          purpose: purposeOfTemplate(request.template),
        },
        { lock: true },
      );
      return check;
    },
  };
}
