import { DateTime } from 'luxon';
import { makeContactPolicyInput, type ContactPolicyInputOverrides } from './builders';
import { evaluateContactAttempt } from './evaluate';
import type { Channel, ContactDecision, ContactPurpose, PhoneFacts, PriorAttempt } from './types';

const NY = 'America/New_York';
/** An instant from New York wall-clock text. */
const ny = (text: string) => DateTime.fromISO(text, { zone: NY }).toUTC().toISO() ?? '';
const evaluate = (o: ContactPolicyInputOverrides = {}) => evaluateContactAttempt(makeContactPolicyInput(o));
const ruleOf = (d: ContactDecision) => (d.outcome === 'allow' ? undefined : d.rule);

// Wednesday 2026-06-10, 10:00 New York: inside every window.
const NOW = '2026-06-10T10:00';
const daysBefore = (days: number, hours = 0) =>
  DateTime.fromISO(NOW, { zone: NY }).minus({ days, hours }).toUTC().toISO() ?? '';
const attempts = (channel: Channel, ...ats: string[]): PriorAttempt[] => ats.map((at) => ({ at, channel }));

describe('us-federal/call-frequency: at most 7 call attempts in a rolling 7 days', () => {
  test.each<[string, PriorAttempt[], string]>([
    [
      'the 7th call (6 before it) is allowed',
      attempts('call', ...[1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))),
      'allow',
    ],
    [
      'the 8th call (7 before it) is blocked',
      attempts('call', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))),
      'block',
    ],
    [
      'a call exactly 7 days before no longer counts',
      attempts('call', daysBefore(7), ...[1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))),
      'allow',
    ],
    [
      'a call 7 days less a millisecond before still counts',
      [
        {
          at: DateTime.fromISO(daysBefore(7)).plus({ milliseconds: 1 }).toUTC().toISO() ?? '',
          channel: 'call',
        },
        ...attempts('call', ...[1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))),
      ],
      'block',
    ],
    [
      'voicemails are calls',
      attempts('voicemail', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))),
      'block',
    ],
    ['texts are not calls', attempts('sms', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))), 'allow'],
    [
      'attempts older than 7 days do not count',
      attempts('call', ...[8, 9, 10, 11, 12, 13, 14].map((d) => daysBefore(d))),
      'allow',
    ],
  ])('%s', (_label, recentAttempts, outcome) => {
    const decision = evaluate({ attempt: { at: ny(NOW) }, counters: { recentAttempts } });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-federal/call-frequency');
  });

  test('the block says when the oldest call leaves the window', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW) },
      counters: { recentAttempts: attempts('call', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))) },
    });
    expect(decision).toMatchObject({ outcome: 'block', retryAfter: ny('2026-06-11T10:00:00.000') });
  });

  test('other channels are not counted against calls and are not limited by it', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW), channel: 'sms' },
      counters: { recentAttempts: attempts('call', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))) },
    });
    expect(decision.outcome).toBe('allow');
  });
});

describe('us-federal/post-conversation: no calls for 7 days after a conversation, its day counting as day 1', () => {
  // Conversation on Monday 2026-0608 at 15:00; day 7 is Sunday 06-14; calls resume Monday 06-15.
  const conversation = ny('2026-06-08T15:00');
  test.each([
    ['later the same day', 'call', '2026-06-08T18:00', 'block'],
    ['the next day', 'call', '2026-06-09T10:00', 'block'],
    ['day 7, at 20:59', 'call', '2026-06-14T20:59', 'block'],
    ['day 8 at 08:00', 'call', '2026-06-15T08:00', 'allow'],
    [
      'day 8 before 08:00: the conversation rule is over, the hours are not',
      'call',
      '2026-06-15T07:00',
      'defer',
    ],
    ['a voicemail on day 2', 'voicemail', '2026-06-09T10:00', 'block'],
    ['a text on day 2 (the rule is about calls)', 'sms', '2026-06-09T10:00', 'allow'],
    ['an email on day 2', 'email', '2026-06-09T10:00', 'allow'],
  ])('%s: %s at %s is %s', (_label, channel, at, outcome) => {
    const decision = evaluate({
      attempt: { channel: channel as Channel, at: ny(at), destination: { id: 'phone-mobile' } },
      counters: { lastConversationAt: conversation },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-federal/post-conversation');
  });

  test('the block lasts until local midnight starting day 8', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-09T10:00') },
      counters: { lastConversationAt: conversation },
    });
    expect(decision).toMatchObject({ outcome: 'block', retryAfter: ny('2026-06-15T00:00') });
  });
});

