import { factCatalogue, makeCaseFacts, DEFAULT_FACT_CATALOGUE } from '../domain/case-facts';
import { formatCondition, parseCondition, withEventFields } from './condition';
import { evaluate, type EvalContext } from './condition-eval';
import type { Expr, StrategyEvent } from './plan-types';

function parse(source: string, catalogue = DEFAULT_FACT_CATALOGUE): Expr {
  const result = parseCondition(source, catalogue);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('; '));
  return result.expr;
}

function issues(source: string, catalogue = DEFAULT_FACT_CATALOGUE) {
  const result = parseCondition(source, catalogue);
  return result.ok ? [] : result.issues;
}

function ctx(
  overrides: Parameters<typeof makeCaseFacts>[0] = {},
  event: StrategyEvent | null = null,
): EvalContext {
  return { facts: makeCaseFacts(overrides), flags: {}, now: 0, startedAt: 0, event };
}

describe('parseCondition', () => {
  it('parses precedence: not binds tighter than and, and tighter than or', () => {
    expect(parse("not flags.dispute and dpd > 5 or bucket == '1-29'")).toEqual({
      type: 'or',
      operands: [
        {
          type: 'and',
          operands: [
            { type: 'not', operand: { type: 'fact', name: 'flags.dispute' } },
            {
              type: 'compare',
              op: '>',
              left: { type: 'fact', name: 'dpd' },
              right: { type: 'number', value: 5 },
            },
          ],
        },
        {
          type: 'compare',
          op: '==',
          left: { type: 'fact', name: 'bucket' },
          right: { type: 'string', value: '1-29' },
        },
      ],
    });
  });

  it('parses money literals into minor units', () => {
    expect(parse('balance >= 1250.5 EUR')).toEqual({
      type: 'compare',
      op: '>=',
      left: { type: 'fact', name: 'balance' },
      right: { type: 'money', amountMinor: 125050, currency: 'EUR' },
    });
  });

  it('parses in and not in lists', () => {
    expect(parse("bucket not in ['60-89', '90-119']")).toMatchObject({ type: 'in', negated: true });
    expect(parse('dpd in [1, 2, 3]')).toMatchObject({ type: 'in', negated: false });
  });

  it('round-trips through formatCondition', () => {
    for (const source of [
      'dpd >= 30 and not flags.dispute',
      "(dpd > 5 or brokenPromiseCount >= 2) and promiseStatus == 'broken'",
      "bucket in ['30-59', '60-89']",
      'balance > 5000.00 EUR',
    ]) {
      expect(parse(formatCondition(parse(source)))).toEqual(parse(source));
    }
  });

  it.each([
    ['dpd >', 'expected a value, found the end of the condition', 6],
    ['dpd = 5', "use '==' to compare", 5],
    ['dpd > 5 && flags.hardship', "write 'and' instead of '&&'", 9],
    ["segment == 'retail", "the text starting here has no closing '", 12],
    ['(dpd > 5', "expected ')' to close the '(' at column 1", 9],
    ['dpd > 5 dpd', "unexpected 'dpd': expected 'and', 'or' or the end of the condition", 9],
    ['', 'the condition is empty', 1],
    [
      'balance > 100EUR',
      "'100EUR' is not a value: put a space between an amount and its currency ('100 EUR')",
      11,
    ],
  ])('reports the syntax error in %p', (source, message, column) => {
    expect(issues(source)).toEqual([{ code: 'condition_syntax', message, column }]);
  });

  it.each([
    ['dpd', 'a condition must be true or false, but dpd is a number (did you mean dpd > 0?)'],
    ["promiseStatus > 'kept'", "'>' compares numbers and amounts, not text: use == or !="],
    [
      'balance > 500',
      'cannot compare balance (an amount of money) with 500 (a number): write the amount with its currency, e.g. 500 EUR',
    ],
    ['balance > 5.001 EUR', "EUR has 2 decimal places, '5.001' has 3"],
    ['1.00 EUR < 3.00 USD', 'cannot compare EUR with USD'],
    ['dpd > 5 and segment', "'and' needs true or false, but segment is text"],
    ["lastContactOutcome == 'answered'", "'answered' is not a value of lastContactOutcome"],
    [
      'promiseStatus == broken',
      "unknown fact 'broken': to compare with the value broken, quote it: 'broken'",
    ],
    [
      'flags.vulnerabel',
      "unknown flag 'flags.vulnerabel' (did you mean 'flags.vulnerable'?): declare custom flags under 'flags:'",
    ],
    ['dpd in []', "the list after 'in' is empty"],
  ])('reports the type error in %p', (source, message) => {
    const found = issues(source);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.code === 'condition_type' || found[0]?.code === 'unknown_fact').toBe(true);
    if (message) expect(found[0]?.message).toContain(message);
  });

  it('accepts zero against money in any currency', () => {
    expect(issues('amountOverdue == 0')).toEqual([]);
  });

  it('knows custom flags and event fields when given', () => {
    expect(issues('flags.planAgreed', factCatalogue(undefined, ['planAgreed']))).toEqual([]);
    expect(
      issues("event.outcome == 'rpc'", withEventFields(DEFAULT_FACT_CATALOGUE, 'agent_outcome')),
    ).toEqual([]);
  });
});

