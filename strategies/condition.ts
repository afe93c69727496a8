/**
 * The condition language: a tokenizer, a recursive-descent parser and a type-checker over
 * the fact catalogue. Conditions become JSON ASTs in the plan; nothing is ever eval'd.
 *
 *   condition  := or
 *   or         := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | comparison
 *   comparison := value (compare-op value | 'not'? 'in' list)?
 *   value      := number currency? | string | 'true' | 'false' | name ('.' name)* | '(' condition ')'
 *   list       := '[' (value (',' value)*)? ']'
 *   compare-op := '==' | '!=' | '<' | '<=' | '>' | '>='
 *
 * Examples: `dpd >= 30 and not flags.dispute`, `balance > 1000.00 EUR`,
 * `bucket in ['30-59', '60-89']`, `event.outcome == 'promise_to_pay'`.
 */
import {
  CONTACT_OUTCOMES,
  type FactCatalogue,
  type FactDefinition,
  type FactType,
} from '../domain/case-facts';
import { formatDecimal, isCurrencyCode, parseAmountMinor } from '../domain/money';
import { HOLD_KINDS, type ComparisonOp, type Expr, type HandlerEvent } from './plan-types';
import { didYouMean, listOf } from './suggest';

export type ConditionIssueCode = 'condition_syntax' | 'unknown_fact' | 'condition_type';

export interface ConditionIssue {
  readonly code: ConditionIssueCode;
  readonly message: string;
  /** 1-based column in the condition text. */
  readonly column: number;
}

