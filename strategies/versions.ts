/**
 * Strategy versions. A draft is editable and may be invalid; publishing validates it, compiles
 * it and stores an immutable, numbered version with the plan's content hash. Running cases pin
 * a version (strategy id + number + hash) and never change behaviour unless migrated.
 *
 * Storage is an interface: an in-memory store here (tests, API previews), a file store for the
 * CLI (strategies/cli/file-store.ts) and a PostgreSQL store once the schema exists. Stores must
 * refuse a second version with the same number (a unique constraint in SQL).
 */
import { formatCondition } from './condition';
import { formatDuration } from './duration';
import { parseStrategyText, validateStrategySource, type LocatedIssue } from './load';
import type { Expr, Plan, PlanRule, PlanStep } from './plan-types';
import type { ValidationOptions } from './validate';

export interface StrategyDraft {
  readonly strategyId: string;
  /** The definition as the designer wrote it (YAML or JSON text). */
  readonly source: string;
  /** The published version this draft started from, if any. */
  readonly basedOn: number | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface StrategyVersion {
  readonly strategyId: string;
  readonly version: number;
  readonly hash: string;
  readonly plan: Plan;
  readonly source: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly note: string;
}

export interface StrategyStore {
  listStrategies(): Promise<string[]>;
  getDraft(strategyId: string): Promise<StrategyDraft | undefined>;
  putDraft(draft: StrategyDraft): Promise<void>;
  deleteDraft(strategyId: string): Promise<void>;
  /** Ascending by version number. */
  listVersions(strategyId: string): Promise<StrategyVersion[]>;
  getVersion(strategyId: string, version: number): Promise<StrategyVersion | undefined>;
  /** Stores a new version; rejects with VersionConflictError if the number is taken. */
  insertVersion(version: StrategyVersion): Promise<void>;
}

export class VersionConflictError extends Error {
  constructor(
    readonly strategyId: string,
    readonly version: number,
  ) {
    super(`${strategyId} version ${version} already exists: published versions are immutable`);
    this.name = 'VersionConflictError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

export class InMemoryStrategyStore implements StrategyStore {
  private readonly drafts = new Map<string, StrategyDraft>();
  private readonly versions = new Map<string, StrategyVersion[]>();

  async listStrategies(): Promise<string[]> {
    return [...new Set([...this.drafts.keys(), ...this.versions.keys()])].sort();
  }
  async getDraft(strategyId: string): Promise<StrategyDraft | undefined> {
    return this.drafts.get(strategyId);
  }
  async putDraft(draft: StrategyDraft): Promise<void> {
    this.drafts.set(draft.strategyId, { ...draft });
  }
  async deleteDraft(strategyId: string): Promise<void> {
    this.drafts.delete(strategyId);
  }
  async listVersions(strategyId: string): Promise<StrategyVersion[]> {
    return [...(this.versions.get(strategyId) ?? [])];
  }
  async getVersion(strategyId: string, version: number): Promise<StrategyVersion | undefined> {
    return this.versions.get(strategyId)?.find((v) => v.version === version);
  }
  async insertVersion(version: StrategyVersion): Promise<void> {
    const list = this.versions.get(version.strategyId) ?? [];
    if (list.some((v) => v.version === version.version)) {
      throw new VersionConflictError(version.strategyId, version.version);
    }
    list.push(deepFreeze(structuredCloneJson(version)));
    list.sort((a, b) => a.version - b.version);
    this.versions.set(version.strategyId, list);
  }
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface Actor {
  readonly by: string;
  /** ISO timestamp; passed in, never read from a clock here. */
  readonly at: string;
}

export type SaveDraftResult =
  | {
      readonly ok: true;
      readonly draft: StrategyDraft;
      readonly errors: readonly LocatedIssue[];
      readonly warnings: readonly LocatedIssue[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Saves a draft. Drafts may be invalid (they are work in progress); the validation issues come
 * back so the editor can show them. The draft needs a strategy id to be filed under.
 */
export async function saveDraft(
  store: StrategyStore,
  source: string,
  actor: Actor,
  options: ValidationOptions = {},
): Promise<SaveDraftResult> {
  let parsed: unknown;
  try {
    parsed = parseStrategyText(source);
  } catch (error) {
    return { ok: false, reason: `the draft cannot be read: ${(error as Error).message}` };
  }
  const id = (parsed as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '')
    return { ok: false, reason: "the draft needs an 'id' to be saved under" };
  const versions = await store.listVersions(id);
  const existing = await store.getDraft(id);
  const draft: StrategyDraft = {
    strategyId: id,
    source,
    basedOn: existing?.basedOn ?? versions[versions.length - 1]?.version ?? null,
    updatedAt: actor.at,
    updatedBy: actor.by,
  };
  await store.putDraft(draft);
  const validation = validateStrategySource(source, options);
  return {
    ok: true,
    draft,
    errors: validation.ok ? [] : validation.errors,
    warnings: validation.warnings,
  };
}

export type PublishResult =
  | { readonly ok: true; readonly version: StrategyVersion; readonly warnings: readonly LocatedIssue[] }
  | {
      readonly ok: false;
      readonly reason: 'no_draft' | 'invalid' | 'unchanged' | 'stale_draft';
      readonly message: string;
      readonly errors: readonly LocatedIssue[];
    };

/**
 * Publishes the strategy's draft as the next version. Refuses an invalid draft (with every
 * error), a draft identical to the latest version, and a draft based on an older version than
 * the latest (someone else published meanwhile: rebase first).
 */
export async function publishDraft(
  store: StrategyStore,
  strategyId: string,
  actor: Actor & { readonly note?: string },
  options: ValidationOptions = {},
): Promise<PublishResult> {
  const draft = await store.getDraft(strategyId);
  if (!draft) {
    return { ok: false, reason: 'no_draft', message: `${strategyId} has no draft to publish`, errors: [] };
  }
  const versions = await store.listVersions(strategyId);
  const latest = versions[versions.length - 1];
  if (latest && draft.basedOn !== null && draft.basedOn < latest.version) {
    return {
      ok: false,
      reason: 'stale_draft',
      message: `the draft is based on version ${draft.basedOn} but version ${latest.version} has been published since; review the changes and save the draft again`,
      errors: [],
    };
  }
  const validation = validateStrategySource(draft.source, options);
  if (!validation.ok) {
    return {
      ok: false,
      reason: 'invalid',
      message: `${strategyId} has ${validation.errors.length} error(s) and cannot be published`,
      errors: validation.errors,
    };
  }
  if (validation.plan.strategyId !== strategyId) {
    return {
      ok: false,
      reason: 'invalid',
      message: `the draft's id is '${validation.plan.strategyId}', not '${strategyId}'`,
      errors: [],
    };
  }
  if (latest && latest.hash === validation.plan.hash) {
    return {
      ok: false,
      reason: 'unchanged',
      message: `nothing to publish: the draft compiles to the same plan as version ${latest.version} (${latest.hash})`,
      errors: [],
    };
  }
  const version: StrategyVersion = {
    strategyId,
    version: (latest?.version ?? 0) + 1,
    hash: validation.plan.hash,
    plan: validation.plan,
    source: draft.source,
    publishedAt: actor.at,
    publishedBy: actor.by,
    note: actor.note ?? '',
  };
  await store.insertVersion(version);
  await store.deleteDraft(strategyId);
  return { ok: true, version, warnings: validation.warnings };
}

/** Saves `source` as the draft and publishes it in one go (the CLI's `publish`). */
export async function publishSource(
  store: StrategyStore,
  source: string,
  actor: Actor & { readonly note?: string },
  options: ValidationOptions = {},
): Promise<PublishResult> {
  const saved = await saveDraft(store, source, actor, options);
  if (!saved.ok) return { ok: false, reason: 'invalid', message: saved.reason, errors: [] };
  return publishDraft(store, saved.draft.strategyId, actor, options);
}

export async function latestVersion(
  store: StrategyStore,
  strategyId: string,
): Promise<StrategyVersion | undefined> {
  const versions = await store.listVersions(strategyId);
  return versions[versions.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Diff

export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface PlanDiff {
  readonly identical: boolean;
  readonly from: { readonly strategyId: string; readonly hash: string };
  readonly to: { readonly strategyId: string; readonly hash: string };
  readonly metadata: readonly FieldChange[];
  readonly stepsAdded: readonly { readonly id: string; readonly summary: string }[];
  readonly stepsRemoved: readonly { readonly id: string; readonly summary: string }[];
  readonly stepsChanged: readonly { readonly id: string; readonly changes: readonly FieldChange[] }[];
  readonly handlersChanged: readonly FieldChange[];
}

function cond(expr: Expr | null): string {
  return expr === null ? 'always' : formatCondition(expr);
}

/** A step as designer-readable fields (durations as `3d`, conditions as text). */
export function stepFields(step: PlanStep): Record<string, string> {
  switch (step.type) {
    case 'send_reminder':
      return { type: step.type, channel: step.channel, template: step.template, next: step.next };
    case 'create_call_task':
      return {
        type: step.type,
        queue: step.queue,
        priority: String(step.priority),
        due: formatDuration(step.dueMs),
        next: step.next,
      };
    case 'wait':
      return { type: step.type, duration: formatDuration(step.durationMs), next: step.next };
    case 'wait_until':
      return {
        type: step.type,
        condition: cond(step.condition),
        timeout: formatDuration(step.timeoutMs),
        next: step.next,
        onTimeout: step.onTimeout,
      };
    case 'branch': {
      const fields: Record<string, string> = { type: step.type };
      step.cases.forEach((c, i) => {
        fields[`cases[${i}]`] = `when ${cond(c.when)} → ${c.next}`;
      });
      fields.default = step.default;
      return fields;
    }
    case 'await_promise':
      return {
        type: step.type,
        timeout: formatDuration(step.timeoutMs),
        onKept: step.onKept,
        onBroken: step.onBroken,
        onTimeout: step.onTimeout,
      };
    case 'escalate':
      return { type: step.type, target: step.target, reason: step.reason ?? '', next: step.next };
    case 'assign':
      return {
        type: step.type,
        ...('queue' in step.assignee ? { queue: step.assignee.queue } : { agent: step.assignee.agent }),
        next: step.next,
      };
    case 'set_flag':
      return { type: step.type, flag: step.flag, value: String(step.value), next: step.next };
    case 'end':
      return { type: step.type, outcome: step.outcome };
    case 'transfer':
      return { type: step.type, strategy: step.strategy };
  }
}

export function summarizeStep(step: PlanStep): string {
  const { type, ...rest } = stepFields(step);
  return `${type} ${Object.entries(rest)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

function ruleText(rule: PlanRule): string {
  const parts: string[] = [];
  if (rule.when) parts.push(`when ${cond(rule.when)}`);
  if (rule.assign)
    parts.push(
      'queue' in rule.assign ? `assign queue=${rule.assign.queue}` : `assign agent=${rule.assign.agent}`,
    );
  if (rule.setFlag) parts.push(`set ${rule.setFlag.flag}=${rule.setFlag.value}`);
  if (rule.goto) parts.push(`goto ${rule.goto}`);
  return parts.join(', ');
}

function changes(before: Record<string, string>, after: Record<string, string>, prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (a !== b) out.push({ field: `${prefix}${field}`, before: a, after: b });
  }
  return out;
}

/** Steps added, removed and changed (field by field), plus metadata and handler changes. */
export function diffPlans(from: Plan, to: Plan): PlanDiff {
  const metadata = changes(
    {
      strategyId: from.strategyId,
      name: from.name,
      description: from.description,
      start: from.start,
      flags: from.flags.join(', '),
      'appliesTo.buckets': from.appliesTo.buckets?.join(', ') ?? 'any',
      'appliesTo.products': from.appliesTo.products?.join(', ') ?? 'any',
      'appliesTo.segments': from.appliesTo.segments?.join(', ') ?? 'any',
      'appliesTo.when': cond(from.appliesTo.condition),
    },
    {
      strategyId: to.strategyId,
      name: to.name,
      description: to.description,
      start: to.start,
      flags: to.flags.join(', '),
      'appliesTo.buckets': to.appliesTo.buckets?.join(', ') ?? 'any',
      'appliesTo.products': to.appliesTo.products?.join(', ') ?? 'any',
      'appliesTo.segments': to.appliesTo.segments?.join(', ') ?? 'any',
      'appliesTo.when': cond(to.appliesTo.condition),
    },
  );
  const stepsAdded = Object.values(to.steps)
    .filter((s) => !(s.id in from.steps))
    .map((s) => ({ id: s.id, summary: summarizeStep(s) }));
  const stepsRemoved = Object.values(from.steps)
    .filter((s) => !(s.id in to.steps))
    .map((s) => ({ id: s.id, summary: summarizeStep(s) }));
  const stepsChanged = Object.values(to.steps)
    .filter((s) => s.id in from.steps)
    .map((s) => ({ id: s.id, changes: changes(stepFields(from.steps[s.id] as PlanStep), stepFields(s)) }))
    .filter((c) => c.changes.length > 0);
  const handlerText = (plan: Plan) =>
    Object.fromEntries(
      Object.entries(plan.handlers).map(([event, rules]) => [event, (rules ?? []).map(ruleText).join(' | ')]),
    );
  const handlersChanged = changes(handlerText(from), handlerText(to), 'on.');
  return {
    identical: from.hash === to.hash,
    from: { strategyId: from.strategyId, hash: from.hash },
    to: { strategyId: to.strategyId, hash: to.hash },
    metadata,
    stepsAdded,
    stepsRemoved,
    stepsChanged,
    handlersChanged,
  };
}

/** The diff as lines for a terminal or a review comment. */
export function formatDiff(diff: PlanDiff): string[] {
  if (diff.identical) return [`identical plans (${diff.to.hash})`];
  const show = (v: string | null) => (v === null ? '(none)' : `'${v}'`);
  const lines: string[] = [];
  for (const c of diff.metadata) lines.push(`~ ${c.field}: ${show(c.before)} → ${show(c.after)}`);
  for (const s of diff.stepsAdded) lines.push(`+ step ${s.id}: ${s.summary}`);
  for (const s of diff.stepsRemoved) lines.push(`- step ${s.id}: ${s.summary}`);
  for (const s of diff.stepsChanged) {
    for (const c of s.changes) lines.push(`~ step ${s.id}.${c.field}: ${show(c.before)} → ${show(c.after)}`);
  }
  for (const c of diff.handlersChanged) lines.push(`~ ${c.field}: ${show(c.before)} → ${show(c.after)}`);
  if (lines.length === 0) lines.push('no step or handler changes (step order or formatting differ)');
  lines.push(
    `${diff.stepsAdded.length} added, ${diff.stepsRemoved.length} removed, ${diff.stepsChanged.length} changed steps; ` +
      `${diff.handlersChanged.length} handler change(s)`,
  );
  return lines;
}
