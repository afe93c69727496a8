/**
 * The designers' command line:
 *   npm run strategy -- validate FILE...
 *   npm run strategy -- simulate FILE [--scenario NAME]... [--days N] [--timeline] [--json]
 *   npm run strategy -- simulate FILE --book [--facts FILE.ndjson] [--sample N] [--days D]
 *                                    [--model FILE] [--compare FILE2] [--json]
 *   npm run strategy -- diff A B               (files, or ID@N with --store DIR)
 *   npm run strategy -- publish FILE --store DIR [--by NAME] [--note TEXT]
 *   npm run strategy -- versions ID --store DIR
 *   npm run strategy -- scenarios
 * Common: --catalogue FILE (templates, queues, strategies; default: strategies/catalogue.ts).
 * Exit codes: 0 success, 1 invalid strategy or failed command, 2 wrong usage.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseCaseFacts } from '../../domain/case-facts-schema';
import type { CaseFacts } from '../../domain/case-facts';
import {
  DEFAULT_RESPONSE_MODEL,
  forecastBook,
  parseResponseModel,
  type ForecastReport,
} from '../book-forecast';
import { DEFAULT_CATALOGUE, type Catalogue } from '../catalogue';
import { formatCondition } from '../condition';
import { validateStrategySource, type LocatedIssue, type SourceResult } from '../load';
import { CHANNELS, type Plan } from '../plan-types';
import { STANDARD_SCENARIOS, standardScenario } from '../scenarios';
import { combineTotals, simulateScenario, type Scenario, type SimulationResult } from '../simulator';
import type { ValidationOptions } from '../validate';
import {
  diffPlans,
  formatDiff,
  latestVersion,
  publishSource,
  summarizeStep,
  type StrategyStore,
} from '../versions';
import { forecastContactPolicy } from '../forecast-policy';
import { FileStrategyStore } from './file-store';

export interface BookSourceOptions {
  readonly sample?: number;
}

export interface CliDeps {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly cwd: string;
  /** Open cases from PostgreSQL (`--book`); tests pass their own or none. */
  readonly bookSource?: (options: BookSourceOptions) => AsyncIterable<CaseFacts>;
  /** Epoch ms used as day 0 of a book forecast. */
  readonly now: () => number;
}

const USAGE = `usage: npm run strategy -- <command> [options]

commands:
  validate FILE...              check strategy files; lists every error and exits 1 if any
  simulate FILE                 run the standard scenarios (or --scenario NAME, repeatable)
      --scenario NAME           one scenario (see 'scenarios'); shows its timeline
      --days N                  horizon in days (default 120)
      --timeline                show every scenario's timeline
      --book                    forecast over the open cases in PostgreSQL
      --facts FILE.ndjson       forecast over cases from a file (one CaseFacts JSON per line)
      --sample N                simulate a seeded random sample of N cases and scale up
      --model FILE              response model (YAML/JSON): seed and per-bucket pays/promises/keepsPromise
      --compare FILE2           a second version, side by side
  diff A B                      steps added, removed and changed (A, B: files or ID@N with --store)
  publish FILE --store DIR      publish FILE as the next immutable version [--by NAME] [--note TEXT]
  versions ID --store DIR       list the published versions of a strategy
  scenarios                     list the standard scenarios

options:
  --catalogue FILE              templates, queues and strategies that exist (YAML/JSON)
  --json                        machine-readable output`;

class UsageError extends Error {}

const catalogueSchema = z.strictObject({
  templates: z.strictObject(
    Object.fromEntries(CHANNELS.map((c) => [c, z.array(z.string()).default([])])) as Record<
      (typeof CHANNELS)[number],
      z.ZodDefault<z.ZodArray<z.ZodString>>
    >,
  ),
  queues: z.array(z.string()),
  strategies: z.array(z.string()).nullable().default(null),
});

async function readText(file: string, cwd: string): Promise<string> {
  try {
    return await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`,
    );
  }
}

async function loadOptions(catalogueFile: string | undefined, cwd: string): Promise<ValidationOptions> {
  if (!catalogueFile) return { catalogue: DEFAULT_CATALOGUE };
  const parsed = catalogueSchema.safeParse(parseDocument(await readText(catalogueFile, cwd)).toJS());
  if (!parsed.success) {
    throw new UsageError(
      `${catalogueFile}: not a catalogue: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { catalogue: parsed.data as Catalogue };
}

function issueLine(file: string, issue: LocatedIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column}` : file;
  return `  ${where}  ${issue.pathText}: ${issue.message}`;
}

function reportIssues(file: string, result: SourceResult, deps: CliDeps): void {
  if (!result.ok) {
    deps.err(`✗ ${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
    for (const issue of result.errors) deps.err(issueLine(file, issue));
  }
  if (result.warnings.length > 0) {
    deps.err(`  ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}:`);
    for (const issue of result.warnings) deps.err(issueLine(file, issue));
  }
}

