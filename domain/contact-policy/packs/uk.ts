import {
  breathingSpaceRule,
  contactHoursRule,
  deceasedRule,
  inconvenientChannelRule,
  inconvenientPlaceRule,
  inconvenientTimesRule,
  optOutRule,
  vulnerableRule,
  type RulePack,
} from '../rules';

/** United Kingdom: FCA consumer credit rules (CONC), the Debt Respite Scheme, vulnerability guidance. */
export const UK: RulePack = {
  id: 'uk',
  version: '1.0.0',
  title: 'United Kingdom (FCA CONC 7, Debt Respite Scheme, FG21/1)',
  appliesTo: { country: 'GB' },
  rules: [
    breathingSpaceRule({
      citation:
        'The Debt Respite Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020 (SI 2020/1311)',
      standardDays: 60,
    }),
    deceasedRule({
      citation: 'FCA CONC 7.3 (treating customers in arrears fairly); internal bereavement procedure',
    }),
    vulnerableRule({
      citation: 'FCA FG21/1 (fair treatment of vulnerable customers); CONC 7.3',
      route: 'vulnerable_customers',
    }),
    optOutRule({
      citation: 'FCA PRIN 2A (Consumer Duty); CONC 7.9 (contact with customers): contact preferences',
    }),
    inconvenientChannelRule({ citation: 'FCA CONC 7.9 (contact with customers): contact preferences' }),
    inconvenientPlaceRule({ citation: 'FCA CONC 7.9 (contact with customers): unreasonable places' }),
    contactHoursRule({
      citation: 'FCA CONC 7.9 (contact with customers): unreasonable times; industry practice 08:00-21:00',
      channels: ['call', 'sms', 'email', 'voicemail'],
      from: '08:00',
      to: '21:00',
    }),
    inconvenientTimesRule({
      citation: 'FCA CONC 7.9 (contact with customers): unreasonable times',
      channels: ['call', 'sms', 'email', 'voicemail'],
    }),
  ],
};
