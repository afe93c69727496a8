import { makeCaseFacts, type CaseFacts } from '../domain/case-facts';
import { DAY_MS, HOUR_MS } from './duration';
import { initialState, isHeld, step, wantsFactsUpdates } from './interpreter';
import type { Command, InterpreterState, Plan, StrategyEvent } from './plan-types';
import { fullDefinition, minimalDefinition } from './test-fixtures';
import { compileStrategy } from './validate';

const T0 = Date.UTC(2025, 0, 6, 9);

class Case {
  state: InterpreterState;
  facts: CaseFacts;
  log: Command[] = [];
  constructor(
    readonly plan: Plan,
    facts: Parameters<typeof makeCaseFacts>[0] = {},
  ) {
    this.state = initialState(plan);
    this.facts = makeCaseFacts(facts);
  }
  send(event: StrategyEvent, at: number): Command[] {
    const result = step(this.plan, this.state, this.facts, event, at);
    this.state = result.state;
    this.log.push(...result.commands);
    return [...result.commands];
  }
  fireTimer(at?: number): Command[] {
    const timer = this.state.timer;
    if (!timer) throw new Error('no timer');
    return this.send({ type: 'timer_fired', timerId: timer.timerId }, at ?? timer.fireAt);
  }
}

const types = (commands: Command[]) => commands.map((c) => c.type);
const full = () => compileStrategy(fullDefinition());

