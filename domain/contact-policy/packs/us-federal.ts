import {
  attemptFrequencyRule,
  attorneyRule,
  autodialerConsentRule,
  bankruptcyRule,
  ceaseRule,
  contactHoursRule,
  deceasedRule,
  disputeRule,
  inconvenientChannelRule,
  inconvenientPlaceRule,
  inconvenientTimesRule,
  optOutRule,
  postConversationRule,
  type RulePack,
} from '../rules';

/** FDCPA (15 U.S.C. 1692 et seq.) as implemented by Regulation F (12 CFR 1006), plus the TCPA. */
export const US_FEDERAL: RulePack = {
  id: 'us-federal',
  version: '1.0.0',
  title: 'United States federal baseline (FDCPA / Regulation F, TCPA, Bankruptcy Code)',
  appliesTo: { country: 'US' },
  rules: [
    bankruptcyRule({ citation: '11 U.S.C. 362(a) (automatic stay)' }),
    disputeRule({
      citation: '15 U.S.C. 1692g(b); 12 CFR 1006.38(d)(2)',
      exempt: ['dispute_verification'],
    }),
    deceasedRule({
      citation: '12 CFR 1006.6(a)(4) (estate representatives); internal deceased-review procedure',
    }),
    attorneyRule({ citation: '15 U.S.C. 1692c(a)(2); 12 CFR 1006.6(b)(1)(ii)' }),
    ceaseRule({
      citation: '15 U.S.C. 1692c(c); 12 CFR 1006.6(c)',
      allowed: [{ channel: 'letter', purposes: ['cease_confirmation', 'legal_notice', 'validation_notice'] }],
    }),
    optOutRule({ citation: '12 CFR 1006.6(e), 1006.14(h)' }),
    inconvenientChannelRule({ citation: '12 CFR 1006.14(h)(1)' }),
    inconvenientPlaceRule({ citation: '15 U.S.C. 1692c(a)(1), (a)(3); 12 CFR 1006.6(b)(1)(i), (iii)' }),
    autodialerConsentRule({ citation: '47 U.S.C. 227(b)(1)(A)(iii); 47 CFR 64.1200(a)(1)-(2)' }),
    attemptFrequencyRule({
      name: 'call-frequency',
      citation: '12 CFR 1006.14(b)(2)(i)(A)',
      summary: 'at most 7 call attempts in a rolling 7 days per debt; the 8th is blocked',
      channels: ['call', 'voicemail'],
      limit: 7,
      windowDays: 7,
    }),
    postConversationRule({
      citation: '12 CFR 1006.14(b)(2)(i)(B)',
      channels: ['call', 'voicemail'],
      days: 7,
    }),
    contactHoursRule({
      citation: '15 U.S.C. 1692c(a)(1); 12 CFR 1006.6(b)(1)(i), (b)(2)',
      channels: ['call', 'sms', 'email', 'voicemail'],
      from: '08:00',
      to: '21:00',
    }),
    inconvenientTimesRule({
      citation: '15 U.S.C. 1692c(a)(1); 12 CFR 1006.6(b)(1)(i)',
      channels: ['call', 'sms', 'email', 'voicemail'],
    }),
  ],
};