describe('opt-outs per channel and per destination', () => {
  const phones: PhoneFacts[] = [
    { id: 'm1', e164: '+12125550123', lineType: 'mobile', zones: [NY], autodialConsent: true },
    { id: 'm2', e164: '+12125550124', lineType: 'mobile', zones: [NY], autodialConsent: true },
  ];
  test.each([
    ['an SMS opt-out blocks texts to any number', [{ channel: 'sms' as const }], 'sms', 'm2', 'block'],
    ['an SMS opt-out leaves calls alone', [{ channel: 'sms' as const }], 'call', 'm1', 'allow'],
    [
      'an opt-out for one email address blocks that address',
      [{ channel: 'email' as const, destinationId: 'e1' }],
      'email',
      'e1',
      'block',
    ],
    [
      'an opt-out for one email address leaves the others',
      [{ channel: 'email' as const, destinationId: 'e1' }],
      'email',
      'e2',
      'allow',
    ],
    [
      'an opt-out for texts to one number leaves the other number',
      [{ channel: 'sms' as const, destinationId: 'm1' }],
      'sms',
      'm2',
      'allow',
    ],
    ['a call opt-out covers voicemail', [{ channel: 'call' as const }], 'voicemail', 'm1', 'block'],
    [
      'an opt-out recorded after the attempt does not apply to it',
      [{ channel: 'sms' as const, at: ny('2026-06-11T10:00') }],
      'sms',
      'm1',
      'allow',
    ],
  ])('%s', (_label, optOuts, channel, destination, outcome) => {
    const decision = evaluate({
      attempt: { at: ny(NOW), channel: channel as Channel, destination: { id: destination } },
      debtor: { phones, optOuts },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-federal/opt-out');
  });
});

describe('us-federal/autodialer-consent: automated calls and texts to mobiles need consent', () => {
  const phone = (lineType: PhoneFacts['lineType'], autodialConsent: boolean): PhoneFacts => ({
    id: 'p',
    e164: '+12125550123',
    lineType,
    zones: [NY],
    autodialConsent,
  });
  test.each([
    ['automated call to a mobile without consent', 'call', 'automated', phone('mobile', false), 'block'],
    ['manual call to a mobile without consent', 'call', 'manual', phone('mobile', false), 'allow'],
    ['automated text to a mobile without consent', 'sms', 'automated', phone('mobile', false), 'block'],
    [
      'prerecorded voicemail to a mobile without consent',
      'voicemail',
      'automated',
      phone('mobile', false),
      'block',
    ],
    ['automated call to a mobile with consent', 'call', 'automated', phone('mobile', true), 'allow'],
    ['automated call to a landline', 'call', 'automated', phone('landline', false), 'allow'],
    [
      'automated call to a number of unknown type is treated as a mobile',
      'call',
      'automated',
      phone('unknown', false),
      'block',
    ],
  ])('%s', (_label, channel, dialing, p, outcome) => {
    const decision = evaluate({
      attempt: {
        at: ny(NOW),
        channel: channel as Channel,
        dialing: dialing as 'manual',
        destination: { id: 'p' },
      },
      debtor: { phones: [p] },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') {
      expect(ruleOf(decision)).toBe('us-federal/autodialer-consent');
      expect(decision.outcome === 'block' && decision.reason).toContain('manual dial only');
    }
  });
});

describe('cease communication: only the notices the law allows', () => {
  test.each<[Channel, ContactPurpose, string]>([
    ['call', 'collection', 'block'],
    ['sms', 'collection', 'block'],
    ['email', 'legal_notice', 'block'],
    ['letter', 'collection', 'block'],
    ['letter', 'legal_notice', 'allow'],
    ['letter', 'validation_notice', 'allow'],
    ['letter', 'cease_confirmation', 'allow'],
  ])('%s for %s: %s', (channel, purpose, outcome) => {
    const decision = evaluate({
      attempt: {
        at: ny(NOW),
        channel,
        purpose,
        destination: { id: channel === 'letter' ? 'home' : 'phone-mobile' },
      },
      debtor: { flags: { ceaseCommunication: true } },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-federal/cease');
  });
});

describe('attorney representation', () => {
  test.each([
    ['represented: no direct contact', { represented: true, directContactAllowed: false }, 'block'],
    [
      'represented, attorney allows direct contact',
      { represented: true, directContactAllowed: true },
      'allow',
    ],
    ['not represented', { represented: false, directContactAllowed: false }, 'allow'],
  ])('%s', (_label, attorney, outcome) => {
    const decision = evaluate({ attempt: { at: ny(NOW) }, debtor: { flags: { attorney } } });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-federal/attorney');
  });

  test('letters are direct contact too', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW), channel: 'letter', destination: { id: 'home' } },
      debtor: { flags: { attorney: { represented: true, directContactAllowed: false } } },
    });
    expect(decision.outcome).toBe('block');
  });
});

