import { z } from 'zod';
import { CHANNELS, CONTACT_PURPOSES, LINE_TYPES, PLACES, WEEKDAYS, type ContactPolicyInput } from './types';

/**
 * Validates a contact-policy input that comes from outside (the API's "may I call this number
 * now?", a replay of stored evidence). The enforcement activity builds its input in code and
 * does not need it.
 */

const instant = z.union([
  z.number().finite(),
  z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant with an offset (Z or +hh:mm)' }),
]);
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:mm');
const channel = z.enum(CHANNELS);

const phone = z.strictObject({
  id: z.string().min(1),
  e164: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +12125550123'),
  lineType: z.enum(LINE_TYPES),
  zones: z.array(z.string().min(1)).nullable(),
  zonesSource: z.string().optional(),
  autodialConsent: z.boolean(),
  place: z.enum(PLACES).optional(),
});

export const contactPolicyInputSchema = z.strictObject({
  attempt: z.strictObject({
    channel,
    destination: z.strictObject({ id: z.string().min(1), place: z.enum(PLACES).optional() }),
    purpose: z.enum(CONTACT_PURPOSES),
    at: instant,
    dialing: z.enum(['automated', 'manual']),
    initiatedBy: z.enum(['agent', 'workflow']),
  }),
  debtor: z.strictObject({
    jurisdictions: z.array(
      z.strictObject({ country: z.string().min(2), region: z.string().min(1).optional() }),
    ),
    address: z
      .strictObject({
        country: z.string().min(2),
        region: z.string().min(1).optional(),
        postcode: z.string().min(1).optional(),
      })
      .nullable(),
    phones: z.array(phone),
    optOuts: z.array(
      z.strictObject({ channel, destinationId: z.string().min(1).optional(), at: instant.optional() }),
    ),
    designations: z.strictObject({
      times: z.array(
        z.strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1).optional(), from: localTime, to: localTime }),
      ),
      places: z.array(z.enum(PLACES)),
      destinationIds: z.array(z.string().min(1)),
      channels: z.array(channel),
    }),
    flags: z.strictObject({
      ceaseCommunication: z.boolean(),
      attorney: z.strictObject({ represented: z.boolean(), directContactAllowed: z.boolean() }).nullable(),
      bankruptcy: z.boolean(),
      dispute: z
        .strictObject({
          inValidationPeriod: z.boolean(),
          disputedAt: instant.optional(),
          verificationSentAt: instant.nullable(),
        })
        .nullable(),
      breathingSpace: z
        .strictObject({
          kind: z.enum(['standard', 'mental_health_crisis']),
          start: instant,
          end: instant.optional(),
        })
        .nullable(),
      deceased: z.boolean(),
      vulnerable: z.boolean(),
    }),
  }),
  counters: z.strictObject({
    recentAttempts: z.array(
      z.strictObject({ at: instant, channel, destinationId: z.string().min(1).optional() }),
    ),
    lastConversationAt: instant.nullable(),
  }),
});

export function parseContactPolicyInput(
  input: unknown,
): { ok: true; input: ContactPolicyInput } | { ok: false; errors: string[] } {
  const result = contactPolicyInputSchema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`),
  };
}
