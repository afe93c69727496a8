/**
 * What a strategy may refer to outside itself: message templates per channel, work queues and
 * other strategies (for `transfer`). Validation refuses names not listed here, so a typo in a
 * template name is caught before publishing rather than by a gateway at 9 a.m.
 *
 * The lists below are the ones the library strategies use; a deployment passes its own
 * (the CLI takes `--catalogue FILE`, a YAML or JSON file of the same shape).
 */
import type { Channel } from './plan-types';

export interface Catalogue {
  readonly templates: Readonly<Record<Channel, readonly string[]>>;
  readonly queues: readonly string[];
  /** Strategy ids `transfer` may name; null skips the check. */
  readonly strategies: readonly string[] | null;
}

export const DEFAULT_CATALOGUE: Catalogue = {
  templates: {
    sms: [
      'early-reminder-friendly',
      'early-reminder-second',
      'missed-call-callback',
      'ptp-confirmation',
      'ptp-broken',
      'payment-thanks',
      'mid-payment-request',
      'late-final-warning',
      'hardship-plan-confirmation',
      'hardship-missed-instalment',
    ],
    email: [
      'early-reminder-email',
      'ptp-confirmation-email',
      'mid-arrears-email',
      'late-final-demand-email',
      'hardship-plan-email',
    ],
    letter: [
      'early-arrears-letter',
      'default-notice',
      'final-demand',
      'legal-intent-notice',
      'agency-placement-notice',
      'cease-acknowledgement',
      'hardship-plan-letter',
    ],
    voicemail: ['callback-request'],
    push: ['early-reminder-push'],
  },
  queues: [
    'early-stage',
    'mid-stage',
    'late-stage',
    'hardship',
    'vulnerable-customers',
    'disputes',
    'bankruptcy',
    'compliance-review',
    'legal-review',
    'skip-trace',
  ],
  strategies: ['early-stage', 'mid-stage', 'late-stage', 'hardship-plan'],
};
