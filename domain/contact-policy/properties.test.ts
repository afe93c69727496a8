import fc from 'fast-check';
import { DateTime } from 'luxon';
import { makeContactPolicyInput } from './builders';
import { evaluateContactAttempt } from './evaluate';
import {
  WEEKDAYS,
  type AddressFacts,
  type Channel,
  type ContactPolicyInput,
  type InconvenientTime,
  type PriorAttempt,
} from './types';

const T0 = Date.UTC(2026, 0, 1);
const T1 = Date.UTC(2027, 0, 1);
const params = { numRuns: 300 };

const addressArb = fc.constantFrom<AddressFacts>(
  { country: 'US', region: 'NY', postcode: '10001' },
  { country: 'US', region: 'CA', postcode: '90210' },
  { country: 'US', region: 'IL', postcode: '60601' },
  { country: 'US', region: 'AZ', postcode: '85001' },
  { country: 'US', region: 'HI', postcode: '96813' },
  { country: 'US', region: 'TN' },
  { country: 'GB', postcode: 'SW1A 1AA' },
);
const zoneArb = fc.constantFrom(
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Europe/London',
  'Asia/Kolkata',
);
// Quarter hours from 06:00: clear of the hours DST skips or repeats, so wall-clock checks are exact.
const clockArb = fc.integer({ min: 24, max: 95 }).map((q) => {
  const minutes = q * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});
const rangeArb: fc.Arbitrary<InconvenientTime> = fc.record(
  { days: fc.subarray([...WEEKDAYS], { minLength: 1 }), from: clockArb, to: clockArb },
  { requiredKeys: ['from', 'to'] },
);
const timedChannelArb = fc.constantFrom<Channel>('call', 'sms', 'email', 'voicemail');

const timedInputArb = fc
  .record({
    at: fc.integer({ min: T0, max: T1 }),
    address: addressArb,
    phoneZones: fc.uniqueArray(zoneArb, { maxLength: 2 }),
    times: fc.array(rangeArb, { maxLength: 2 }),
    channel: timedChannelArb,
  })
  .map(({ at, address, phoneZones, times, channel }) =>
    makeContactPolicyInput({
      attempt: { at, channel, destination: { id: channel === 'email' ? 'e1' : 'p1' } },
      debtor: {
        jurisdictions: [{ country: 'US', region: 'NY' }],
        address,
        phones: [
          { id: 'p1', e164: '+12125550123', lineType: 'mobile', zones: phoneZones, autodialConsent: true },
        ],
        designations: { times },
      },
    }),
  );

const at = (input: ContactPolicyInput, instant: string | number): ContactPolicyInput => ({
  ...input,
  attempt: { ...input.attempt, at: instant },
});

function minutesOfDay(dt: DateTime): number {
  return dt.hour * 60 + dt.minute;
}

function toMinutes(text: string): number {
  const [h = 0, m = 0] = text.split(':').map(Number);
  return h * 60 + m;
}

/** Whether the debtor's rules allow this instant on every candidate zone's wall clock, checked directly. */
function allowedOnEveryClock(
  ms: number,
  zones: readonly string[],
  times: readonly InconvenientTime[],
): boolean {
  return zones.every((zone) => {
    const local = DateTime.fromMillis(ms, { zone });
    const minute = minutesOfDay(local);
    if (minute < 8 * 60 || minute >= 21 * 60) return false;
    const today = WEEKDAYS[local.weekday - 1];
    const yesterday = WEEKDAYS[(local.weekday + 5) % 7];
    return !times.some((r) => {
      const from = toMinutes(r.from);
      const to = toMinutes(r.to);
      const on = (day: (typeof WEEKDAYS)[number] | undefined) =>
        !r.days || (day !== undefined && r.days.includes(day));
      if (to > from) return on(today) && minute >= from && minute < to;
      return (on(today) && minute >= from) || (on(yesterday) && minute < to);
    });
  });
}