describe('holds: bankruptcy, dispute, deceased', () => {
  test('bankruptcy holds every channel and routes to the bankruptcy queue', () => {
    for (const channel of ['call', 'sms', 'email', 'letter', 'voicemail'] as const) {
      const decision = evaluate({
        attempt: { at: ny(NOW), channel },
        debtor: { flags: { bankruptcy: true } },
      });
      expect(decision).toMatchObject({ outcome: 'hold', rule: 'us-federal/bankruptcy', route: 'bankruptcy' });
    }
  });

  const dispute = (verificationSentAt: string | null, inValidationPeriod = true) => ({
    inValidationPeriod,
    disputedAt: ny('2026-06-01T10:00'),
    verificationSentAt,
  });
  test.each<[string, ReturnType<typeof dispute>, ContactPurpose, Channel, string]>([
    ['a dispute in the validation period holds collection', dispute(null), 'collection', 'call', 'hold'],
    ['the verification letter still goes', dispute(null), 'dispute_verification', 'letter', 'allow'],
    ['verification sent: collection resumes', dispute(ny('2026-06-09T12:00')), 'collection', 'call', 'allow'],
    [
      'verification sent later than the attempt: still held',
      dispute(ny('2026-06-11T12:00')),
      'collection',
      'call',
      'hold',
    ],
    [
      'a dispute outside the validation period does not hold',
      dispute(null, false),
      'collection',
      'call',
      'allow',
    ],
  ])('%s', (_label, d, purpose, channel, outcome) => {
    const decision = evaluate({
      attempt: {
        at: ny(NOW),
        purpose,
        channel,
        destination: { id: channel === 'letter' ? 'home' : 'phone-mobile' },
      },
      debtor: { flags: { dispute: d } },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'hold') expect(decision).toMatchObject({ rule: 'us-federal/dispute', route: 'disputes' });
  });

  test('a dispute outside the validation period is advised to the agent', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW) },
      debtor: { flags: { dispute: { inValidationPeriod: false, verificationSentAt: null } } },
    });
    expect(decision.advice.map((a) => a.rule)).toEqual(['us-federal/dispute']);
  });

  test('a deceased debtor is held for review', () => {
    const decision = evaluate({ attempt: { at: ny(NOW) }, debtor: { flags: { deceased: true } } });
    expect(decision).toMatchObject({
      outcome: 'hold',
      rule: 'us-federal/deceased',
      route: 'deceased_review',
    });
  });
});

