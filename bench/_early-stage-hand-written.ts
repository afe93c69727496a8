/**
 * strategies/library/early-stage.yaml written by hand as plain TypeScript, for the benchmark:
 * the cost of interpreting a plan is measured against this. It emits the same commands (the
 * benchmark checks that on its first cases) for everything the benchmark's debtors do: paying,
 * promising, keeping and breaking promises, never answering. Holds, cease requests and
 * hardship are left out because those debtors never raise them; that only flatters this side.
 */
import type { CaseFacts } from '../domain/case-facts';
import type { Command, StrategyEvent } from '../strategies/plan-types';
import type { Stepper } from '../strategies/simulator';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface HandState {
  status: 'new' | 'active' | 'ended' | 'transferred';
  step: string;
  timer: { id: string; fireAt: number } | null;
  seq: number;
}

type Out = Command[];

function wait(s: HandState, out: Out, now: number, id: string, ms: number): void {
  s.step = id;
  const seq = ++s.seq;
  const timerId = `${id}#${seq}`;
  out.push({ type: 'start_timer', seq, timerId, fireAt: now + ms });
  s.timer = { id: timerId, fireAt: now + ms };
}

function remind(
  s: HandState,
  out: Out,
  stepId: string,
  channel: 'sms' | 'email' | 'letter',
  template: string,
): void {
  out.push({ type: 'send_reminder', seq: ++s.seq, stepId, channel, template });
}

function call(
  s: HandState,
  out: Out,
  now: number,
  stepId: string,
  queue: string,
  priority: number,
  dueMs: number,
): void {
  out.push({ type: 'create_call_task', seq: ++s.seq, stepId, queue, priority, dueAt: now + dueMs });
}

function run(s: HandState, out: Out, facts: CaseFacts, now: number, target: string): void {
  let step = target;
  for (;;) {
    switch (step) {
      case 'route':
        step = facts.flags.vulnerable ? 'assign-vulnerable' : 'reminder-sms';
        continue;
      case 'assign-vulnerable':
        out.push({ type: 'assign', seq: ++s.seq, stepId: step, assignee: { queue: 'vulnerable-customers' } });
        call(s, out, now, 'vulnerable-call', 'vulnerable-customers', 60, DAY);
        return wait(s, out, now, 'wait-after-first-call', 3 * DAY);
      case 'reminder-sms':
        remind(s, out, step, 'sms', 'early-reminder-friendly');
        return wait(s, out, now, 'wait-after-sms', 3 * DAY);
      case 'reminder-email':
        remind(s, out, step, 'email', 'early-reminder-email');
        return wait(s, out, now, 'wait-after-email', 4 * DAY);
      case 'choose-call-priority':
        if ((facts.currency === 'EUR' && facts.balanceMinor >= 500_000) || facts.brokenPromiseCount > 0) {
          call(s, out, now, 'call-urgent', 'early-stage', 70, 4 * HOUR);
        } else {
          call(s, out, now, 'call-normal', 'early-stage', 40, DAY);
        }
        return wait(s, out, now, 'wait-after-first-call', 3 * DAY);
      case 'second-sms':
        remind(s, out, step, 'sms', 'early-reminder-second');
        return wait(s, out, now, 'wait-after-second-sms', 4 * DAY);
      case 'second-call':
        call(s, out, now, step, 'early-stage', 50, DAY);
        return wait(s, out, now, 'wait-after-second-call', 3 * DAY);
      case 'arrears-letter':
        remind(s, out, step, 'letter', 'early-arrears-letter');
        if (facts.dpd >= 30) {
          step = 'to-mid-stage';
          continue;
        }
        return wait(s, out, now, 'wait-for-mid-stage', 30 * DAY);
      case 'to-mid-stage':
        out.push({ type: 'transfer', seq: ++s.seq, stepId: step, strategy: 'mid-stage' });
        s.status = 'transferred';
        s.step = step;
        return;
      case 'confirm-promise':
        remind(s, out, step, 'sms', 'ptp-confirmation');
        out.push({ type: 'await_promise', seq: ++s.seq, stepId: 'await-promise', timeoutAt: now + 14 * DAY });
        return wait(s, out, now, 'await-promise', 14 * DAY);
      case 'check-cured':
        if (facts.amountOverdueMinor === 0) {
          step = 'cured';
          continue;
        }
        return wait(s, out, now, 'check-cured', 2 * DAY);
      case 'promise-broken-sms':
        remind(s, out, step, 'sms', 'ptp-broken');
        call(s, out, now, 'promise-broken-call', 'early-stage', 75, 4 * HOUR);
        return wait(s, out, now, 'wait-after-second-call', 3 * DAY);
      case 'cured':
        out.push({ type: 'end', seq: ++s.seq, stepId: step, outcome: 'cured' });
        s.status = 'ended';
        s.step = step;
        return;
      default:
        throw new Error(`hand-written early stage has no step ${step}`);
    }
  }
}

const NEXT_AFTER_TIMER: Record<string, string> = {
  'wait-after-sms': 'reminder-email',
  'wait-after-email': 'choose-call-priority',
  'wait-after-first-call': 'second-sms',
  'wait-after-second-sms': 'second-call',
  'wait-after-second-call': 'arrears-letter',
  'wait-for-mid-stage': 'to-mid-stage',
  'await-promise': 'second-sms',
  'check-cured': 'second-sms',
};

function goto(s: HandState, out: Out, facts: CaseFacts, now: number, target: string): void {
  if (s.timer) {
    out.push({ type: 'cancel_timer', timerId: s.timer.id, seq: ++s.seq });
    s.timer = null;
  }
  run(s, out, facts, now, target);
}

export function handWrittenEarlyStage(): Stepper<HandState> {
  return {
    initial: () => ({ status: 'new', step: '', timer: null, seq: 0 }),
    wantsFacts: (state) =>
      state.status === 'active' && (state.step === 'wait-for-mid-stage' || state.step === 'check-cured'),
    finished: (state) => state.status === 'ended' || state.status === 'transferred',
    step(state: HandState, facts: CaseFacts, event: StrategyEvent, now: number) {
      if (state.status === 'ended' || state.status === 'transferred') return { commands: [], state };
      if (state.status === 'new' && event.type !== 'started') return { commands: [], state };
      const s: HandState = { ...state };
      const out: Out = [];
      switch (event.type) {
        case 'started':
          if (state.status !== 'new') return { commands: [], state };
          s.status = 'active';
          run(s, out, facts, now, 'route');
          break;
        case 'timer_fired': {
          if (!s.timer || s.timer.id !== event.timerId) return { commands: [], state };
          s.timer = null;
          run(s, out, facts, now, NEXT_AFTER_TIMER[s.step] as string);
          break;
        }
        case 'promise_kept':
          if (s.step === 'await-promise') goto(s, out, facts, now, 'check-cured');
          else if (s.step === 'check-cured' && facts.amountOverdueMinor === 0)
            goto(s, out, facts, now, 'cured');
          break;
        case 'promise_broken':
          goto(s, out, facts, now, 'promise-broken-sms');
          break;
        case 'promise_created':
          goto(s, out, facts, now, 'confirm-promise');
          break;
        case 'cured':
          goto(s, out, facts, now, 'cured');
          break;
        default:
          if (s.step === 'wait-for-mid-stage' && facts.dpd >= 30) goto(s, out, facts, now, 'to-mid-stage');
          else if (s.step === 'check-cured' && facts.amountOverdueMinor === 0)
            goto(s, out, facts, now, 'cured');
      }
      return { commands: out, state: s };
    },
  };
}