async function loadPlan(file: string, options: ValidationOptions, deps: CliDeps): Promise<Plan | undefined> {
  const result = validateStrategySource(await readText(file, deps.cwd), options);
  if (!result.ok) {
    reportIssues(file, result, deps);
    return undefined;
  }
  return result.plan;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

/** The summary a designer sees for a valid strategy. */
export function planSummary(plan: Plan): string[] {
  const steps = Object.values(plan.steps);
  const of = <K extends Plan['steps'][string]['type']>(type: K) =>
    steps.filter((s): s is Extract<Plan['steps'][string], { type: K }> => s.type === type);
  const reminders = of('send_reminder');
  const calls = of('create_call_task');
  const waits = steps.filter(
    (s) => s.type === 'wait' || s.type === 'wait_until' || s.type === 'await_promise',
  );
  const exits = [
    ...of('end').map((s) => `end ${s.outcome}`),
    ...of('transfer').map((s) => `transfer to ${s.strategy}`),
    ...of('escalate').map((s) => `escalate to ${s.target}`),
  ];
  const applies = plan.appliesTo;
  const never = simulateScenario(plan, standardScenario('never-answers') as Scenario);
  return [
    `  hash        ${plan.hash}`,
    `  applies to  buckets ${applies.buckets?.join(', ') ?? 'any'}; products ${applies.products?.join(', ') ?? 'any'}; ` +
      `segments ${applies.segments?.join(', ') ?? 'any'}${applies.condition ? `; when ${formatCondition(applies.condition)}` : ''}`,
    `  steps       ${steps.length}: ${reminders.length} reminders (${countBy(reminders, (s) => s.channel) || 'none'}), ` +
      `${calls.length} call tasks (${countBy(calls, (s) => s.queue) || 'none'}), ${waits.length} waits, ` +
      `${of('branch').length} branches`,
    `  exits       ${[...new Set(exits)].join('; ') || 'none'}`,
    `  handlers    ${Object.keys(plan.handlers).join(', ') || 'none'}`,
    `  start       ${plan.start}: ${summarizeStep(plan.steps[plan.start] as Plan['steps'][string])}`,
    `  no answer   ${never.totals.contactAttempts} contact attempts, then ${never.outcome}` +
      (never.finishedDay !== null ? ` on day ${never.finishedDay}` : ' after 120 days'),
  ];
}

async function validateCommand(
  files: string[],
  options: ValidationOptions,
  json: boolean,
  deps: CliDeps,
): Promise<number> {
  if (files.length === 0) throw new UsageError('validate needs at least one FILE');
  let failed = 0;
  const results: unknown[] = [];
  for (const file of files) {
    const result = validateStrategySource(await readText(file, deps.cwd), options);
    if (json) {
      results.push(
        result.ok
          ? {
              file,
              ok: true,
              strategyId: result.plan.strategyId,
              hash: result.plan.hash,
              warnings: result.warnings,
            }
          : { file, ok: false, errors: result.errors, warnings: result.warnings },
      );
      if (!result.ok) failed++;
      continue;
    }
    if (result.ok) {
      deps.out(`✓ ${file}: ${result.plan.name} [${result.plan.strategyId}] is valid`);
      for (const line of planSummary(result.plan)) deps.out(line);
      reportIssues(file, result, deps);
    } else {
      failed++;
      reportIssues(file, result, deps);
    }
  }
  if (json) deps.out(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
  return failed > 0 ? 1 : 0;
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

function printSimulation(results: SimulationResult[], showTimelines: boolean, deps: CliDeps): void {
  const first = results[0];
  if (!first) return;
  deps.out(
    `${first.strategyId} (${first.planHash}) over ${results.length} scenario${results.length === 1 ? '' : 's'}`,
  );
  deps.out('');
  deps.out(
    `  ${pad('scenario', 22)} ${pad('outcome', 44)} ${pad('day', 5)} ${pad('contacts', 9)} reminders / call tasks`,
  );
  for (const r of results) {
    const reminders = Object.entries(r.totals.reminders)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const calls = Object.values(r.totals.callTasks).reduce((a, b) => a + b, 0);
    deps.out(
      `  ${pad(r.scenario, 22)} ${pad(r.outcome, 44)} ${pad(r.finishedDay ?? '-', 5)} ${pad(r.totals.contactAttempts, 9)} ` +
        `${reminders || 'none'} / ${calls}`,
    );
  }
  if (showTimelines) {
    for (const r of results) {
      deps.out('');
      deps.out(`── ${r.scenario}: ${r.description}`);
      for (const entry of r.timeline) {
        deps.out(`  day ${pad(entry.day, 3)} ${entry.time}  ${entry.event}`);
        for (const command of entry.commands) deps.out(`                  → ${command}`);
      }
      deps.out(
        `  outcome: ${r.outcome}; final DPD ${r.finalFacts.dpd} (${r.finalFacts.bucket}), overdue ${r.finalFacts.amountOverdue}`,
      );
    }
  }
  const totals = combineTotals(results);
  deps.out('');
  deps.out('totals');
  const line = (label: string, counts: Readonly<Record<string, number>>) =>
    deps.out(
      `  ${pad(label, 13)} ${
        Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
  line('reminders', totals.reminders);
  line('call tasks', totals.callTasks);
  line('escalations', totals.escalations);
  line('assignments', totals.assignments);
  line('outcomes', totals.outcomes);
  if (Object.keys(totals.blocked).length > 0) line('blocked', totals.blocked);
  deps.out(
    `  ${pad('contacts', 13)} ${totals.contactAttempts} attempts (${(totals.contactAttempts / results.length).toFixed(1)} per scenario)`,
  );
}

async function* readNdjson(file: string, cwd: string): AsyncIterable<CaseFacts> {
  const full = path.resolve(cwd, file);
  await fs.access(full).catch(() => {
    throw new UsageError(`${file}: no such file`);
  });
  const lines = createInterface({ input: createReadStream(full, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${number}: not JSON`);
    }
    const parsed = parseCaseFacts(json);
    if (!parsed.ok) throw new UsageError(`${file}:${number}: ${parsed.errors.join('; ')}`);
    yield parsed.facts;
  }
}

function printForecast(report: ForecastReport, deps: CliDeps): void {
  deps.out(
    `book forecast: ${report.casesRead} cases read, ${report.casesSimulated} simulated` +
      (report.scale !== 1 ? ` (figures scaled ×${report.scale.toFixed(2)})` : '') +
      `, ${report.days} days, seed '${report.seed}'`,
  );
  for (const arm of report.arms) {
    deps.out(
      `  ${arm.label}: ${arm.strategyId} (${arm.planHash.slice(0, 19)}…) ${arm.cases} cases, ${arm.notApplicable} outside its segment`,
    );
  }
  deps.out('');
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const header = report.arms
    .map((a) => `${pad(`${a.label}: reminders`, 18)} ${pad('calls', 7)} ${pad('escal.', 7)}`)
    .join(' │ ');
  deps.out(`  ${pad('day', 4)} ${pad('date', 11)} ${header}`);
  const dayCount = report.arms[0]?.days.length ?? 0;
  for (let d = 0; d < dayCount; d++) {
    const cells = report.arms.map((a) => {
      const day = a.days[d] as ForecastReport['arms'][number]['days'][number];
      return `${pad(sum(day.treatments), 18)} ${pad(sum(day.callTasks), 7)} ${pad(sum(day.escalations), 7)}`;
    });
    const any = report.arms.some((a) => {
      const day = a.days[d] as ForecastReport['arms'][number]['days'][number];
      return sum(day.treatments) + sum(day.callTasks) + sum(day.escalations) > 0;
    });
    if (any) deps.out(`  ${pad(d, 4)} ${pad(report.arms[0]?.days[d]?.date ?? '', 11)} ${cells.join(' │ ')}`);
  }
  for (const arm of report.arms) {
    deps.out('');
    deps.out(`${arm.label} totals`);
    const line = (label: string, counts: Readonly<Record<string, number>>) =>
      deps.out(
        `  ${pad(label, 13)} ${
          Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }`,
      );
    line('reminders', arm.totals.treatments);
    line('call tasks', arm.totals.callTasks);
    line('escalations', arm.totals.escalations);
    line('blocked', arm.totals.blocked);
    line('at horizon', arm.outcomes);
    if (Object.keys(arm.callTasksAfterHorizon).length > 0) line('calls due later', arm.callTasksAfterHorizon);
    const peak = arm.days.reduce(
      (best, d) => (sum(d.callTasks) > sum(best.callTasks) ? d : best),
      arm.days[0] as ForecastReport['arms'][number]['days'][number],
    );
    deps.out(
      `  ${pad('peak calls', 13)} ${sum(peak.callTasks)} on day ${peak.day} (${peak.date}): ${
        Object.entries(peak.callTasks)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
  }
  deps.out('');
  deps.out(
    'blocked: attempts the contact policy (domain/contact-policy) would refuse, by rule; every debtor is taken as a US debtor with a consenting mobile, so time-zone effects are not forecast.',
  );
}

async function simulateCommand(
  file: string,
  values: Record<string, string | boolean | string[] | undefined>,
  options: ValidationOptions,
  deps: CliDeps,
): Promise<number> {
  const plan = await loadPlan(file, options, deps);
  if (!plan) return 1;
  const days = values.days === undefined ? undefined : positiveInt(values.days as string, '--days');
  const json = values.json === true;

  if (values.book === true || values.facts !== undefined) {
    const others: { label: string; plan: Plan }[] = [];
    if (values.compare !== undefined) {
      const other = await loadPlan(values.compare as string, options, deps);
      if (!other) return 1;
      others.push({ label: 'B', plan: other });
    }
    let model = DEFAULT_RESPONSE_MODEL;
    if (values.model !== undefined) {
      const parsed = parseResponseModel(
        parseDocument(await readText(values.model as string, deps.cwd)).toJS(),
      );
      if (!parsed.ok) throw new UsageError(`${values.model}: ${parsed.errors.join('; ')}`);
      model = parsed.model;
    }
    const sample = values.sample === undefined ? undefined : positiveInt(values.sample as string, '--sample');
    let source: AsyncIterable<CaseFacts>;
    if (values.facts !== undefined) source = readNdjson(values.facts as string, deps.cwd);
    else if (deps.bookSource) source = deps.bookSource(sample === undefined ? {} : { sample });
    else {
      deps.err(
        '--book reads the open cases from PostgreSQL, and no database source is available here.\n' +
          'Forecast over a file instead: --facts FILE.ndjson, one CaseFacts JSON object per line.',
      );
      return 1;
    }
    const day0 = Math.floor(deps.now() / 86_400_000) * 86_400_000 + 9 * 3_600_000;
    const report = await forecastBook(source, {
      arms: [{ label: 'A', plan }, ...others],
      ...(days !== undefined ? { days } : {}),
      ...(sample !== undefined ? { sample } : {}),
      model,
      start: day0,
      policy: forecastContactPolicy(),
    });
    if (json) deps.out(JSON.stringify(report, null, 2));
    else printForecast(report, deps);
    return 0;
  }

  const names = (values.scenario as string[] | undefined) ?? [];
  const scenarios: Scenario[] = [];
  for (const name of names) {
    const scenario = standardScenario(name);
    if (!scenario) {
      throw new UsageError(
        `unknown scenario '${name}'; scenarios: ${STANDARD_SCENARIOS.map((s) => s.name).join(', ')}`,
      );
    }
    scenarios.push(scenario);
  }
  const chosen = scenarios.length > 0 ? scenarios : [...STANDARD_SCENARIOS];
  const results = chosen.map((s) => simulateScenario(plan, s, days !== undefined ? { days } : {}));
  if (json) deps.out(JSON.stringify({ results, totals: combineTotals(results) }, null, 2));
  else printSimulation(results, values.timeline === true || scenarios.length > 0, deps);
  return 0;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} needs a positive whole number, not '${text}'`);
  return n;
}

async function resolvePlan(
  ref: string,
  store: StrategyStore | undefined,
  options: ValidationOptions,
  deps: CliDeps,
): Promise<Plan | undefined> {
  const match = /^([a-z0-9][a-z0-9-]*)@(\d+|latest)$/.exec(ref);
  if (match) {
    if (!store) throw new UsageError(`${ref} names a published version: pass --store DIR`);
    const [, id, n] = match as unknown as [string, string, string];
    const version = n === 'latest' ? await latestVersion(store, id) : await store.getVersion(id, Number(n));
    if (!version) throw new UsageError(`${ref}: no such version in the store`);
    return version.plan;
  }
  return loadPlan(ref, options, deps);
}

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scenario: { type: 'string', multiple: true },
        days: { type: 'string' },
        timeline: { type: 'boolean' },
        book: { type: 'boolean' },
        facts: { type: 'string' },
        sample: { type: 'string' },
        model: { type: 'string' },
        compare: { type: 'string' },
        catalogue: { type: 'string' },
        store: { type: 'string' },
        by: { type: 'string' },
        note: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...args] = positionals;
    if (values.help || command === undefined || command === 'help') {
      deps.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const options = await loadOptions(values.catalogue, deps.cwd);
    const store = values.store ? new FileStrategyStore(path.resolve(deps.cwd, values.store)) : undefined;
    switch (command) {
      case 'validate':
        return await validateCommand(args, options, values.json === true, deps);
      case 'simulate':
        if (args.length !== 1) throw new UsageError('simulate needs exactly one FILE');
        return await simulateCommand(args[0] as string, values, options, deps);
      case 'diff': {
        if (args.length !== 2) throw new UsageError('diff needs two strategies: FILE or ID@N (with --store)');
        const a = await resolvePlan(args[0] as string, store, options, deps);
        const b = await resolvePlan(args[1] as string, store, options, deps);
        if (!a || !b) return 1;
        const diff = diffPlans(a, b);
        if (values.json) deps.out(JSON.stringify(diff, null, 2));
        else for (const line of formatDiff(diff)) deps.out(line);
        return 0;
      }
      case 'publish': {
        if (args.length !== 1) throw new UsageError('publish needs exactly one FILE');
        if (!store) throw new UsageError('publish needs --store DIR');
        const source = await readText(args[0] as string, deps.cwd);
        const result = await publishSource(
          store,
          source,
          {
            by: values.by ?? process.env.USER ?? 'designer',
            at: new Date(deps.now()).toISOString(),
            note: values.note ?? '',
          },
          options,
        );
        if (!result.ok) {
          deps.err(`✗ ${args[0]}: ${result.message}`);
          for (const issue of result.errors) deps.err(issueLine(args[0] as string, issue));
          return 1;
        }
        deps.out(
          `✓ published ${result.version.strategyId} version ${result.version.version} (${result.version.hash})`,
        );
        return 0;
      }
      case 'versions': {
        if (args.length !== 1) throw new UsageError('versions needs a strategy ID');
        if (!store) throw new UsageError('versions needs --store DIR');
        const versions = await store.listVersions(args[0] as string);
        const draft = await store.getDraft(args[0] as string);
        if (values.json) {
          deps.out(
            JSON.stringify(
              { versions: versions.map(({ plan: _p, source: _s, ...v }) => v), draft: draft ?? null },
              null,
              2,
            ),
          );
          return 0;
        }
        if (versions.length === 0) deps.out(`${args[0]}: no published versions`);
        for (const v of versions) {
          deps.out(
            `  v${pad(v.version, 4)} ${v.publishedAt}  ${pad(v.publishedBy, 14)} ${v.hash.slice(0, 19)}…  ${v.note}`,
          );
        }
        if (draft)
          deps.out(
            `  draft (based on v${draft.basedOn ?? '-'}) saved ${draft.updatedAt} by ${draft.updatedBy}`,
          );
        return 0;
      }
      case 'scenarios':
        for (const s of STANDARD_SCENARIOS) deps.out(`  ${pad(s.name, 22)} ${s.description}`);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      deps.err((error as Error).message);
      return 2;
    }
    throw error;
  }
}

/** `--book`: the open cases in PostgreSQL, read in pages; the connection closes when the forecast has read them. */
async function* bookFromDatabase(options: BookSourceOptions): AsyncIterable<CaseFacts> {
  const [{ loadConfigOrExit }, { createDb }, { openCaseFacts }] = await Promise.all([
    import('../../lib/config'),
    import('../../lib/db'),
    import('../../db/repositories/case-facts'),
  ]);
  const db = createDb<import('../../db/schema').Database>(loadConfigOrExit());
  try {
    yield* openCaseFacts(db, options.sample === undefined ? {} : { sample: options.sample });
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    now: () => Date.now(),
    bookSource: bookFromDatabase,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