describe('evaluate', () => {
  it('compares numbers, text and flags', () => {
    expect(evaluate(parse('dpd >= 30'), ctx({ dpd: 30 }))).toBe(true);
    expect(evaluate(parse('dpd >= 30'), ctx({ dpd: 29 }))).toBe(false);
    expect(evaluate(parse("segment == 'retail'"), ctx())).toBe(true);
    expect(evaluate(parse('flags.vulnerable'), ctx({ flags: { vulnerable: true } }))).toBe(true);
    expect(evaluate(parse('not flags.vulnerable'), ctx())).toBe(true);
  });

  it('compares money in minor units and never across currencies', () => {
    expect(evaluate(parse('balance >= 2500.00 EUR'), ctx({ balanceMinor: 250_000 }))).toBe(true);
    expect(evaluate(parse('balance >= 2500.01 EUR'), ctx({ balanceMinor: 250_000 }))).toBe(false);
    expect(evaluate(parse('balance >= 1.00 USD'), ctx({ balanceMinor: 250_000 }))).toBe(false);
    expect(evaluate(parse('balance != 1.00 USD'), ctx({ balanceMinor: 250_000 }))).toBe(false);
    expect(evaluate(parse('amountOverdue == 0'), ctx({ amountOverdueMinor: 0, currency: 'JPY' }))).toBe(true);
  });

  it('treats unknown values as false in comparisons', () => {
    expect(evaluate(parse('daysSinceLastContact > 3'), ctx())).toBe(false);
    expect(evaluate(parse('daysSinceLastContact <= 3'), ctx())).toBe(false);
    expect(evaluate(parse('not (daysSinceLastContact <= 3)'), ctx())).toBe(true);
    expect(evaluate(parse('daysSinceLastContact > 3'), ctx({ daysSinceLastContact: 4 }))).toBe(true);
  });

  it('evaluates in lists', () => {
    expect(evaluate(parse("bucket in ['1-29', '30-59']"), ctx({ dpd: 40 }))).toBe(true);
    expect(evaluate(parse("bucket not in ['1-29', '30-59']"), ctx({ dpd: 40 }))).toBe(false);
  });

  it('reads event fields in handlers', () => {
    const event: StrategyEvent = { type: 'payment_received', amountMinor: 5_000, currency: 'EUR' };
    const catalogue = withEventFields(DEFAULT_FACT_CATALOGUE, 'payment_received');
    expect(evaluate(parse('event.amount >= 50.00 EUR', catalogue), ctx({}, event))).toBe(true);
    expect(evaluate(parse('event.amount >= 50.01 EUR', catalogue), ctx({}, event))).toBe(false);
  });

  it('prefers flags the strategy set over the case facts', () => {
    const context = { ...ctx(), flags: { hardship: true } };
    expect(evaluate(parse('flags.hardship'), context)).toBe(true);
  });

  it('computes daysOnStrategy from the start time', () => {
    const context = { ...ctx(), now: 3.5 * 86_400_000, startedAt: 0 };
    expect(evaluate(parse('daysOnStrategy == 3'), context)).toBe(true);
  });
});
