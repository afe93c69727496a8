import { attemptFrequencyRule, type RulePack } from '../rules';

/** Massachusetts: stricter telephone frequency for creditors and debt collectors. */
export const US_MA: RulePack = {
  id: 'us-ma',
  version: '1.0.0',
  title: 'Massachusetts overlay (940 CMR 7.00, 209 CMR 18.00)',
  appliesTo: { country: 'US', region: 'MA' },
  rules: [
    attemptFrequencyRule({
      name: 'call-text-frequency',
      citation: '940 CMR 7.04(1)(f); 209 CMR 18.14(1)(d)',
      summary: 'at most 2 calls, texts or recorded messages in a rolling 7 days per debt; the 3rd is blocked',
      channels: ['call', 'sms', 'voicemail'],
      limit: 2,
      windowDays: 7,
    }),
  ],
};