export type ConditionResult = { ok: true; expr: Expr } | { ok: false; issues: ConditionIssue[] };

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'number' | 'string' | 'name' | 'op' | 'punct' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** For strings: the unquoted value. */
  readonly value: string;
  readonly column: number;
}

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const match = /^\d+(?:\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      const text = match[0];
      if (/^[A-Za-z_]/.test(source.slice(i + text.length)) && !/^\s/.test(source.slice(i + text.length))) {
        const rest = /^[A-Za-z_]\w*/.exec(source.slice(i + text.length))?.[0] ?? '';
        throw new ConditionSyntaxError(
          `'${text}${rest}' is not a value: put a space between an amount and its currency ('${text} ${rest}')`,
          column,
        );
      }
      tokens.push({ kind: 'number', text, value: text, column });
      i += text.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== ch) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        value += source[j];
        j++;
      }
      if (j >= source.length)
        throw new ConditionSyntaxError(`the text starting here has no closing ${ch}`, column);
      tokens.push({ kind: 'string', text: source.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const text = (/^[A-Za-z_]\w*/.exec(source.slice(i)) as RegExpExecArray)[0];
      tokens.push({ kind: 'name', text, value: text, column });
      i += text.length;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, value: two, column });
      i += 2;
      continue;
    }
    if (two === '&&' || two === '||') {
      throw new ConditionSyntaxError(`write '${two === '&&' ? 'and' : 'or'}' instead of '${two}'`, column);
    }
    if (ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, value: ch, column });
      i++;
      continue;
    }
    if (ch === '=') throw new ConditionSyntaxError("use '==' to compare", column);
    if (ch === '!') throw new ConditionSyntaxError("write 'not' instead of '!'", column);
    if ('()[],.-'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, column });
      i++;
      continue;
    }
    throw new ConditionSyntaxError(`unexpected character '${ch}'`, column);
  }
  tokens.push({ kind: 'end', text: '', value: '', column: source.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parse tree (with columns; stripped when the plan is built)

type Node =
  | { readonly kind: 'number'; readonly text: string; readonly column: number }
  | { readonly kind: 'money'; readonly amount: string; readonly currency: string; readonly column: number }
  | { readonly kind: 'string'; readonly value: string; readonly column: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly column: number }
  | { readonly kind: 'name'; readonly name: string; readonly column: number }
  | { readonly kind: 'not'; readonly operand: Node; readonly column: number }
  | { readonly kind: 'and' | 'or'; readonly operands: Node[]; readonly column: number }
  | {
      readonly kind: 'compare';
      readonly op: ComparisonOp;
      readonly left: Node;
      readonly right: Node;
      readonly column: number;
    }
  | {
      readonly kind: 'in';
      readonly operand: Node;
      readonly values: Node[];
      readonly negated: boolean;
      readonly column: number;
    };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false']);

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }
  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }
  private isName(text: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === text;
  }
  private describe(token: Token): string {
    return token.kind === 'end' ? 'the end of the condition' : `'${token.text}'`;
  }

  parse(): Node {
    if (this.peek().kind === 'end') throw new ConditionSyntaxError('the condition is empty', 1);
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      throw new ConditionSyntaxError(
        `unexpected ${this.describe(rest)}: expected 'and', 'or' or the end of the condition`,
        rest.column,
      );
    }
    return node;
  }

  private or(): Node {
    const first = this.and();
    const operands = [first];
    while (this.isName('or')) {
      this.advance();
      operands.push(this.and());
    }
    return operands.length === 1 ? first : { kind: 'or', operands, column: first.column };
  }

  private and(): Node {
    const first = this.unary();
    const operands = [first];
    while (this.isName('and')) {
      this.advance();
      operands.push(this.unary());
    }
    return operands.length === 1 ? first : { kind: 'and', operands, column: first.column };
  }

  private unary(): Node {
    if (this.isName('not')) {
      const token = this.advance();
      return { kind: 'not', operand: this.unary(), column: token.column };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.value();
    const token = this.peek();
    if (token.kind === 'op') {
      this.advance();
      const right = this.value();
      return { kind: 'compare', op: token.text as ComparisonOp, left, right, column: token.column };
    }
    let negated = false;
    if (this.isName('not') && this.tokens[this.index + 1]?.text === 'in') {
      this.advance();
      negated = true;
    }
    if (this.isName('in')) {
      const inToken = this.advance();
      return { kind: 'in', operand: left, values: this.list(), negated, column: inToken.column };
    }
    return left;
  }

  private list(): Node[] {
    const open = this.advance();
    if (open.text !== '[') {
      throw new ConditionSyntaxError(
        `expected '[' to start a list after 'in', found ${this.describe(open)}`,
        open.column,
      );
    }
    const values: Node[] = [];
    if (this.peek().text === ']') {
      this.advance();
      return values;
    }
    for (;;) {
      values.push(this.value());
      const next = this.advance();
      if (next.text === ']') return values;
      if (next.text !== ',') {
        throw new ConditionSyntaxError(
          `expected ',' or ']' in the list, found ${this.describe(next)}`,
          next.column,
        );
      }
    }
  }

  private value(): Node {
    const token = this.advance();
    if (token.kind === 'punct' && token.text === '(') {
      const inner = this.or();
      const close = this.advance();
      if (close.text !== ')') {
        throw new ConditionSyntaxError(
          `expected ')' to close the '(' at column ${token.column}`,
          close.column,
        );
      }
      return inner;
    }
    if (token.kind === 'punct' && token.text === '-') {
      const number = this.peek();
      if (number.kind !== 'number')
        throw new ConditionSyntaxError("'-' must be followed by a number", token.column);
      this.advance();
      return this.numberOrMoney({ ...number, text: `-${number.text}`, column: token.column });
    }
    if (token.kind === 'number') return this.numberOrMoney(token);
    if (token.kind === 'string') return { kind: 'string', value: token.value, column: token.column };
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') {
        return { kind: 'boolean', value: token.text === 'true', column: token.column };
      }
      if (KEYWORDS.has(token.text)) {
        throw new ConditionSyntaxError(`expected a value before '${token.text}'`, token.column);
      }
      let name = token.text;
      while (this.peek().text === '.') {
        this.advance();
        const part = this.advance();
        if (part.kind !== 'name') {
          throw new ConditionSyntaxError(
            `expected a name after '${name}.', found ${this.describe(part)}`,
            part.column,
          );
        }
        name += `.${part.text}`;
      }
      return { kind: 'name', name, column: token.column };
    }
    throw new ConditionSyntaxError(`expected a value, found ${this.describe(token)}`, token.column);
  }

  private numberOrMoney(token: Token): Node {
    const next = this.peek();
    if (next.kind === 'name' && /^[A-Z]{3}$/.test(next.text) && isCurrencyCode(next.text)) {
      this.advance();
      return { kind: 'money', amount: token.text, currency: next.text, column: token.column };
    }
    return { kind: 'number', text: token.text, column: token.column };
  }
}

// ---------------------------------------------------------------------------------------------
// Type-checking

type ValueType =
  | { readonly kind: 'number' }
  | { readonly kind: 'money'; readonly currency: string | null }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string'; readonly literal: string | null }
  | { readonly kind: 'enum'; readonly fact: string; readonly values: readonly string[] }
  | { readonly kind: 'error' };

