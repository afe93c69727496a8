/**
 * The contact policy in book forecasts: each simulated reminder or call goes through the real
 * rule packs (domain/contact-policy) with the case's flags and the attempts the forecast has
 * made on it so far, so the forecast shows what compliance would block (call caps, cease,
 * attorney, bankruptcy and dispute holds) and how many treatments are really sent. Case facts
 * carry no address or phone, so every debtor is taken to be a US (New York) debtor with a
 * consenting mobile: time-zone effects are not forecast. Only the CLI imports this: the rule
 * packs load ZIP tables that have no place in the workflow sandbox.
 */
import { CHANNELS, evaluateContactAttempt, makeContactPolicyInput, type Channel } from '../domain/contact-policy';
import type { CaseFacts } from '../domain/case-facts';
import type { ContactPolicy } from './simulator';

const DAY_MS = 86_400_000;

export function forecastContactPolicy(): ContactPolicy {
  let currentCase: string | undefined;
  let lastNow = -Infinity;
  let attempts: { at: number; channel: Channel }[] = [];
  return (command, facts: CaseFacts, now: number) => {
    // The forecast runs its cases one after another, each from day 0: a new case (another id,
    // or the clock going back) starts a fresh ledger.
    if (facts.caseId !== currentCase || now < lastNow) {
      currentCase = facts.caseId;
      attempts = [];
    }
    lastNow = now;
    const channel = (command.type === 'create_call_task' ? 'call' : command.channel) as string;
    if (!(CHANNELS as readonly string[]).includes(channel)) return { allowed: true };
    const at = command.type === 'create_call_task' ? Math.max(now, command.dueAt) : now;
    attempts = attempts.filter((a) => a.at > at - 8 * DAY_MS);
    const flags = facts.flags;
    const decision = evaluateContactAttempt(
      makeContactPolicyInput({
        attempt: { channel: channel as Channel, at, dialing: channel === 'call' ? 'manual' : 'automated', initiatedBy: 'workflow' },
        debtor: {
          flags: {
            ceaseCommunication: flags.cease,
            attorney: flags.attorney ? { represented: true, directContactAllowed: false } : null,
            bankruptcy: flags.bankruptcy,
            dispute: flags.dispute ? { inValidationPeriod: true, verificationSentAt: null } : null,
            deceased: flags.deceased,
            vulnerable: flags.vulnerable,
          },
        },
        counters: {
          recentAttempts: attempts.map((a) => ({ at: a.at, channel: a.channel })),
          lastConversationAt: null,
        },
      }),
    );
    if (decision.outcome === 'block' || decision.outcome === 'hold') return { allowed: false, rule: decision.rule };
    // Allowed, or deferred to a later hour of the same debtor: either way the attempt is made.
    attempts.push({ at, channel: channel as Channel });
    return { allowed: true };
  };
}
