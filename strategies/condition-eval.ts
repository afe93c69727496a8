/**
 * Evaluates plan conditions. Runs inside the case workflow: no zod, no I/O, no allocation
 * beyond what a comparison needs.
 *
 * Unknown values (a null fact, an event field the event does not carry) make every comparison
 * false, as in SQL; `not` of such a comparison is true. Amounts in different currencies are
 * never equal, smaller or larger: the comparison is false.
 */
import type { CaseFacts } from '../domain/case-facts';
import { DAY_MS } from './duration';
import type { Expr, StrategyEvent } from './plan-types';

export interface EvalContext {
  readonly facts: CaseFacts;
  /** Flags the strategy set, overriding `facts.flags`. */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly now: number;
  readonly startedAt: number | null;
  readonly event: StrategyEvent | null;
}

type Scalar = number | string | boolean | null;

function readFact(name: string, ctx: EvalContext): Scalar {
  const facts = ctx.facts;
  switch (name) {
    case 'dpd':
      return facts.dpd;
    case 'bucket':
      return facts.bucket;
    case 'balance':
      return facts.balanceMinor;
    case 'amountOverdue':
      return facts.amountOverdueMinor;
    case 'currency':
      return facts.currency;
    case 'product':
      return facts.product;
    case 'segment':
      return facts.segment;
    case 'daysSinceLastContact':
      return facts.daysSinceLastContact;
    case 'lastContactOutcome':
      return facts.lastContactOutcome;
    case 'promiseStatus':
      return facts.promiseStatus;
    case 'brokenPromiseCount':
      return facts.brokenPromiseCount;
    case 'daysOnStrategy':
      return ctx.startedAt === null ? 0 : Math.floor((ctx.now - ctx.startedAt) / DAY_MS);
  }
  if (name.startsWith('flags.')) {
    const flag = name.slice(6);
    const own = ctx.flags[flag];
    return own ?? facts.flags[flag] ?? false;
  }
  if (name.startsWith('event.')) return readEventField(name.slice(6), ctx.event);
  return null;
}

function readEventField(field: string, event: StrategyEvent | null): Scalar {
  if (event === null) return null;
  const value = (event as unknown as Record<string, unknown>)[field === 'amount' ? 'amountMinor' : field];
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null;
}

/** The currency of a money-valued operand, or null when it is not money. */
function currencyOf(expr: Expr, ctx: EvalContext): string | null {
  if (expr.type === 'money') return expr.currency;
  if (expr.type !== 'fact') return null;
  if (expr.name === 'balance' || expr.name === 'amountOverdue') return ctx.facts.currency;
  if (expr.name === 'event.amount') {
    const event = ctx.event as { currency?: string } | null;
    return event?.currency ?? ctx.facts.currency;
  }
  return null;
}

function value(expr: Expr, ctx: EvalContext): Scalar {
  switch (expr.type) {
    case 'number':
    case 'string':
    case 'boolean':
      return expr.value;
    case 'money':
      return expr.amountMinor;
    case 'fact':
      return readFact(expr.name, ctx);
    default:
      return evaluate(expr, ctx);
  }
}

function sameCurrency(left: Expr, right: Expr, ctx: EvalContext): boolean {
  if (left.type !== 'money' && right.type !== 'money') return true;
  return currencyOf(left, ctx) === currencyOf(right, ctx);
}

export function evaluate(expr: Expr, ctx: EvalContext): boolean {
  switch (expr.type) {
    case 'and':
      for (const operand of expr.operands) if (!evaluate(operand, ctx)) return false;
      return true;
    case 'or':
      for (const operand of expr.operands) if (evaluate(operand, ctx)) return true;
      return false;
    case 'not':
      return !evaluate(expr.operand, ctx);
    case 'compare': {
      const left = value(expr.left, ctx);
      const right = value(expr.right, ctx);
      if (left === null || right === null) return false;
      if (!sameCurrency(expr.left, expr.right, ctx)) return false;
      switch (expr.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return left < right;
        case '<=':
          return left <= right;
        case '>':
          return left > right;
        case '>=':
          return left >= right;
      }
      return false;
    }
    case 'in': {
      const operand = value(expr.operand, ctx);
      if (operand === null) return false;
      let found = false;
      for (const candidate of expr.values) {
        if (value(candidate, ctx) === operand && sameCurrency(expr.operand, candidate, ctx)) {
          found = true;
          break;
        }
      }
      return expr.negated ? !found : found;
    }
    case 'fact':
      return readFact(expr.name, ctx) === true;
    case 'boolean':
      return expr.value;
    default:
      return false;
  }
}