function typeName(t: ValueType): string {
  switch (t.kind) {
    case 'money':
      return 'an amount of money';
    case 'enum':
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'error':
      return 'unknown';
  }
}

function describeNode(node: Node): string {
  switch (node.kind) {
    case 'name':
      return node.name;
    case 'number':
      return node.text;
    case 'money':
      return `${node.amount} ${node.currency}`;
    case 'string':
      return `'${node.value}'`;
    case 'boolean':
      return String(node.value);
    default:
      return 'the expression';
  }
}

class Checker {
  readonly issues: ConditionIssue[] = [];
  constructor(private readonly catalogue: FactCatalogue) {}

  private fail(code: ConditionIssueCode, message: string, column: number): ValueType {
    this.issues.push({ code, message, column });
    return { kind: 'error' };
  }

  private enumValueNames(): string[] {
    const values: string[] = [];
    for (const fact of this.catalogue.values())
      if (fact.type.kind === 'enum') values.push(...fact.type.values);
    return values;
  }

  typeOf(node: Node): ValueType {
    switch (node.kind) {
      case 'number':
        return { kind: 'number' };
      case 'money':
        return { kind: 'money', currency: node.currency };
      case 'string':
        return { kind: 'string', literal: node.value };
      case 'boolean':
        return { kind: 'boolean' };
      case 'name':
        return this.fact(node);
      case 'not':
        this.expectBoolean(node.operand, "'not'");
        return { kind: 'boolean' };
      case 'and':
      case 'or':
        for (const operand of node.operands) this.expectBoolean(operand, `'${node.kind}'`);
        return { kind: 'boolean' };
      case 'compare':
        this.compare(node);
        return { kind: 'boolean' };
      case 'in':
        this.membership(node);
        return { kind: 'boolean' };
    }
  }

  private fact(node: Extract<Node, { kind: 'name' }>): ValueType {
    const definition = this.catalogue.get(node.name);
    if (definition) return fromFactType(definition);
    const names = [...this.catalogue.keys()];
    if (this.enumValueNames().includes(node.name)) {
      return this.fail(
        'unknown_fact',
        `unknown fact '${node.name}': to compare with the value ${node.name}, quote it: '${node.name}'`,
        node.column,
      );
    }
    if (node.name.startsWith('flags.')) {
      const flags = names.filter((n) => n.startsWith('flags.'));
      return this.fail(
        'unknown_fact',
        `unknown flag '${node.name}'${didYouMean(node.name, flags)}: declare custom flags under 'flags:'`,
        node.column,
      );
    }
    if (node.name.startsWith('event.')) {
      const fields = names.filter((n) => n.startsWith('event.'));
      return this.fail(
        'unknown_fact',
        fields.length === 0
          ? `'${node.name}' is not available here: event fields can be read only in the handler of an event that has them`
          : `unknown event field '${node.name}'${didYouMean(node.name, fields)}: this event has ${listOf(fields)}`,
        node.column,
      );
    }
    return this.fail(
      'unknown_fact',
      `unknown fact '${node.name}'${didYouMean(node.name, names)}`,
      node.column,
    );
  }

  private expectBoolean(node: Node, context: string): void {
    const t = this.typeOf(node);
    if (t.kind !== 'boolean' && t.kind !== 'error') {
      this.fail(
        'condition_type',
        `${context} needs true or false, but ${describeNode(node)} is ${typeName(t)}`,
        node.column,
      );
    }
  }

  private compare(node: Extract<Node, { kind: 'compare' }>): void {
    const left = this.typeOf(node.left);
    const right = this.typeOf(node.right);
    if (left.kind === 'error' || right.kind === 'error') return;
    const ordering = node.op !== '==' && node.op !== '!=';
    const mismatch = () =>
      this.fail(
        'condition_type',
        `cannot compare ${describeNode(node.left)} (${typeName(left)}) with ${describeNode(node.right)} (${typeName(right)})` +
          moneyHint(node, left, right),
        node.column,
      );
    if (left.kind === 'number' && right.kind === 'number') return;
    // Zero is zero in every currency: `amountOverdue == 0` works for any portfolio.
    if (isZero(node.left) && right.kind === 'money') return;
    if (isZero(node.right) && left.kind === 'money') return;
    if (left.kind === 'money' && right.kind === 'money') {
      if (left.currency && right.currency && left.currency !== right.currency) {
        this.fail('condition_type', `cannot compare ${left.currency} with ${right.currency}`, node.column);
      }
      this.checkMoneyLiteral(node.left);
      this.checkMoneyLiteral(node.right);
      return;
    }
    if (isText(left) && isText(right)) {
      if (ordering) {
        this.fail(
          'condition_type',
          `'${node.op}' compares numbers and amounts, not text: use == or !=`,
          node.column,
        );
        return;
      }
      this.checkEnumValue(left, node.right, right);
      this.checkEnumValue(right, node.left, left);
      return;
    }
    if (left.kind === 'boolean' && right.kind === 'boolean') {
      if (ordering) this.fail('condition_type', `'${node.op}' cannot compare true/false values`, node.column);
      return;
    }
    mismatch();
  }

