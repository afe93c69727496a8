import { makeCaseFacts } from '../domain/case-facts';
import { forecastContactPolicy } from './forecast-policy';

const DAY = 86_400_000;
const day0 = Date.UTC(2026, 5, 8, 14); // a Monday, 10:00 in New York
const call = (dueAt: number) => ({ type: 'create_call_task' as const, seq: 1, stepId: 'call', queue: 'early-stage', priority: 50, dueAt });
const sms = { type: 'send_reminder' as const, seq: 1, stepId: 'sms', channel: 'sms' as const, template: 't' };

describe('the contact policy in book forecasts', () => {
  it('blocks the 8th call in 7 days on a case, and starts afresh for the next case', () => {
    const policy = forecastContactPolicy();
    const facts = makeCaseFacts({ caseId: 'c1' });
    const decisions = Array.from({ length: 8 }, (_, i) => policy(call(day0 + i * 3_600_000), facts, day0 + i * 3_600_000));
    expect(decisions.slice(0, 7).every((d) => d.allowed)).toBe(true);
    expect(decisions[7]).toEqual({ allowed: false, rule: expect.stringMatching(/^us-federal\//) });
    expect(policy(call(day0), makeCaseFacts({ caseId: 'c2' }), day0)).toEqual({ allowed: true });
    // Eight days later the window has moved on.
    expect(policy(call(day0 + 8 * DAY), makeCaseFacts({ caseId: 'c2' }), day0 + 8 * DAY)).toEqual({ allowed: true });
  });

  it('refuses contact the case flags forbid', () => {
    const policy = forecastContactPolicy();
    expect(policy(sms, makeCaseFacts({ caseId: 'c3', flags: { cease: true } }), day0).allowed).toBe(false);
    expect(policy(call(day0), makeCaseFacts({ caseId: 'c4', flags: { bankruptcy: true } }), day0).allowed).toBe(false);
    expect(policy(sms, makeCaseFacts({ caseId: 'c5' }), day0).allowed).toBe(true);
  });
});
