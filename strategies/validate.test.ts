import { DEFAULT_CATALOGUE } from './catalogue';
import { fullDefinition, minimalDefinition } from './test-fixtures';
import {
  ERROR_CODES,
  WARNING_CODES,
  compileStrategy,
  validateStrategy,
  type IssueCode,
  type ValidationIssue,
} from './validate';
import { StrategyInvalidError } from './compile';

type Definition = ReturnType<typeof minimalDefinition>;

function errorsOf(mutate: (d: Definition) => void): ValidationIssue[] {
  const definition = minimalDefinition();
  mutate(definition);
  const result = validateStrategy(definition);
  return result.ok ? [] : [...result.errors];
}

function warningsOf(mutate: (d: Definition) => void): ValidationIssue[] {
  const definition = minimalDefinition();
  mutate(definition);
  return [...validateStrategy(definition).warnings];
}

function step(d: Definition, id: string): Record<string, unknown> {
  const found = d.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

interface Case {
  readonly code: IssueCode;
  readonly mutate: (d: Definition) => void;
  readonly path: string;
  readonly message: string | RegExp;
}

const errorCases: Case[] = [
  {
    code: 'missing_field',
    mutate: (d) => delete step(d, 'sms').template,
    path: 'steps[0].template',
    message: "'template' is required for a send_reminder step",
  },
  {
    code: 'invalid_type',
    mutate: (d) => (step(d, 'call').priority = 'high'),
    path: 'steps[2].priority',
    message: "expected a priority from 1 (lowest) to 100 (highest), found text 'high'",
  },
  {
    code: 'invalid_value',
    mutate: (d) => (step(d, 'sms').channel = 'fax'),
    path: 'steps[0].channel',
    message: "text 'fax' is not allowed: expected a channel: sms, email, letter, voicemail, push",
  },
  {
    code: 'unknown_field',
    mutate: (d) => (step(d, 'sms').tempalte = 'x'),
    path: 'steps[0].tempalte',
    message: "unknown field 'tempalte' for a send_reminder step (did you mean 'template'?)",
  },
  {
    code: 'unknown_step_type',
    mutate: (d) => (step(d, 'wait').type = 'sleep'),
    path: 'steps[1].type',
    message: /^unknown step type 'sleep'; expected one of send_reminder, create_call_task, wait, /,
  },
  {
    code: 'duplicate_step_id',
    mutate: (d) => (step(d, 'wait').id = 'sms'),
    path: 'steps[1].id',
    message: "step id 'sms' is already used by steps[0]",
  },
  {
    code: 'unknown_step',
    mutate: (d) => (step(d, 'call').next = 'chek'),
    path: 'steps[2].next',
    message: "step 'chek' does not exist (did you mean 'check'?)",
  },
  {
    code: 'unreachable_step',
    mutate: (d) => d.steps.push({ id: 'orphan', type: 'end', outcome: 'closed_other' }),
    path: 'steps[5]',
    message: "step 'orphan' is unreachable: neither the start, another step nor an event handler leads to it",
  },
  {
    code: 'cycle_without_wait',
    mutate: (d) => {
      step(d, 'sms').next = 'flag';
      d.steps.push({ id: 'flag', type: 'assign', queue: 'early-stage', next: 'sms' });
    },
    path: 'steps[0]',
    message:
      "steps 'sms' → 'flag' → 'sms' form a loop without a wait: the case would repeat them forever; " +
      'put a wait, wait_until or await_promise step in the loop',
  },
  {
    code: 'branch_without_default',
    mutate: (d) => {
      step(d, 'wait').next = 'route';
      d.steps.push({ id: 'route', type: 'branch', cases: [{ when: 'dpd > 10', next: 'call' }] });
    },
    path: 'steps[5].default',
    message: "branch 'route' has no default: say where the case goes when no case matches",
  },
  {
    code: 'condition_syntax',
    mutate: (d) => (step(d, 'check').condition = 'dpd >= 30 and'),
    path: 'steps[3].condition',
    message: 'expected a value, found the end of the condition (in "dpd >= 30 and" at column 14)',
  },
  {
    code: 'unknown_fact',
    mutate: (d) => (step(d, 'check').condition = 'dpdd >= 30'),
    path: 'steps[3].condition',
    message: "unknown fact 'dpdd' (did you mean 'dpd'?) (in \"dpdd >= 30\" at column 1)",
  },
  {
    code: 'condition_type',
    mutate: (d) => (step(d, 'check').condition = "dpd >= 'thirty'"),
    path: 'steps[3].condition',
    message: "cannot compare dpd (a number) with 'thirty' (text) (in \"dpd >= 'thirty'\" at column 5)",
  },
  {
    code: 'invalid_duration',
    mutate: (d) => (step(d, 'wait').duration = 'three days'),
    path: 'steps[1].duration',
    message: "'three days' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D",
  },
  {
    code: 'duration_out_of_range',
    mutate: (d) => (step(d, 'wait').duration = 'PT10M'),
    path: 'steps[1].duration',
    message: '10m is shorter than the minimum of 1h for the duration of a wait step',
  },
  {
    code: 'unknown_template',
    mutate: (d) => (step(d, 'sms').template = 'final-demand'),
    path: 'steps[0].template',
    message: "template 'final-demand' does not exist for sms (it is a letter template)",
  },
  {
    code: 'unknown_queue',
    mutate: (d) => (step(d, 'call').queue = 'early-stag'),
    path: 'steps[2].queue',
    message: new RegExp(
      "^queue 'early-stag' does not exist \\(did you mean 'early-stage'\\?\\); known queues: early-stage, ",
    ),
  },
  {
    code: 'unknown_strategy',
    mutate: (d) => {
      step(d, 'check').onTimeout = 'move';
      d.steps.push({ id: 'move', type: 'transfer', strategy: 'mid-stag' });
    },
    path: 'steps[5].strategy',
    message:
      "strategy 'mid-stag' does not exist (did you mean 'mid-stage'?); known strategies: early-stage, mid-stage, late-stage, hardship-plan",
  },
  {
    code: 'unknown_bucket',
    mutate: (d) => (d.appliesTo = { buckets: ['1-30'] }),
    path: 'appliesTo.buckets[0]',
    message: "'1-30' is not a bucket; buckets are 'current', '1-29', '30-59', '60-89', '90-119' or '120+'",
  },
  {
    code: 'unknown_flag',
    mutate: (d) => {
      step(d, 'sms').next = 'mark';
      d.steps.push({ id: 'mark', type: 'set_flag', flag: 'remindedTwice', next: 'wait' });
    },
    path: 'steps[5].flag',
    message: "flag 'remindedTwice' is not declared: list it under 'flags:'",
  },
  {
    code: 'readonly_flag',
    mutate: (d) => (d.on.dispute_opened = { setFlag: { flag: 'dispute', value: false } }),
    path: 'on.dispute_opened.setFlag.flag',
    message:
      "a strategy cannot set 'dispute': it comes from outside (agents, courts, the debtor) through events",
  },
  {
    code: 'invalid_assignee',
    mutate: (d) => (d.on.hardship = { assign: {} }),
    path: 'on.hardship.assign',
    message: 'assign needs a queue or an agent, e.g. queue: hardship',
  },
  {
    code: 'unknown_event',
    mutate: (d) => (d.on.promise_brokn = { goto: 'call' }),
    path: 'on.promise_brokn',
    message:
      /^unknown event 'promise_brokn' \(did you mean 'promise_broken'\?\); events are payment_received, /,
  },
  {
    code: 'empty_rule',
    mutate: (d) => (d.on.hardship = { when: 'flags.hardship' }),
    path: 'on.hardship',
    message: 'a handler rule needs at least one of goto, assign or setFlag',
  },
];

describe('validateStrategy', () => {
  it('accepts a valid strategy and returns its plan', () => {
    const result = validateStrategy(minimalDefinition());
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.plan.strategyId).toBe('test-strategy');
    expect(result.plan.start).toBe('sms');
    expect(Object.keys(result.plan.steps)).toEqual(['sms', 'wait', 'call', 'check', 'cured']);
    expect(result.plan.steps.wait).toEqual({
      type: 'wait',
      id: 'wait',
      durationMs: 3 * 86_400_000,
      next: 'call',
    });
    expect(result.plan.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.warnings).toEqual([]);
  });

  it('accepts a strategy using every step type', () => {
    const result = validateStrategy(fullDefinition());
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(new Set(Object.values(result.plan.steps).map((s) => s.type)).size).toBe(11);
  });

  describe.each(errorCases)('error $code', ({ code, mutate, path, message }) => {
    it(`is reported at ${path} with a sentence`, () => {
      const errors = errorsOf(mutate);
      const match = errors.find((e) => e.code === code);
      expect(match).toBeDefined();
      expect(match?.pathText).toBe(path);
      if (typeof message === 'string') expect(match?.message).toBe(message);
      else expect(match?.message).toMatch(message);
      expect(match?.severity).toBe('error');
    });
  });

  it('has a test for every error code', () => {
    expect(new Set(errorCases.map((c) => c.code))).toEqual(new Set(ERROR_CODES));
  });

  it('reports the missing top-level fields of an empty document', () => {
    const result = validateStrategy({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.pathText])).toEqual([
      ['missing_field', 'id'],
      ['missing_field', 'name'],
      ['missing_field', 'steps'],
    ]);
  });

  it('rejects a document that is not a mapping', () => {
    const result = validateStrategy(['a', 'list']);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]?.message).toBe('a strategy is a mapping with id, name and steps, found a list');
  });

  it('reports every error at once, not just the first', () => {
    const errors = errorsOf((d) => {
      step(d, 'sms').template = 'nope';
      step(d, 'wait').duration = '900d';
      step(d, 'call').queue = 'nowhere';
      step(d, 'check').condition = 'bogus > 1';
      d.on.nonsense = { goto: 'sms' };
    });
    expect(errors.map((e) => e.code)).toEqual([
      'unknown_template',
      'duration_out_of_range',
      'unknown_queue',
      'unknown_fact',
      'unknown_event',
    ]);
  });

  it('does not cascade: a step with a bad template still counts for reachability', () => {
    const errors = errorsOf((d) => (step(d, 'wait').duration = '0'));
    expect(errors.map((e) => e.code)).toEqual(['duration_out_of_range']);
  });

  it('checks conditions in handlers with the event fields available', () => {
    const ok = errorsOf((d) => (d.on.agent_outcome = [{ when: "event.outcome == 'rpc'", goto: 'call' }]));
    expect(ok).toEqual([]);
    const wrongValue = errorsOf(
      (d) => (d.on.agent_outcome = [{ when: "event.outcome == 'promise'", goto: 'call' }]),
    );
    expect(wrongValue[0]?.message).toMatch(/^'promise' is not a value of event\.outcome/);
    const notHere = errorsOf((d) => (step(d, 'check').condition = 'event.amount > 0'));
    expect(notHere[0]?.message).toMatch(
      /event fields can be read only in the handler of an event that has them/,
    );
  });

  it('uses the catalogue it is given', () => {
    const definition = minimalDefinition();
    const result = validateStrategy(definition, {
      catalogue: { ...DEFAULT_CATALOGUE, queues: ['other'] },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toEqual(['unknown_queue']);
  });

  describe('warnings', () => {
    const warningCases: Case[] = [
      {
        code: 'unreachable_rule',
        mutate: (d) => (d.on.hardship = [{ goto: 'call' }, { when: 'dpd > 5', goto: 'sms' }]),
        path: 'on.hardship[1]',
        message:
          "this rule never applies: the rule before it (on.hardship[0]) has no 'when' and always matches",
      },
      {
        code: 'no_end',
        mutate: (d) => {
          step(d, 'check').next = 'sms';
          d.steps.pop();
          d.on = {};
        },
        path: 'steps',
        message: 'no end or transfer step is reachable: cases on this strategy never close by themselves',
      },
      {
        code: 'unused_flag',
        mutate: (d) => (d.flags = ['neverUsed']),
        path: 'flags[0]',
        message: "flag 'neverUsed' is declared but never used",
      },
      {
        code: 'unhandled_event',
        mutate: (d) => delete d.on.cease_request,
        path: 'on',
        message:
          'no handler for cease_request: the contact policy will block contact but the strategy will carry on as before',
      },
    ];
    it.each(warningCases)(
      '$code is a warning at $path and does not block',
      ({ code, mutate, path, message }) => {
        const definition = minimalDefinition();
        mutate(definition);
        const result = validateStrategy(definition);
        expect(result.ok).toBe(true);
        const warning = warningsOf(mutate).find((w) => w.code === code);
        expect(warning?.pathText).toBe(path);
        expect(warning?.message).toBe(message);
        expect(warning?.severity).toBe('warning');
      },
    );
    it('has a test for every warning code', () => {
      expect(new Set(warningCases.map((c) => c.code))).toEqual(new Set(WARNING_CODES));
    });
  });
});

describe('compileStrategy', () => {
  it('throws StrategyInvalidError listing every error', () => {
    const definition = minimalDefinition();
    definition.steps[0] = { ...definition.steps[0], template: 'nope' };
    expect(() => compileStrategy(definition)).toThrow(StrategyInvalidError);
  });

  it('gives the same hash for the same content regardless of key order or formatting', () => {
    const a = compileStrategy(minimalDefinition());
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const b = compileStrategy(reverseKeys(minimalDefinition()));
    const threeDays = minimalDefinition();
    step(threeDays, 'wait').duration = 'P3D';
    expect(compileStrategy(threeDays).hash).toBe(a.hash);
    expect(b.hash).toBe(a.hash);
  });

  it('changes the hash when behaviour changes', () => {
    const a = compileStrategy(minimalDefinition());
    const changed = minimalDefinition();
    step(changed, 'wait').duration = '4d';
    expect(compileStrategy(changed).hash).not.toBe(a.hash);
  });

  it('produces plain JSON', () => {
    const plan = compileStrategy(fullDefinition());
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