  private membership(node: Extract<Node, { kind: 'in' }>): void {
    const operand = this.typeOf(node.operand);
    if (node.values.length === 0) {
      this.fail('condition_type', "the list after 'in' is empty", node.column);
      return;
    }
    for (const valueNode of node.values) {
      if (!isLiteral(valueNode)) {
        this.fail(
          'condition_type',
          `lists after 'in' hold values, not ${describeNode(valueNode)}`,
          valueNode.column,
        );
        continue;
      }
      const value = this.typeOf(valueNode);
      if (operand.kind === 'error') continue;
      if (operand.kind === 'boolean') {
        this.fail('condition_type', `'in' needs text, numbers or amounts, not true/false`, node.column);
        return;
      }
      if (isText(operand) && isText(value)) {
        this.checkEnumValue(operand, valueNode, value);
      } else if (operand.kind === 'money' && value.kind === 'money') {
        this.checkMoneyLiteral(valueNode);
      } else if (operand.kind !== value.kind) {
        this.fail(
          'condition_type',
          `${describeNode(valueNode)} is ${typeName(value)} but ${describeNode(node.operand)} is ${typeName(operand)}`,
          valueNode.column,
        );
      }
    }
  }

  private checkEnumValue(enumType: ValueType, valueNode: Node, valueType: ValueType): void {
    if (enumType.kind !== 'enum' || valueType.kind !== 'string' || valueType.literal === null) return;
    if (!enumType.values.includes(valueType.literal)) {
      this.fail(
        'condition_type',
        `'${valueType.literal}' is not a value of ${enumType.fact}${didYouMean(valueType.literal, enumType.values)}; ` +
          `expected ${listOf([...enumType.values])}`,
        valueNode.column,
      );
    }
  }

  private checkMoneyLiteral(node: Node): void {
    if (node.kind !== 'money') return;
    const parsed = parseAmountMinor(node.amount.replace(/^-/, ''), node.currency);
    if (!parsed.ok) this.fail('condition_type', parsed.error, node.column);
  }
}

function isZero(node: Node): boolean {
  return node.kind === 'number' && Number(node.text) === 0;
}

function isText(t: ValueType): boolean {
  return t.kind === 'string' || t.kind === 'enum';
}

function isLiteral(node: Node): boolean {
  return node.kind === 'number' || node.kind === 'money' || node.kind === 'string' || node.kind === 'boolean';
}

function moneyHint(node: Extract<Node, { kind: 'compare' }>, left: ValueType, right: ValueType): string {
  const numberSide = left.kind === 'number' ? node.left : right.kind === 'number' ? node.right : null;
  if (numberSide && (left.kind === 'money' || right.kind === 'money') && numberSide.kind === 'number') {
    return `: write the amount with its currency, e.g. ${numberSide.text} EUR`;
  }
  return '';
}

function fromFactType(definition: FactDefinition): ValueType {
  const type: FactType = definition.type;
  switch (type.kind) {
    case 'enum':
      return { kind: 'enum', fact: definition.name, values: type.values };
    case 'money':
      return { kind: 'money', currency: null };
    case 'string':
      return { kind: 'string', literal: null };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
  }
}

