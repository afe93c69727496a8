import { makeContactPolicyInput } from './builders';
import { parseContactPolicyInput } from './input-schema';

describe('contact-policy input schema', () => {
  test('accepts what the builder makes, unchanged', () => {
    const input = makeContactPolicyInput({
      debtor: {
        flags: { dispute: { inValidationPeriod: true, verificationSentAt: null } },
        designations: { times: [{ days: ['mon'], from: '09:00', to: '17:00' }] },
      },
    });
    expect(parseContactPolicyInput(JSON.parse(JSON.stringify(input)))).toEqual({ ok: true, input });
  });

  test.each([
    ['an instant without offset', { attempt: { at: '2026-06-10T10:00:00' } }, 'attempt.at'],
    ['an unknown channel', { attempt: { channel: 'fax' } }, 'attempt.channel'],
    [
      'a phone that is not E.164',
      {
        debtor: {
          phones: [
            { id: 'p', e164: '212-555-0123', lineType: 'mobile', zones: null, autodialConsent: false },
          ],
        },
      },
      'debtor.phones.0.e164',
    ],
    [
      'a time that is not HH:mm',
      { debtor: { designations: { times: [{ from: '9am', to: '17:00' }] } } },
      'debtor.designations.times.0.from',
    ],
  ])('refuses %s, naming the field', (_label, overrides, path) => {
    const input = makeContactPolicyInput(overrides as Parameters<typeof makeContactPolicyInput>[0]);
    const result = parseContactPolicyInput(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.some((e) => e.startsWith(`${path}:`))).toBe(true);
  });
});