describe('debtor-designated inconvenient places, channels and times', () => {
  const phones: PhoneFacts[] = [
    {
      id: 'mobile',
      e164: '+12125550123',
      lineType: 'mobile',
      zones: [NY],
      autodialConsent: true,
      place: 'mobile',
    },
    {
      id: 'office',
      e164: '+12125550199',
      lineType: 'landline',
      zones: [NY],
      autodialConsent: false,
      place: 'work',
    },
  ];
  test.each([
    [
      '"not at work" blocks the work number',
      { places: ['work' as const] },
      'call',
      'office',
      'block',
      'inconvenient-place',
    ],
    ['"not at work" leaves the mobile', { places: ['work' as const] }, 'call', 'mobile', 'allow', undefined],
    [
      'a designated number is blocked',
      { destinationIds: ['mobile'] },
      'sms',
      'mobile',
      'block',
      'inconvenient-place',
    ],
    [
      '"no emails" blocks email',
      { channels: ['email' as const] },
      'email',
      'e1',
      'block',
      'inconvenient-channel',
    ],
    ['"no emails" leaves calls', { channels: ['email' as const] }, 'call', 'mobile', 'allow', undefined],
    [
      '"no calls" covers voicemail',
      { channels: ['call' as const] },
      'voicemail',
      'mobile',
      'block',
      'inconvenient-channel',
    ],
  ])('%s', (_label, designations, channel, destination, outcome, rule) => {
    const decision = evaluate({
      attempt: { at: ny(NOW), channel: channel as Channel, destination: { id: destination } },
      debtor: { phones, designations },
    });
    expect(decision.outcome).toBe(outcome);
    if (rule) expect(ruleOf(decision)).toBe(`us-federal/${rule}`);
  });

  test('an inconvenient time defers to its end, not drops', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW) },
      debtor: {
        designations: { times: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
      },
    });
    expect(decision).toMatchObject({
      outcome: 'defer',
      rule: 'us-federal/inconvenient-time',
      until: ny('2026-06-10T17:00'),
    });
  });

  test('an inconvenient time and the 21:00 limit together: the next time both allow', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T20:30') },
      debtor: { designations: { times: [{ from: '20:00', to: '10:00' }] } },
    });
    expect(decision).toMatchObject({ outcome: 'defer', until: ny('2026-06-11T10:00') });
  });

  test('letters have no time', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T23:00'), channel: 'letter', destination: { id: 'home' } },
      debtor: { designations: { times: [{ from: '00:00', to: '00:00' }] } },
    });
    expect(decision.outcome).toBe('allow');
  });
});