function toExpr(node: Node): Expr {
  switch (node.kind) {
    case 'number':
      return { type: 'number', value: Number(node.text) };
    case 'money': {
      const negative = node.amount.startsWith('-');
      const parsed = parseAmountMinor(node.amount.replace(/^-/, ''), node.currency);
      const minor = parsed.ok ? parsed.amountMinor : 0;
      return { type: 'money', amountMinor: negative ? -minor : minor, currency: node.currency };
    }
    case 'string':
      return { type: 'string', value: node.value };
    case 'boolean':
      return { type: 'boolean', value: node.value };
    case 'name':
      return { type: 'fact', name: node.name };
    case 'not':
      return { type: 'not', operand: toExpr(node.operand) };
    case 'and':
    case 'or':
      return { type: node.kind, operands: node.operands.map(toExpr) };
    case 'compare':
      return { type: 'compare', op: node.op, left: toExpr(node.left), right: toExpr(node.right) };
    case 'in':
      return {
        type: 'in',
        operand: toExpr(node.operand),
        values: node.values.map(toExpr),
        negated: node.negated,
      };
  }
}

/**
 * Parses and type-checks a condition against the facts it may read. Returns every type error
 * in the condition, or the first syntax error (after one, the rest of the text means little).
 */
export function parseCondition(source: string, catalogue: FactCatalogue): ConditionResult {
  let tree: Node;
  try {
    tree = new Parser(tokenize(source)).parse();
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      return {
        ok: false,
        issues: [{ code: 'condition_syntax', message: error.message, column: error.column }],
      };
    }
    throw error;
  }
  const checker = new Checker(catalogue);
  const type = checker.typeOf(tree);
  if (checker.issues.length === 0 && type.kind !== 'boolean') {
    checker.issues.push({
      code: 'condition_type',
      message: `a condition must be true or false, but ${describeNode(tree)} is ${typeName(type)}${
        type.kind === 'number' ? ` (did you mean ${describeNode(tree)} > 0?)` : ''
      }`,
      column: tree.column,
    });
  }
  if (checker.issues.length > 0) return { ok: false, issues: checker.issues };
  return { ok: true, expr: toExpr(tree) };
}

/** The fields of an event that handler conditions may read as `event.<field>`. */
export function eventFields(event: HandlerEvent): FactDefinition[] {
  const field = (name: string, type: FactType, description: string, nullable = false): FactDefinition => ({
    name: `event.${name}`,
    type,
    nullable,
    description,
  });
  switch (event) {
    case 'payment_received':
      return [field('amount', { kind: 'money' }, 'the amount paid')];
    case 'promise_created':
      return [field('amount', { kind: 'money' }, 'the amount promised', true)];
    case 'agent_outcome':
      return [
        field(
          'outcome',
          { kind: 'enum', values: CONTACT_OUTCOMES.filter((o) => o !== 'none') },
          'the outcome the agent recorded',
        ),
      ];
    case 'hold_placed':
    case 'hold_released':
      return [field('hold', { kind: 'enum', values: HOLD_KINDS }, 'the kind of hold')];
    case 'contact_blocked':
      return [
        field('rule', { kind: 'string' }, 'the contact-policy rule that blocked the attempt'),
        field('channel', { kind: 'string' }, 'the channel of the blocked attempt', true),
      ];
    default:
      return [];
  }
}

/** The catalogue plus the fields of an event, for conditions inside that event's handler. */
export function withEventFields(catalogue: FactCatalogue, event: HandlerEvent): FactCatalogue {
  const fields = eventFields(event);
  if (fields.length === 0) return catalogue;
  const merged = new Map(catalogue);
  for (const field of fields) merged.set(field.name, field);
  return merged;
}

/** Renders a plan condition back to source text (for summaries, diffs and the simulator). */
export function formatCondition(expr: Expr): string {
  return format(expr, 0);
}

function format(expr: Expr, parentPrecedence: number): string {
  switch (expr.type) {
    case 'number':
      return String(expr.value);
    case 'money':
      return `${formatDecimal(expr.amountMinor, expr.currency)} ${expr.currency}`;
    case 'string':
      return `'${expr.value.replace(/'/g, "\\'")}'`;
    case 'boolean':
      return String(expr.value);
    case 'fact':
      return expr.name;
    case 'not':
      return `not ${format(expr.operand, 3)}`;
    case 'and':
    case 'or': {
      const precedence = expr.type === 'or' ? 1 : 2;
      const text = expr.operands.map((o) => format(o, precedence)).join(` ${expr.type} `);
      return precedence < parentPrecedence ? `(${text})` : text;
    }
    case 'compare':
      return `${format(expr.left, 4)} ${expr.op} ${format(expr.right, 4)}`;
    case 'in':
      return `${format(expr.operand, 4)} ${expr.negated ? 'not in' : 'in'} [${expr.values.map((v) => format(v, 0)).join(', ')}]`;
  }
}