describe('contact policy properties', () => {
  it('a deferral lands inside the allowed window of every zone, is allowed there, and is the earliest such time', () => {
    const seen = { allow: 0, defer: 0, block: 0, hold: 0 };
    fc.assert(
      fc.property(timedInputArb, (input) => {
        const decision = evaluateContactAttempt(input);
        seen[decision.outcome]++;
        const zones = decision.evidence.timeZones?.candidateZones ?? [];
        const times = input.debtor.designations.times;
        const atMs = Number(input.attempt.at);
        if (decision.outcome === 'allow') expect(allowedOnEveryClock(atMs, zones, times)).toBe(true);
        if (decision.outcome !== 'defer') return;
        const until = Date.parse(decision.until);
        expect(until).toBeGreaterThan(atMs);
        expect(allowedOnEveryClock(atMs, zones, times)).toBe(false);
        expect(allowedOnEveryClock(until, zones, times)).toBe(true);
        expect(evaluateContactAttempt(at(input, decision.until)).outcome).toBe('allow');
        const justBefore = until - 60_000;
        if (justBefore > atMs) expect(evaluateContactAttempt(at(input, justBefore)).outcome).toBe('defer');
      }),
      params,
    );
    // The generator must reach both sides of the window for the property to say anything.
    expect(seen.allow).toBeGreaterThan(params.numRuns / 10);
    expect(seen.defer).toBeGreaterThan(params.numRuns / 10);
  });

  const priorArb = fc.array(
    fc.record({
      offset: fc.integer({ min: 0, max: 10 * 24 * 60 }),
      channel: fc.constantFrom<Channel>('call', 'sms', 'voicemail', 'email'),
    }),
    { maxLength: 12 },
  );
  const countedInputArb = fc
    .record({
      at: fc.integer({ min: T0, max: T1 }),
      region: fc.constantFrom('NY', 'MA'),
      channel: timedChannelArb,
      prior: priorArb,
      conversationDaysAgo: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    })
    .map(({ at: atMs, region, channel, prior, conversationDaysAgo }) => {
      const recentAttempts: PriorAttempt[] = prior.map((p) => ({
        at: new Date(atMs - p.offset * 60_000).toISOString(),
        channel: p.channel,
      }));
      return makeContactPolicyInput({
        attempt: { at: atMs, channel, destination: { id: channel === 'email' ? 'e1' : 'phone-mobile' } },
        debtor: { jurisdictions: [{ country: 'US', region }] },
        counters: {
          recentAttempts,
          lastConversationAt:
            conversationDaysAgo === undefined
              ? null
              : new Date(atMs - conversationDaysAgo * 86_400_000).toISOString(),
        },
      });
    });

  it('is deterministic and does not depend on the order of the ledger', () => {
    fc.assert(
      fc.property(countedInputArb, fc.nat(), (input, rotation) => {
        const first = evaluateContactAttempt(input);
        expect(evaluateContactAttempt(input)).toEqual(first);
        const ledger = [...input.counters.recentAttempts].reverse();
        const cut = ledger.length === 0 ? 0 : rotation % ledger.length;
        const shuffled = [...ledger.slice(cut), ...ledger.slice(0, cut)];
        expect(
          evaluateContactAttempt({ ...input, counters: { ...input.counters, recentAttempts: shuffled } }),
        ).toEqual(first);
      }),
      params,
    );
  });

  it('one more attempt in the ledger never turns a block into anything looser', () => {
    fc.assert(
      fc.property(countedInputArb, fc.integer({ min: 0, max: 7 * 24 * 60 }), (input, offset) => {
        const before = evaluateContactAttempt(input);
        if (before.outcome !== 'block') return;
        const extra: PriorAttempt = {
          at: new Date(Number(input.attempt.at) - offset * 60_000).toISOString(),
          channel: input.attempt.channel,
        };
        const after = evaluateContactAttempt({
          ...input,
          counters: { ...input.counters, recentAttempts: [...input.counters.recentAttempts, extra] },
        });
        expect(after.outcome).toBe('block');
      }),
      params,
    );
  });

  it('a block that lapses says when, and by then the blocking rules pass', () => {
    fc.assert(
      fc.property(countedInputArb, (input) => {
        const decision = evaluateContactAttempt(input);
        if (decision.outcome !== 'block' || decision.retryAfter === undefined) return;
        const later = evaluateContactAttempt(at(input, decision.retryAfter));
        const counting = later.evidence.rules.filter((r) =>
          ['us-federal/call-frequency', 'us-ma/call-text-frequency', 'us-federal/post-conversation'].includes(
            r.rule,
          ),
        );
        expect(counting.every((r) => r.outcome !== 'block')).toBe(true);
      }),
      params,
    );
  });

  it('the Massachusetts overlay is never looser than the baseline', () => {
    fc.assert(
      fc.property(countedInputArb, (input) => {
        const rank = { allow: 0, defer: 1, block: 2, hold: 3 } as const;
        const ny = evaluateContactAttempt({
          ...input,
          debtor: { ...input.debtor, jurisdictions: [{ country: 'US', region: 'NY' }] },
        });
        const ma = evaluateContactAttempt({
          ...input,
          debtor: { ...input.debtor, jurisdictions: [{ country: 'US', region: 'MA' }] },
        });
        expect(rank[ma.outcome]).toBeGreaterThanOrEqual(rank[ny.outcome]);
      }),
      params,
    );
  });
});