describe('us-ma overlay: at most 2 calls or texts in 7 days, tighter than the baseline', () => {
  const MA = {
    jurisdictions: [{ country: 'US', region: 'MA' }],
    address: { country: 'US', region: 'MA', postcode: '02108' },
  };
  const NYS = { jurisdictions: [{ country: 'US', region: 'NY' }] };
  test.each([
    ['3rd call in Massachusetts', MA, 'call', attempts('call', daysBefore(1), daysBefore(3)), 'block'],
    ['3rd call in New York', NYS, 'call', attempts('call', daysBefore(1), daysBefore(3)), 'allow'],
    ['2nd call in Massachusetts', MA, 'call', attempts('call', daysBefore(1)), 'allow'],
    [
      'a text after a call and a text in Massachusetts',
      MA,
      'sms',
      [...attempts('call', daysBefore(1)), ...attempts('sms', daysBefore(2))],
      'block',
    ],
    ['a 3rd text in New York', NYS, 'sms', attempts('sms', daysBefore(1), daysBefore(2)), 'allow'],
    [
      'an email after two calls in Massachusetts',
      MA,
      'email',
      attempts('call', daysBefore(1), daysBefore(3)),
      'allow',
    ],
    [
      'a 3rd call in Massachusetts once one is 7 days old',
      MA,
      'call',
      attempts('call', daysBefore(7), daysBefore(3)),
      'allow',
    ],
  ])('%s', (_label, debtor, channel, recentAttempts, outcome) => {
    const decision = evaluate({
      attempt: { at: ny(NOW), channel: channel as Channel },
      debtor,
      counters: { recentAttempts },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'block') expect(ruleOf(decision)).toBe('us-ma/call-text-frequency');
  });

  test('the state may be written out in full', () => {
    const decision = evaluate({
      attempt: { at: ny(NOW) },
      debtor: { jurisdictions: [{ country: 'US', region: 'Massachusetts' }] },
    });
    expect(decision.evidence.packs.map((p) => p.id)).toEqual(['us-federal', 'us-ma']);
  });
});

describe('uk pack', () => {
  const LONDON = 'Europe/London';
  const uk = (text: string) => DateTime.fromISO(text, { zone: LONDON }).toUTC().toISO() ?? '';
  const ukDebtor = {
    jurisdictions: [{ country: 'GB' }],
    address: { country: 'GB', postcode: 'SW1A 1AA' },
    phones: [
      {
        id: 'phone-mobile',
        e164: '+447700900123',
        lineType: 'mobile' as const,
        zones: [LONDON],
        autodialConsent: true,
      },
    ],
  };
  const start = uk('2026-06-01T09:00');

  test.each([
    [
      'day 10 of a standard breathing space is held until day 60 ends',
      'standard',
      undefined,
      '2026-06-10T10:00',
      'hold',
      uk('2026-07-31T09:00'),
    ],
    ['the 60 days over: contact resumes', 'standard', undefined, '2026-07-31T09:00', 'allow', undefined],
    ['an end date given is used', 'standard', uk('2026-06-20T00:00'), '2026-06-21T10:00', 'allow', undefined],
    [
      'a mental health crisis breathing space has no end until it is lifted',
      'mental_health_crisis',
      undefined,
      '2026-09-10T10:00',
      'hold',
      undefined,
    ],
  ] as const)('%s', (_label, kind, end, at, outcome, until) => {
    const decision = evaluate({
      attempt: { at: uk(at) },
      debtor: { ...ukDebtor, flags: { breathingSpace: { kind, start, ...(end ? { end } : {}) } } },
    });
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'hold') {
      expect(decision).toMatchObject({ rule: 'uk/breathing-space', route: 'breathing_space' });
      expect(decision.outcome === 'hold' && decision.until).toBe(until ?? undefined);
    }
  });

  test('breathing space holds letters too: no contact at all', () => {
    const decision = evaluate({
      attempt: { at: uk('2026-06-10T10:00'), channel: 'letter', destination: { id: 'home' } },
      debtor: { ...ukDebtor, flags: { breathingSpace: { kind: 'standard', start } } },
    });
    expect(decision.outcome).toBe('hold');
  });

  test('a vulnerable customer: allowed, with advice to route', () => {
    const decision = evaluate({
      attempt: { at: uk('2026-06-10T10:00') },
      debtor: { ...ukDebtor, flags: { vulnerable: true } },
    });
    expect(decision.outcome).toBe('allow');
    expect(decision.advice).toEqual([
      expect.objectContaining({
        rule: 'uk/vulnerable',
        pack: { id: 'uk', version: '1.0.0' },
        route: 'vulnerable_customers',
      }),
    ]);
  });

  test('UK hours are London hours: 21:00 BST defers to 08:00 BST', () => {
    const decision = evaluate({ attempt: { at: uk('2026-06-10T21:00') }, debtor: ukDebtor });
    expect(decision).toMatchObject({
      outcome: 'defer',
      rule: 'uk/contact-hours',
      until: uk('2026-06-11T08:00'),
    });
  });

  test('the US rules do not apply to a UK debtor', () => {
    const decision = evaluate({
      attempt: { at: uk('2026-06-10T10:00') },
      debtor: ukDebtor,
      counters: { recentAttempts: attempts('call', ...[0.5, 1, 2, 3, 4, 5, 6].map((d) => daysBefore(d))) },
    });
    expect(decision.outcome).toBe('allow');
    expect(decision.evidence.packs).toEqual([{ id: 'uk', version: '1.0.0' }]);
  });
});
