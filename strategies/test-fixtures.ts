/** Small strategies for tests. */

/** A valid definition touching the common step types; tests mutate copies of it. */
export function minimalDefinition(): Record<string, unknown> & {
  steps: Record<string, unknown>[];
  on: Record<string, unknown>;
} {
  return {
    id: 'test-strategy',
    name: 'Test strategy',
    appliesTo: { buckets: ['1-29'] },
    steps: [
      { id: 'sms', type: 'send_reminder', channel: 'sms', template: 'early-reminder-friendly', next: 'wait' },
      { id: 'wait', type: 'wait', duration: '3d', next: 'call' },
      { id: 'call', type: 'create_call_task', queue: 'early-stage', priority: 50, due: '1d', next: 'check' },
      {
        id: 'check',
        type: 'wait_until',
        condition: 'amountOverdue == 0',
        timeout: '7d',
        next: 'cured',
        onTimeout: 'sms',
      },
      { id: 'cured', type: 'end', outcome: 'cured' },
    ],
    on: {
      cured: { goto: 'cured' },
      cease_request: { goto: 'cured' },
      promise_broken: { goto: 'call' },
    },
  };
}

/** A definition using every step type, holds-relevant handlers and custom flags. */
export function fullDefinition(): Record<string, unknown> {
  return {
    id: 'full',
    name: 'Every step type',
    flags: ['contacted'],
    steps: [
      { id: 'route', type: 'branch', cases: [{ when: 'flags.vulnerable', next: 'assign' }], default: 'sms' },
      { id: 'assign', type: 'assign', queue: 'vulnerable-customers', next: 'sms' },
      { id: 'sms', type: 'send_reminder', channel: 'sms', template: 'early-reminder-friendly', next: 'mark' },
      { id: 'mark', type: 'set_flag', flag: 'contacted', next: 'wait' },
      { id: 'wait', type: 'wait', duration: '2d', next: 'call' },
      { id: 'call', type: 'create_call_task', queue: 'early-stage', priority: 60, due: '4h', next: 'until' },
      {
        id: 'until',
        type: 'wait_until',
        condition: 'amountOverdue == 0',
        timeout: '5d',
        next: 'cured',
        onTimeout: 'letter',
      },
      { id: 'letter', type: 'send_reminder', channel: 'letter', template: 'final-demand', next: 'promise' },
      {
        id: 'promise',
        type: 'await_promise',
        timeout: '10d',
        onKept: 'cured',
        onBroken: 'escalate',
        onTimeout: 'escalate',
      },
      { id: 'escalate', type: 'escalate', target: 'agency', reason: 'no payment', next: 'agency' },
      { id: 'agency', type: 'end', outcome: 'placed_with_agency' },
      { id: 'cured', type: 'end', outcome: 'cured' },
      { id: 'to-hardship', type: 'transfer', strategy: 'hardship-plan' },
    ],
    on: {
      promise_created: { goto: 'promise' },
      promise_broken: { goto: 'escalate' },
      cured: { goto: 'cured' },
      hardship: { goto: 'to-hardship' },
      cease_request: { goto: 'letter' },
      dispute_opened: { assign: { queue: 'disputes' } },
      agent_outcome: [{ when: "event.outcome == 'wrong_number'", assign: { queue: 'skip-trace' } }],
      payment_received: [
        { when: 'amountOverdue > 0 and event.amount >= 10.00 EUR', setFlag: { flag: 'contacted' } },
      ],
    },
  };
}
