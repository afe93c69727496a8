/**
 * The standard scenarios every strategy is simulated over (and golden-tested against).
 * Days count from the day the strategy starts on the case (day 0, 09:00 UTC); scripted
 * events happen at 10:00 unless a time is given.
 */
import { DAY_MS } from './duration';
import { SIMULATION_DAY0, type Scenario } from './simulator';

export const STANDARD_SCENARIOS: readonly Scenario[] = [
  {
    name: 'never-answers',
    description: 'The debtor never answers, never pays and never gets in touch.',
    steps: [],
  },
  {
    name: 'pays-on-day-12',
    description: 'The debtor pays the arrears in full on day 12 without being reached.',
    steps: [{ day: 12, action: { type: 'pay', portion: 'overdue' } }],
  },
  {
    name: 'partial-payment',
    description: 'The debtor pays half the arrears on day 5 and nothing more.',
    steps: [{ day: 5, action: { type: 'pay', portion: 'half_overdue' } }],
  },
  {
    name: 'promises-then-pays',
    description: 'Reached on day 4, promises to pay within a week, and pays on day 10.',
    steps: [
      { day: 4, time: '11:00', action: { type: 'agent_outcome', outcome: 'promise_to_pay' } },
      { day: 4, time: '11:00', action: { type: 'promise_created', dueAt: SIMULATION_DAY0 + 11 * DAY_MS } },
      { day: 10, action: { type: 'pay', portion: 'overdue' } },
      { day: 10, time: '10:05', action: { type: 'promise_kept' } },
    ],
  },
  {
    name: 'promises-then-breaks',
    description: 'Reached on day 4, promises to pay by day 11, and does not pay.',
    steps: [
      { day: 4, time: '11:00', action: { type: 'agent_outcome', outcome: 'promise_to_pay' } },
      { day: 4, time: '11:00', action: { type: 'promise_created', dueAt: SIMULATION_DAY0 + 11 * DAY_MS } },
      { day: 12, time: '09:30', action: { type: 'promise_broken' } },
    ],
  },
  {
    name: 'breaks-twice',
    description: 'Promises on day 4 and breaks it, promises again on day 20 and breaks that too.',
    steps: [
      { day: 4, time: '11:00', action: { type: 'agent_outcome', outcome: 'promise_to_pay' } },
      { day: 4, time: '11:00', action: { type: 'promise_created', dueAt: SIMULATION_DAY0 + 11 * DAY_MS } },
      { day: 12, time: '09:30', action: { type: 'promise_broken' } },
      { day: 20, time: '11:00', action: { type: 'agent_outcome', outcome: 'promise_to_pay' } },
      { day: 20, time: '11:00', action: { type: 'promise_created', dueAt: SIMULATION_DAY0 + 27 * DAY_MS } },
      { day: 28, time: '09:30', action: { type: 'promise_broken' } },
    ],
  },
  {
    name: 'disputes-on-day-3',
    description: 'Disputes the debt on day 3; the dispute is resolved in the bank’s favour on day 33.',
    steps: [
      { day: 3, action: { type: 'dispute_opened' } },
      { day: 33, action: { type: 'dispute_resolved' } },
    ],
  },
  {
    name: 'bankruptcy',
    description: 'Files for bankruptcy on day 10.',
    steps: [{ day: 10, action: { type: 'bankruptcy' } }],
  },
  {
    name: 'hardship',
    description: 'Tells the agent on day 6 that they lost their job (financial hardship).',
    steps: [
      { day: 6, time: '11:00', action: { type: 'agent_outcome', outcome: 'hardship' } },
      { day: 6, time: '11:00', action: { type: 'hardship' } },
    ],
  },
  {
    name: 'cease-request',
    description: 'Asks in writing on day 8 that the bank stop contacting them.',
    steps: [{ day: 8, action: { type: 'cease_request' } }],
  },
  {
    name: 'breathing-space',
    description: 'Enters a 60-day breathing space (UK) on day 5.',
    steps: [
      {
        day: 5,
        action: {
          type: 'hold_placed',
          hold: 'breathing_space',
          until: SIMULATION_DAY0 + 65 * DAY_MS + 10 * 3_600_000,
        },
      },
    ],
  },
];

export function standardScenario(name: string): Scenario | undefined {
  return STANDARD_SCENARIOS.find((s) => s.name === name);
}