describe('interpreter', () => {
  it('when started, runs steps until the first wait and starts its timer', () => {
    const c = new Case(full());
    const commands = c.send({ type: 'started' }, T0);
    expect(commands).toEqual([
      { type: 'send_reminder', seq: 1, stepId: 'sms', channel: 'sms', template: 'early-reminder-friendly' },
      { type: 'set_flag', seq: 2, stepId: 'mark', flag: 'contacted', value: true },
      { type: 'start_timer', seq: 3, timerId: 'wait#3', fireAt: T0 + 2 * DAY_MS },
    ]);
    expect(c.state).toMatchObject({
      status: 'active',
      stepId: 'wait',
      phase: 'waiting',
      seq: 3,
      flags: { contacted: true },
    });
  });

  it('routes vulnerable customers through the branch', () => {
    const c = new Case(full(), { flags: { vulnerable: true } });
    expect(types(c.send({ type: 'started' }, T0))).toEqual([
      'assign',
      'send_reminder',
      'set_flag',
      'start_timer',
    ]);
  });

  it('ignores events before start, a second start, and stale timers', () => {
    const c = new Case(full());
    expect(c.send({ type: 'facts_updated' }, T0)).toEqual([]);
    expect(c.state.status).toBe('new');
    c.send({ type: 'started' }, T0);
    const before = c.state;
    expect(c.send({ type: 'started' }, T0 + 1)).toEqual([]);
    expect(c.send({ type: 'timer_fired', timerId: 'wait#999' }, T0 + 1)).toEqual([]);
    expect(c.state).toBe(before);
  });

  it('moves on when the timer fires and creates the call task with its due time', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    const at = T0 + 2 * DAY_MS;
    expect(c.fireTimer()).toEqual([
      {
        type: 'create_call_task',
        seq: 4,
        stepId: 'call',
        queue: 'early-stage',
        priority: 60,
        dueAt: at + 4 * HOUR_MS,
      },
      { type: 'start_timer', seq: 5, timerId: 'until#5', fireAt: at + 5 * DAY_MS },
    ]);
  });

  it('leaves a wait_until when the facts make its condition true', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.fireTimer();
    expect(wantsFactsUpdates(c.plan, c.state)).toBe(true);
    expect(c.send({ type: 'facts_updated' }, T0 + 3 * DAY_MS)).toEqual([]);
    c.facts = { ...c.facts, amountOverdueMinor: 0 };
    expect(types(c.send({ type: 'facts_updated' }, T0 + 3 * DAY_MS))).toEqual(['cancel_timer', 'end']);
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'cured' });
  });

  it('takes the timeout path of a wait_until when its timer fires', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.fireTimer();
    expect(c.fireTimer()).toMatchObject([
      { type: 'send_reminder', template: 'final-demand' },
      { type: 'await_promise', stepId: 'promise' },
      { type: 'start_timer' },
    ]);
  });

  it('when a promise is kept while awaiting it, follows onKept rather than the strategy handler', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.send({ type: 'promise_created' }, T0 + HOUR_MS);
    expect(c.state.stepId).toBe('promise');
    expect(types(c.send({ type: 'promise_kept' }, T0 + 5 * DAY_MS))).toEqual(['cancel_timer', 'end']);
    expect(c.state.outcome).toBe('cured');
  });

  it('when a promise is broken while awaiting it, follows onBroken and escalates', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.send({ type: 'promise_created' }, T0 + HOUR_MS);
    expect(c.send({ type: 'promise_broken' }, T0 + 8 * DAY_MS)).toMatchObject([
      { type: 'cancel_timer' },
      { type: 'escalate', target: 'agency', reason: 'no payment' },
      { type: 'end', outcome: 'placed_with_agency' },
    ]);
  });

  it('applies inline handler actions without moving the case', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    const timer = c.state.timer;
    expect(c.send({ type: 'agent_outcome', outcome: 'wrong_number' }, T0 + HOUR_MS)).toEqual([
      { type: 'assign', seq: 4, stepId: 'wait', assignee: { queue: 'skip-trace' } },
    ]);
    expect(c.state.timer).toEqual(timer);
    expect(c.send({ type: 'agent_outcome', outcome: 'rpc' }, T0 + HOUR_MS)).toEqual([]);
  });

  it('freezes a wait during a dispute and resumes it with the time it had left', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    expect(c.send({ type: 'dispute_opened' }, T0 + DAY_MS)).toEqual([
      { type: 'cancel_timer', seq: 4, timerId: 'wait#3' },
      { type: 'assign', seq: 5, stepId: 'wait', assignee: { queue: 'disputes' } },
    ]);
    expect(isHeld(c.state)).toBe(true);
    expect(c.state.frozenMs).toBe(DAY_MS);
    const released = T0 + 31 * DAY_MS;
    expect(c.send({ type: 'dispute_resolved' }, released)).toEqual([
      { type: 'start_timer', seq: 6, timerId: 'wait#6', fireAt: released + DAY_MS },
    ]);
    expect(isHeld(c.state)).toBe(false);
  });

  it('never emits a treatment during a hold; a handler that moves the case stops in front of the treatment', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.send({ type: 'hold_placed', hold: 'manual_pause' }, T0 + HOUR_MS);
    const duringHold = c.send({ type: 'cease_request' }, T0 + 2 * HOUR_MS);
    expect(types(duringHold)).toEqual([]);
    expect(c.state).toMatchObject({ stepId: 'letter', phase: 'pending', timer: null, frozenMs: null });
    expect(types(c.send({ type: 'hold_released', hold: 'manual_pause' }, T0 + DAY_MS))).toEqual([
      'send_reminder',
      'await_promise',
      'start_timer',
    ]);
  });

  it('stays held until every hold is released', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.send({ type: 'bankruptcy' }, T0 + HOUR_MS);
    c.send({ type: 'dispute_opened' }, T0 + 2 * HOUR_MS);
    expect(c.send({ type: 'dispute_resolved' }, T0 + DAY_MS)).toEqual([]);
    expect(c.state.holds.map((h) => h.kind)).toEqual(['bankruptcy']);
    expect(types(c.send({ type: 'hold_released', hold: 'bankruptcy' }, T0 + 2 * DAY_MS))).toEqual([
      'start_timer',
    ]);
  });

  it('releases a breathing space when its end date passes', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    const until = T0 + 60 * DAY_MS;
    expect(c.send({ type: 'hold_placed', hold: 'breathing_space', until }, T0 + DAY_MS)).toEqual([
      { type: 'cancel_timer', seq: 4, timerId: 'wait#3' },
      { type: 'start_timer', seq: 5, timerId: 'hold:breathing_space#5', fireAt: until },
    ]);
    expect(c.send({ type: 'timer_fired', timerId: 'hold:breathing_space#5' }, until)).toEqual([
      { type: 'start_timer', seq: 6, timerId: 'wait#6', fireAt: until + DAY_MS },
    ]);
  });

  it('starts held when the case facts carry a hold flag, and treats on release', () => {
    const c = new Case(full(), { flags: { dispute: true } });
    expect(c.send({ type: 'started' }, T0)).toEqual([]);
    expect(c.state).toMatchObject({ stepId: 'sms', phase: 'pending' });
    expect(types(c.send({ type: 'dispute_resolved' }, T0 + DAY_MS))).toEqual([
      'send_reminder',
      'set_flag',
      'start_timer',
    ]);
  });

  it('ends a cured case with outcome cured when the strategy has no cured handler', () => {
    const definition = minimalDefinition();
    delete definition.on.cured;
    const c = new Case(compileStrategy(definition));
    c.send({ type: 'started' }, T0);
    expect(c.send({ type: 'cured' }, T0 + DAY_MS)).toMatchObject([
      { type: 'cancel_timer' },
      { type: 'end', stepId: 'wait', outcome: 'cured' },
    ]);
  });

  it('cancels hold timers when the case ends, and ignores everything afterwards', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.send({ type: 'hold_placed', hold: 'breathing_space', until: T0 + 60 * DAY_MS }, T0 + HOUR_MS);
    expect(types(c.send({ type: 'cured' }, T0 + DAY_MS))).toEqual(['end', 'cancel_timer']);
    expect(c.send({ type: 'timer_fired', timerId: 'hold:breathing_space#5' }, T0 + 60 * DAY_MS)).toEqual([]);
    expect(c.send({ type: 'started' }, T0 + 61 * DAY_MS)).toEqual([]);
  });

  it('transfers to another strategy', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    expect(c.send({ type: 'hardship' }, T0 + HOUR_MS)).toMatchObject([
      { type: 'cancel_timer' },
      { type: 'transfer', strategy: 'hardship-plan' },
    ]);
    expect(c.state.status).toBe('transferred');
  });

  it('faults, rather than acting, when given a different plan than the case is pinned to', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    const other = compileStrategy(minimalDefinition());
    const result = step(other, c.state, c.facts, { type: 'facts_updated' }, T0 + 1);
    expect(result.commands).toMatchObject([{ type: 'fault' }]);
    expect(result.state.status).toBe('faulted');
  });

  it('cuts a loop that never waits (a plan that skipped validation) with a fault', () => {
    const plan: Plan = {
      ...compileStrategy(minimalDefinition()),
      start: 'a',
      steps: {
        a: { type: 'assign', id: 'a', assignee: { queue: 'x' }, next: 'b' },
        b: { type: 'assign', id: 'b', assignee: { queue: 'y' }, next: 'a' },
      },
    };
    const result = step(plan, initialState(plan), makeCaseFacts(), { type: 'started' }, T0);
    expect(result.state.status).toBe('faulted');
    expect(result.commands[result.commands.length - 1]).toMatchObject({ type: 'fault' });
  });

  it('does not modify the state it is given and returns plain JSON', () => {
    const plan = full();
    const state = Object.freeze(initialState(plan));
    const result = step(plan, state, makeCaseFacts(), { type: 'started' }, T0);
    expect(state.status).toBe('new');
    expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
  });

  it('hands out strictly increasing sequence numbers across activations', () => {
    const c = new Case(full());
    c.send({ type: 'started' }, T0);
    c.fireTimer();
    c.send({ type: 'dispute_opened' }, T0 + 3 * DAY_MS);
    c.send({ type: 'dispute_resolved' }, T0 + 4 * DAY_MS);
    c.fireTimer();
    const seqs = c.log.map((command) => command.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
