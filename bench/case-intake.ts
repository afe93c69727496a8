/**
 * npm run bench -- case-intake
 *
 * Opening a generated book of delinquent cases through the case starter (strategy selection and
 * `workflow.start` of `case-<id>`, with a worker running the case workflows and their real
 * activities against the same database), beside the raw ceiling measured in the same run on the
 * same Temporal server: starting and completing a no-op workflow with the same worker tuning.
 * Then the worker's footprint with 10,000 and with all the open cases, for a few cache sizes
 * (maxCachedWorkflows): RSS, RSS per cached case, CPU per strategy step, and steps/s per GB.
 *
 *   npm run bench -- case-intake [--cases 50000] [--noop 5000] [--diag 5000] [--concurrency 64]
 *                                [--cache-sizes 500,2000,10000] [--touches 10000] [--seed 1] [--keep] [--write]
 *
 * --cases        open cases to start (the book is generated large enough: about 12% of loans are delinquent)
 * --noop         no-op workflows for the raw ceiling
 * --diag         diagnostic of the start path alone, with no worker polling: this many no-op starts, case
 *                starts (on spare open cases of the book, not the measured ones) and no-op starts given a
 *                real case input; 0 skips it
 * --concurrency  workflow starts (and signals) in flight, for the no-op ceiling and the case starter alike
 * --cache-sizes  maxCachedWorkflows values tried in the footprint phase
 * --touches      cases woken per footprint round (a nightly DPD update: signal, strategy step, effect batch)
 * --keep         keep the bench database (dropped by default)
 * --write        put the figures under "## case-intake" in BENCHMARKS.md (replacing an older run's)
 *
 * Works in its own database (<PG_DATABASE>_bench_cases) and its own Temporal namespace
 * (collections-bench, created with the case search attributes when missing), on a task queue
 * of its own; case ids start at a per-run base, so no workflow id of an earlier run is reused. At the end (also after a failure or Ctrl-C) it terminates the cases it started,
 * many at once, then every workflow still running in that namespace by a batch terminate on a
 * visibility query (which also runs at the start, after a run that was killed). The worker runs
 * in a child process (one at a time) so its RSS and CPU time are its own:
 * bench/_case-intake-worker.ts. Every wait gives up after 3 minutes without progress.
 *
 * The footprint rounds are a nightly DPD update: each woken case gets a loanUpdated signal with
 * its DPD one higher, which its strategy sees as a facts update and which commits one effect
 * batch (timeline row and case row). A step counts as done when that batch has committed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { Presets, SingleBar } from 'cli-progress';
import { type Kysely, sql } from 'kysely';
import { createStrategyResolver } from '../activities/strategy-resolver';
import { dropDatabase, recreateDatabase } from '../db/admin';
import { generatePortfolio } from '../db/generator';
import type { LoadResult } from '../db/generator/load';
import { migrateToLatest } from '../db/migrator';
import type { Database } from '../db/schema';
import { publishLibrary } from '../db/strategy-library';
import { stackPaths } from '../infra/stack/common';
import { temporalCli } from '../infra/stack/services/temporal';
import { TemporalCli } from '../infra/stack/temporal-cli';
import { type Config, loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { createCaseStarter } from '../workers/case-starter';
import { caseWorkflowId, loanUpdatedSignal } from '../workflows/messages';
import type { ChildMessage, Commit, ParentMessage, WorkerSpec, WorkerStats } from './_case-intake-worker';
import { benchNoop } from './_noop-workflow';

const ROOT = path.join(__dirname, '..');
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const f1 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const f2 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const mb = (bytes: number) => `${n(bytes / 2 ** 20)} MB`;
const kb = (bytes: number) => `${n(bytes / 1024)} KB`;
const secs = (ms: number) => `${f1(ms / 1000)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wait this long without any progress before a phase gives up (the run must stop by itself). */
const STALL_MS = 180_000;
/** A footprint step not committed within this is counted as failed. */
const STEP_TIMEOUT_MS = 120_000;

/** The 1-minute load average every 5 s: other work shares the machine, and each figure says how much. */
const loadSamples: [number, number][] = [];
function meanLoad(from: number, to = Date.now()): number {
  const inside = loadSamples.filter(([at]) => at >= from && at <= to).map(([, l]) => l);
  return inside.length ? inside.reduce((a, b) => a + b, 0) / inside.length : os.loadavg()[0]!;
}

/** Set by SIGINT/SIGTERM: phases stop at their next check and the clean-up runs. */
let interrupted = false;
const checkInterrupted = () => {
  if (interrupted) throw new Error('interrupted');
};

// ---------------------------------------------------------------------------------------------
// Progress: a bar on a terminal, a plain line every 5 s otherwise

interface Bar {
  update(value: number, detail: string): void;
  stop(): void;
}

function progressBar(label: string, total: number): Bar {
  const stream = process.stderr;
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label.padEnd(22)} [{bar}] {value}/{total} | {detail} | {duration_formatted}`,
        stream,
        hideCursor: true,
        barsize: 24,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(1, total), 0, { detail: '' });
    return {
      update: (value, detail) => bar.update(Math.min(value, total), { detail }),
      stop: () => bar.stop(),
    };
  }
  const started = Date.now();
  let last = 0;
  let line = '';
  return {
    update: (value, detail) => {
      line = `${label}: ${n(value)}/${n(total)} | ${detail} | ${secs(Date.now() - started)}`;
      if (Date.now() - last >= 5000) {
        last = Date.now();
        stream.write(`${line}\n`);
        line = '';
      }
    },
    stop: () => {
      if (line) stream.write(`${line}\n`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The worker child process

interface Sample extends WorkerStats {
  /** VmRSS and VmHWM of the child as the kernel reports them, bytes. */
  vmRss: number;
  vmHwm: number;
}

const metric = (s: Sample, name: string) => s.metrics[name] ?? 0;
/** Workflow activations the worker completed (fresh and replayed). */
const WFT = 'temporal_workflow_task_execution_latency_count';
const CACHE = 'temporal_sticky_cache_size';
/** Activations served from the worker's sticky cache (the others replayed the case's history first). */
const HITS = 'temporal_sticky_cache_hit';

function procStatus(pid: number): { vmRss: number; vmHwm: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { vmRss: field('VmRSS'), vmHwm: field('VmHWM') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

class WorkerProcess {
  private readonly waiting: ((s: WorkerStats) => void)[] = [];
  private stopped: Promise<void>;
  private failure: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly spec: WorkerSpec,
  ) {
    this.stopped = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'stats') this.waiting.shift()?.(message.stats);
      else if (message.type === 'failed') this.failure = message.message;
    });
  }

  static async start(
    spec: Omit<WorkerSpec, 'metricsPort'>,
    env: NodeJS.ProcessEnv,
    log: string,
    onCommits: (items: Commit[]) => void,
  ): Promise<WorkerProcess> {
    const full: WorkerSpec = { ...spec, metricsPort: await freePort() };
    const out = fs.openSync(log, 'a');
    const child = fork(path.join(__dirname, '_case-intake-worker.ts'), [], {
      // The tsx loader this process runs under.
      execArgv: process.execArgv,
      env: { ...env, BENCH_WORKER_SPEC: JSON.stringify(full) },
      stdio: ['ignore', out, out, 'ipc'],
    });
    fs.closeSync(out);
    const worker = new WorkerProcess(child, full);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'commits') onCommits(message.items);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the worker did not start within 120 s; see ${log}`)),
        120_000,
      );
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited with ${code} while starting: ${worker.failure ?? `see ${log}`}`));
      });
    });
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async sample(): Promise<Sample> {
    if (this.child.exitCode !== null)
      throw new Error(`the worker exited: ${this.failure ?? this.child.exitCode}`);
    const stats = await new Promise<WorkerStats>((resolve, reject) => {
      const answer = (s: WorkerStats) => {
        clearTimeout(timer);
        resolve(s);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(answer) >>> 0, 1);
        reject(new Error('the worker did not answer a stats request in 60 s'));
      }, 60_000);
      this.waiting.push(answer);
      this.child.send({ type: 'stats' } satisfies ParentMessage);
    });
    return { ...stats, ...procStatus(this.pid) };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected)
      this.child.send({ type: 'stop' } satisfies ParentMessage);
    const timeout = sleep(60_000).then(() => 'timeout');
    if ((await Promise.race([this.stopped.then(() => 'stopped'), timeout])) === 'timeout') {
      this.child.kill('SIGKILL');
      await this.stopped;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Temporal: the bench namespace, its search attributes, and the clean-up

/**
 * Terminates every running workflow of the namespace (a batch job by visibility query) and waits
 * for it; a second job catches anything started while the first one ran.
 */
async function terminateAll(cli: TemporalCli, reason: string): Promise<number> {
  const query = 'ExecutionStatus="Running"';
  let total = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const running = await cli.count(query);
    if (running === 0) return total;
    total += running;
    await cli.run([
      'workflow',
      'terminate',
      '--namespace',
      cli.namespace,
      '--query',
      query,
      '--reason',
      reason,
      '--yes',
    ]);
    const bar = progressBar('terminate by query', running);
    let left = running;
    let lastChange = Date.now();
    while (left > 0 && Date.now() - lastChange < 60_000) {
      await sleep(2000);
      const now = await cli.count(query);
      if (now !== left) lastChange = Date.now();
      left = now;
      bar.update(Math.max(0, running - left), `${n(left)} still running`);
    }
    bar.stop();
  }
  const left = await cli.count(query);
  if (left > 0)
    console.error(
      `case-intake: ${n(left)} workflows still running in ${cli.namespace} after the batch terminate`,
    );
  return total;
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping of cases: start calls, effect batches, touches

interface Round {
  target: Map<number, number>;
  done: Map<number, number>;
  waiters: Map<number, () => void>;
}

class Cases {
  /** Case id → when the start call began (epoch ms). */
  readonly openedAt = new Map<number, number>();
  readonly firstCommit = new Map<number, number>();
  readonly firstTreatment = new Map<number, number>();
  commits = 0;
  /** Sizes of the first case workflows' inputs (JSON bytes). */
  inputBytes: number[] = [];
  /** Durations of start calls (ms) since the phase began, whatever the workflow. */
  startCalls: number[] = [];
  /** The touch round in progress: case id → DPD sent; done: case id → when its batch committed. */
  round: Round | undefined;

  onCommits = (items: Commit[]) => {
    for (const [caseId, dpd, treatment, at] of items) {
      this.commits++;
      if (!this.firstCommit.has(caseId)) this.firstCommit.set(caseId, at);
      if (treatment && !this.firstTreatment.has(caseId)) this.firstTreatment.set(caseId, at);
      const target = this.round?.target.get(caseId);
      if (target !== undefined && dpd >= target && !this.round!.done.has(caseId)) {
        this.round!.done.set(caseId, at);
        this.round!.waiters.get(caseId)?.();
      }
    }
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `work(item)` for every item with `lanes` in flight (until interrupted, unless `always`); returns how many threw. */
async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
  always = false,
): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length && (always || !interrupted)) {
        const item = items[next++]!;
        try {
          await work(item);
        } catch {
          failed++;
        }
      }
    }),
  );
  return failed;
}

/** Polls `progress` until it reports done, or until it has not moved for STALL_MS. */
async function until(
  bar: Bar,
  inFlight: Promise<unknown>,
  progress: () => Promise<{ value: number; done: boolean; detail: string }>,
  everyMs = 1000,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  try {
    for (;;) {
      checkInterrupted();
      const p = await progress();
      bar.update(p.value, p.detail);
      if (p.done) return true;
      if (p.value !== last) {
        last = p.value;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > STALL_MS) {
        return false;
      }
      await sleep(everyMs);
    }
  } catch (err) {
    // Let the lanes finish what they have in flight (they stop taking work when interrupted), so
    // that nothing starts a workflow after the clean-up has terminated them.
    bar.stop();
    await inFlight.catch(() => undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

interface NoopResult {
  workflows: number;
  startsPerSec: number;
  completionsPerSec: number;
  startMs: number;
  completeMs: number;
  cpuPerActivationMs: number;
  rss: number;
  startCallP50: number;
  startCallP99: number;
  load: number;
}

interface IntakeStage {
  cases: number;
  started: number;
  noStrategy: number;
  failed: number;
  startMs: number;
  /** From the first start call to the last first treatment of the stage. */
  drainMs: number;
  latencies: number[];
  firstCommitLatencies: number[];
  withTreatment: number;
  treatmentsPerSec: number;
  cpuPerActivationMs: number;
  activations: number;
  rssAtEnd: number;
  cachedAtEnd: number;
  complete: boolean;
  startCalls: number[];
  /** Cases reaching their first batch per second while starts were going on, and after. */
  processedDuringStarts: number;
  processedAfterStarts: number;
  load: number;
}

interface FootprintRow {
  openCases: number;
  cacheSize: number;
  touched: number;
  done: number;
  stepsPerSec: number;
  rssBase: number;
  rss: number;
  hwm: number;
  cached: number;
  perCachedCase: number;
  activations: number;
  cpuPerStepMs: number;
  cpuPerActivationMs: number;
  p50Ms: number;
  p99Ms: number;
  stepsPerSecPerGb: number;
  hitsPerStep: number;
  missesPerStep: number;
  load: number;
  complete: boolean;
}

interface Context {
  config: Config;
  env: NodeJS.ProcessEnv;
  client: Client;
  db: Kysely<Database>;
  cases: Cases;
  runId: string;
  namespace: string;
  logDir: string;
  bundles: { noop: string; cases: string };
  concurrency: number;
  workerLogs: number;
}

function workerLog(ctx: Context, name: string): string {
  return path.join(
    ctx.logDir,
    `${String(++ctx.workerLogs).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.log`,
  );
}

async function idleSample(worker: WorkerProcess): Promise<Sample> {
  await sleep(3000);
  return worker.sample();
}

async function noopCeiling(ctx: Context, count: number): Promise<NoopResult> {
  const taskQueue = `bench-noop-${ctx.runId}`;
  const worker = await WorkerProcess.start(
    {
      mode: 'noop',
      namespace: ctx.namespace,
      taskQueue,
      bundle: ctx.bundles.noop,
      maxCachedWorkflows: ctx.config.WORKER_MAX_CACHED_WORKFLOWS,
    },
    ctx.env,
    workerLog(ctx, 'noop'),
    () => undefined,
  );
  try {
    const before = await idleSample(worker);
    const ids = Array.from({ length: count }, (_, i) => `noop-${ctx.runId}-${i}`);
    let started = 0;
    let completed = 0;
    let lastCompletionAt = 0;
    const bar = progressBar('no-op workflows', count);
    const t0 = Date.now();
    let startedAll = 0;
    ctx.cases.startCalls = [];
    const starting = inLanes(ids, ctx.concurrency, async (workflowId) => {
      await ctx.client.workflow.start(benchNoop, { taskQueue, workflowId });
      started++;
    }).then((failed) => {
      startedAll = Date.now();
      if (failed) console.error(`case-intake: ${failed} no-op starts failed`);
    });
    const complete = await until(
      bar,
      starting,
      async () => {
        const s = await worker.sample();
        const done = metric(s, 'temporal_workflow_completed') - metric(before, 'temporal_workflow_completed');
        if (done > completed) lastCompletionAt = s.at;
        completed = done;
        const elapsed = (Date.now() - t0) / 1000;
        const startElapsed = ((startedAll || Date.now()) - t0) / 1000;
        return {
          value: completed,
          done: completed >= count,
          detail: `started ${n(started)} (${n(started / startElapsed)}/s), completed ${n(completed)} (${n(completed / elapsed)}/s)`,
        };
      },
      500,
    );
    await starting;
    bar.stop();
    const after = await worker.sample();
    const activations = metric(after, WFT) - metric(before, WFT);
    const calls = [...ctx.cases.startCalls].sort((a, b) => a - b);
    return {
      startCallP50: percentile(calls, 50),
      startCallP99: percentile(calls, 99),
      load: meanLoad(t0),
      workflows: count,
      startsPerSec: started / ((startedAll - t0) / 1000),
      completionsPerSec: completed / ((lastCompletionAt - t0) / 1000),
      startMs: startedAll - t0,
      completeMs: lastCompletionAt - t0,
      cpuPerActivationMs: (after.cpuUs - before.cpuUs) / 1000 / Math.max(1, activations),
      rss: after.vmRss,
      ...(complete ? {} : { workflows: completed }),
    };
  } finally {
    await worker.stop();
  }
}

async function intake(
  ctx: Context,
  caseIds: number[],
  label: string,
  totalOpen: number,
): Promise<IntakeStage> {
  const taskQueue = `bench-cases-${ctx.runId}`;
  const worker = await WorkerProcess.start(
    {
      mode: 'case',
      namespace: ctx.namespace,
      taskQueue,
      bundle: ctx.bundles.cases,
      maxCachedWorkflows: ctx.config.WORKER_MAX_CACHED_WORKFLOWS,
    },
    ctx.env,
    workerLog(ctx, `intake-${label}`),
    ctx.cases.onCommits,
  );
  try {
    const before = await idleSample(worker);
    const starter = benchStarter(ctx, taskQueue);
    const { cases } = ctx;
    const inStage = new Set(caseIds);
    const countIn = (m: Map<number, number>) => {
      let c = 0;
      for (const id of m.keys()) if (inStage.has(id)) c++;
      return c;
    };
    // The bar counts start calls, then first effect batches: twice the stage's cases.
    const bar = progressBar(`open cases ${label}`, 2 * caseIds.length);
    const t0 = Date.now();
    ctx.cases.startCalls = [];
    let startMs = 0;
    const report = { started: 0, noStrategy: 0, failed: 0 };
    let startsDone = false;
    // In chunks of the starter's own unit (500), so that an interrupt stops it within one chunk.
    const starting = (async () => {
      for (let i = 0; i < caseIds.length && !interrupted; i += 500) {
        const r = await starter.startCases(caseIds.slice(i, i + 500));
        report.started += r.started;
        report.noStrategy += r.noStrategy;
        report.failed += r.failed;
      }
      startMs = Date.now() - t0;
      startsDone = true;
    })();
    // Caught up when every started case has committed its first batch (cases held at open, for a
    // dispute or bankruptcy, commit one without a treatment).
    const complete = await until(bar, starting, async () => {
      const opened = countIn(cases.openedAt);
      const committed = countIn(cases.firstCommit);
      const treated = countIn(cases.firstTreatment);
      const elapsed = (Date.now() - t0) / 1000;
      return {
        value: opened + committed,
        done: startsDone && committed >= report.started,
        detail: `started ${n(opened)} (${n(opened / ((startsDone ? startMs : Date.now() - t0) / 1000))}/s), first treatments ${n(treated)} (${n(treated / elapsed)}/s); ${n(totalOpen)} open after this stage`,
      };
    });
    await starting;
    bar.stop();
    const after = await worker.sample();
    const latencies: number[] = [];
    const firstCommitLatencies: number[] = [];
    for (const id of caseIds) {
      const opened = cases.openedAt.get(id);
      if (opened === undefined) continue;
      const treatment = cases.firstTreatment.get(id);
      if (treatment !== undefined) latencies.push(treatment - opened);
      const commit = cases.firstCommit.get(id);
      if (commit !== undefined) firstCommitLatencies.push(commit - opened);
    }
    latencies.sort((a, b) => a - b);
    firstCommitLatencies.sort((a, b) => a - b);
    let lastTreatment = 0;
    for (const id of caseIds) lastTreatment = Math.max(lastTreatment, cases.firstTreatment.get(id) ?? 0);
    const activations = metric(after, WFT) - metric(before, WFT);
    const committed = caseIds
      .map((id) => cases.firstCommit.get(id))
      .filter((t): t is number => t !== undefined);
    const during = committed.filter((t) => t <= t0 + startMs).length;
    const lastCommit = committed.reduce((a, b) => Math.max(a, b), t0 + startMs);
    return {
      cases: caseIds.length,
      ...report,
      startMs,
      drainMs: lastTreatment - t0,
      latencies,
      firstCommitLatencies,
      withTreatment: latencies.length,
      treatmentsPerSec: latencies.length / ((lastTreatment - t0) / 1000),
      cpuPerActivationMs: (after.cpuUs - before.cpuUs) / 1000 / Math.max(1, activations),
      activations,
      rssAtEnd: after.vmRss,
      cachedAtEnd: metric(after, CACHE),
      complete,
      startCalls: [...ctx.cases.startCalls],
      processedDuringStarts: during / (startMs / 1000),
      processedAfterStarts:
        (committed.length - during) / Math.max(0.001, (lastCommit - (t0 + startMs)) / 1000),
      load: meanLoad(t0),
    };
  } finally {
    await worker.stop();
  }
}

/** The production case starter, on the bench's database, client and task queue. */
function benchStarter(ctx: Context, taskQueue: string) {
  return createCaseStarter({
    db: ctx.db,
    client: ctx.client,
    resolver: createStrategyResolver(ctx.db),
    taskQueue,
    logger: createLogger({ LOG_LEVEL: 'error' }, 'bench-case-intake'),
    concurrency: ctx.concurrency,
  });
}

interface StartPathResult {
  workflows: number;
  noopPerSec: number;
  casesPerSec: number;
  /** No-op starts carrying a copy of a real case workflow's input. */
  heavyNoopPerSec: number;
  noopCallP50: number;
  caseCallP50: number;
  heavyNoopCallP50: number;
  inputBytes: number;
  load: number;
}

/**
 * Diagnostic: the start path alone, with no worker polling, so nothing but starts loads the
 * server: no-op starts, then the case starter on spare open cases of the book (not among the
 * cases measured above). Both sets are terminated at once; they never run.
 */
async function startPathAlone(ctx: Context, spare: number[], count: number): Promise<StartPathResult> {
  const taskQueue = `bench-unpolled-${ctx.runId}`;
  const noopIds = Array.from({ length: count }, (_, i) => `noop-unpolled-${ctx.runId}-${i}`);
  const heavyIds = Array.from({ length: count }, (_, i) => `noop-unpolled-input-${ctx.runId}-${i}`);
  const caseIds = spare.slice(0, count);
  const t0 = Date.now();
  const bar = progressBar('start path alone', 3 * count);
  let done = 0;
  const timer = setInterval(() => bar.update(done, `${n(done)} started, no worker`), 1000);
  try {
    ctx.cases.startCalls = [];
    const n0 = Date.now();
    await inLanes(noopIds, ctx.concurrency, async (workflowId) => {
      await ctx.client.workflow.start(benchNoop, { taskQueue, workflowId });
      done++;
    });
    const noopMs = Date.now() - n0;
    const noopCalls = [...ctx.cases.startCalls].sort((a, b) => a - b);
    checkInterrupted();
    const starter = benchStarter(ctx, taskQueue);
    ctx.cases.startCalls = [];
    const c0 = Date.now();
    let started = 0;
    for (let i = 0; i < caseIds.length && !interrupted; i += 500) {
      const r = await starter.startCases(caseIds.slice(i, i + 500));
      started += r.started;
      done += r.started;
    }
    const caseMs = Date.now() - c0;
    const caseCalls = [...ctx.cases.startCalls].sort((a, b) => a - b);
    checkInterrupted();
    // The same no-op, given a real case input (the compiled plan and the facts) as its argument.
    const input = (await ctx.client.workflow.getHandle(caseWorkflowId(String(caseIds[0]))).fetchHistory())
      .events?.[0]?.workflowExecutionStartedEventAttributes?.input;
    const inputArg: unknown = JSON.parse(Buffer.from(input?.payloads?.[0]?.data ?? '{}').toString('utf8'));
    ctx.cases.startCalls = [];
    const h0 = Date.now();
    await inLanes(heavyIds, ctx.concurrency, async (workflowId) => {
      await ctx.client.workflow.start(benchNoop, { taskQueue, workflowId, args: [inputArg] });
      done++;
    });
    const heavyMs = Date.now() - h0;
    const heavyCalls = [...ctx.cases.startCalls].sort((a, b) => a - b);
    checkInterrupted();
    return {
      workflows: count,
      noopPerSec: count / (noopMs / 1000),
      casesPerSec: started / (caseMs / 1000),
      heavyNoopPerSec: count / (heavyMs / 1000),
      noopCallP50: percentile(noopCalls, 50),
      caseCallP50: percentile(caseCalls, 50),
      heavyNoopCallP50: percentile(heavyCalls, 50),
      inputBytes: Buffer.byteLength(JSON.stringify(inputArg)),
      load: meanLoad(t0),
    };
  } finally {
    clearInterval(timer);
    bar.stop();
    const handles = [
      ...noopIds.map((id) => ctx.client.workflow.getHandle(id)),
      ...heavyIds.map((id) => ctx.client.workflow.getHandle(id)),
      ...caseIds.map((id) => ctx.client.workflow.getHandle(caseWorkflowId(String(id)))),
    ];
    await inLanes(
      handles,
      ctx.concurrency,
      (h) => h.terminate('case-intake bench: start-path diagnostic').then(() => undefined),
      true,
    );
  }
}

interface LoanFacts {
  dpd: number;
  outstanding: number;
  overdue: number;
}

/** One nightly DPD update over `touched` cases with a fresh worker holding at most `cacheSize` cases. */
async function footprint(
  ctx: Context,
  openCases: number,
  cacheSize: number,
  touched: number[],
  loans: Map<number, LoanFacts>,
  night: number,
): Promise<FootprintRow> {
  const taskQueue = `bench-cases-${ctx.runId}`;
  const worker = await WorkerProcess.start(
    {
      mode: 'case',
      namespace: ctx.namespace,
      taskQueue,
      bundle: ctx.bundles.cases,
      maxCachedWorkflows: cacheSize,
    },
    ctx.env,
    workerLog(ctx, `footprint-${openCases}-${cacheSize}`),
    ctx.cases.onCommits,
  );
  try {
    const base = await idleSample(worker);
    const asOf = new Date(Date.now() + night * 86_400_000).toISOString().slice(0, 10);
    const target = new Map<number, number>();
    for (const id of touched) target.set(id, loans.get(id)!.dpd + 1);
    const round: Round = { target, done: new Map(), waiters: new Map() };
    ctx.cases.round = round;
    const sentAt = new Map<number, number>();
    let timedOut = 0;
    const bar = progressBar(`${n(openCases)} open, cache ${n(cacheSize)}`, touched.length);
    const t0 = Date.now();
    // Closed loop: each lane waits for its case's effect batch before waking the next case, so
    // `concurrency` steps are in flight and a step's latency is its own, not a queue's.
    const signalling = inLanes(touched, ctx.concurrency, async (id) => {
      const loan = loans.get(id)!;
      let timer: NodeJS.Timeout | undefined;
      const committed = new Promise<boolean>((resolve) => {
        round.waiters.set(id, () => resolve(true));
        timer = setTimeout(() => resolve(false), STEP_TIMEOUT_MS);
      });
      sentAt.set(id, Date.now());
      try {
        await ctx.client.workflow.getHandle(caseWorkflowId(String(id))).signal(loanUpdatedSignal, {
          dpd: loan.dpd + 1,
          balanceMinor: loan.outstanding,
          amountOverdueMinor: loan.overdue,
          status: 'active',
          asOf,
        });
        if (!(await committed)) timedOut++;
      } finally {
        clearTimeout(timer);
        round.waiters.delete(id);
      }
    });
    const complete = await until(bar, signalling, async () => {
      const s = await worker.sample();
      const elapsed = (Date.now() - t0) / 1000;
      return {
        value: round.done.size,
        done: round.done.size + timedOut >= touched.length,
        detail: `${n(round.done.size / elapsed)} steps/s, cached ${n(metric(s, CACHE))}, RSS ${mb(s.vmRss)}`,
      };
    });
    const failed = await signalling;
    bar.stop();
    if (failed || timedOut)
      console.error(
        `case-intake: ${failed} signals failed, ${timedOut} steps not committed within ${secs(STEP_TIMEOUT_MS)}`,
      );
    ctx.cases.round = undefined;
    for (const [id, dpd] of target) if (round.done.has(id)) loans.get(id)!.dpd = dpd;
    // Let the last activations settle, then measure the worker as it stands with a full cache.
    await sleep(2000);
    const end = await worker.sample();
    let last = t0;
    const latencies: number[] = [];
    for (const [id, at] of round.done) {
      last = Math.max(last, at);
      latencies.push(at - (sentAt.get(id) ?? t0));
    }
    latencies.sort((a, b) => a - b);
    const cached = metric(end, CACHE);
    const activations = metric(end, WFT) - metric(base, WFT);
    const cpuMs = (end.cpuUs - base.cpuUs) / 1000;
    const stepsPerSec = round.done.size / ((last - t0) / 1000);
    return {
      openCases,
      cacheSize,
      touched: touched.length,
      done: round.done.size,
      stepsPerSec,
      rssBase: base.vmRss,
      rss: end.vmRss,
      hwm: end.vmHwm,
      cached,
      perCachedCase: cached > 0 ? (end.vmRss - base.vmRss) / cached : NaN,
      activations,
      cpuPerStepMs: cpuMs / Math.max(1, round.done.size),
      cpuPerActivationMs: cpuMs / Math.max(1, activations),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      stepsPerSecPerGb: stepsPerSec / (end.vmHwm / 2 ** 30),
      hitsPerStep: (metric(end, HITS) - metric(base, HITS)) / Math.max(1, round.done.size),
      missesPerStep: (activations - (metric(end, HITS) - metric(base, HITS))) / Math.max(1, round.done.size),
      load: meanLoad(t0),
      complete,
    };
  } finally {
    ctx.cases.round = undefined;
    await worker.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

/** Puts `body` under `heading` in BENCHMARKS.md, replacing that section only, or appends it. */
function writeSection(heading: string, body: string): void {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const section = [heading, '', ...body.trimEnd().split('\n'), ''];
  if (start < 0) {
    fs.writeFileSync(file, `${text.trimEnd()}\n\n${section.join('\n')}`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  lines.splice(start, end - start, ...section);
  fs.writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
}

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (s: string, i: number) => (right[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (r: string[]) => `| ${r.map(cell).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const pkgVersion = (name: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

// ---------------------------------------------------------------------------------------------

interface ReportInput {
  wanted: number;
  noopCount: number;
  concurrency: number;
  cacheSizes: number[];
  touches: number;
  seed: string;
  config: Config;
  generated: LoadResult;
  noop: NoopResult;
  alone: StartPathResult | undefined;
  diagCount: number;
  /** Bytes of one case workflow's input (JSON), for the text. */
  planBytes: number;
  stages: IntakeStage[];
  points: number[];
  rows: FootprintRow[];
  startedAt: Date;
  loadAtStart: number[];
  serverVersion: string;
  pg: string;
}

/** Least-squares slope of RSS over cached cases (bytes per case), when the rows differ in cache size. */
function slope(rows: FootprintRow[]): number {
  const xs = rows.map((r) => r.cached);
  const ys = rows.map((r) => r.rss);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  if (rows.length < 2 || sxx === 0) return NaN;
  return xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / sxx;
}

function report(r: ReportInput): { tables: string; verdict: string; markdown: string } {
  const { noop, alone, stages, rows, config, concurrency } = r;
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  const started = sum(stages, (x) => x.started);
  const startMs = sum(stages, (x) => x.startMs);
  const intakeRate = started / (startMs / 1000);
  const ratio = intakeRate / noop.startsPerSec;
  const latencies = stages.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const commitLatencies = stages.flatMap((s) => s.firstCommitLatencies).sort((a, b) => a - b);
  const startCalls = stages.flatMap((s) => s.startCalls).sort((a, b) => a - b);
  const laneShare = sum(startCalls, (x) => x) / (concurrency * startMs);
  const drainMs = sum(stages, (x) => x.drainMs);
  const treatmentsPerSec = latencies.length / (drainMs / 1000);
  const held = sum(stages, (x) => x.started - x.withTreatment);
  const intakeActivations = sum(stages, (x) => x.activations);
  const intakeCpu = sum(stages, (x) => x.cpuPerActivationMs * x.activations) / Math.max(1, intakeActivations);
  const during = sum(stages, (x) => x.processedDuringStarts * x.startMs) / startMs;
  const after = Math.max(...stages.map((x) => x.processedAfterStarts));
  const measured = rows.filter((x) => x.cached > 0 && Number.isFinite(x.perCachedCase));
  const biggest = [...measured].sort((a, b) => b.cached - a.cached || b.openCases - a.openCases)[0];
  const perCase = biggest?.perCachedCase ?? NaN;
  const slopes = r.points.map((p) => ({ open: p, bytes: slope(rows.filter((x) => x.openCases === p)) }));
  const best = [...rows].sort((a, b) => b.stepsPerSecPerGb - a.stepsPerSecPerGb)[0]!;
  // Rows at one point ran minutes apart under the same book; compare cache sizes there only.
  const byPoint = r.points.map((p) => {
    const at = rows.filter((x) => x.openCases === p).sort((a, b) => a.cacheSize - b.cacheSize);
    const rates = at.map((x) => x.stepsPerSec);
    return {
      open: p,
      min: Math.min(...rates),
      max: Math.max(...rates),
      smallest: at[0]!,
      largest: at[at.length - 1]!,
    };
  });
  const spreads = byPoint
    .map((b) => `${n(((b.max - b.min) / b.max) * 100)}% at ${n(b.open)} open`)
    .join(', ');
  const largerHelps = byPoint.some((b) => b.largest.stepsPerSec > b.smallest.stepsPerSec * 1.15);
  const done = sum(rows, (x) => x.done);
  const stepRate = done / sum(rows, (x) => x.done / x.stepsPerSec);
  const activationsPerStep = sum(rows, (x) => x.activations) / Math.max(1, done);
  const cpuPerStep = sum(rows, (x) => x.cpuPerStepMs * x.done) / Math.max(1, done);
  const hits = sum(rows, (x) => x.hitsPerStep * x.done) / Math.max(1, done);
  const misses = sum(rows, (x) => x.missesPerStep * x.done) / Math.max(1, done);
  const idle = Math.min(...rows.map((x) => x.rssBase));
  const perCaseMb = perCase / 2 ** 20;
  const loads = loadSamples.map(([, l]) => l);
  const loadRange = loads.length
    ? `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}`
    : os.loadavg()[0]!.toFixed(1);

  const intakeTable = table(
    ['measure (same run, same dev server)', 'figure'],
    [
      [`no-op workflow (${n(noop.workflows)}), worker running: starts/s`, f1(noop.startsPerSec)],
      ['no-op workflow: completions/s', f1(noop.completionsPerSec)],
      ['no-op start call p50 / p99', `${secs(noop.startCallP50)} / ${secs(noop.startCallP99)}`],
      [`case intake (${n(started)}), worker running: workflows started/s`, f1(intakeRate)],
      ['**intake / no-op start rate** (target >= 0.8x)', `**${f2(ratio)}x**`],
      [
        'case start call p50 / p99',
        `${secs(percentile(startCalls, 50))} / ${secs(percentile(startCalls, 99))}`,
      ],
      ["share of the starter's lane time spent in start calls", `${n(laneShare * 100)}%`],
      ['cases reaching their first effect batch/s while starts ran / after', `${f1(during)} / ${f1(after)}`],
      ['cases reaching their first treatment/s, whole intake', f1(treatmentsPerSec)],
      [
        'start call -> first treatment committed, p50 / p99',
        `${secs(percentile(latencies, 50))} / ${secs(percentile(latencies, 99))}`,
      ],
      [
        'start call -> first effect batch committed, p50 / p99',
        `${secs(percentile(commitLatencies, 50))} / ${secs(percentile(commitLatencies, 99))}`,
      ],
      ['cases opened on hold (dispute, bankruptcy): first batch without a treatment', n(held)],
      [
        'worker CPU per activation: no-op / case intake',
        `${f2(noop.cpuPerActivationMs)} ms / ${f2(intakeCpu)} ms`,
      ],
      ...(alone
        ? [
            [
              `diagnostic, no worker polling (${n(alone.workflows)} each): no-op starts/s`,
              f1(alone.noopPerSec),
            ],
            ['diagnostic, no worker polling: case starter starts/s', f1(alone.casesPerSec)],
            ['diagnostic: case starter / no-op, no worker', `${f2(alone.casesPerSec / alone.noopPerSec)}x`],
            [
              `diagnostic, no worker polling: no-op given a case's ${n(alone.inputBytes)}-byte input, starts/s`,
              f1(alone.heavyNoopPerSec),
            ],
            [
              'diagnostic: start call p50, no-op / case / no-op with case input',
              `${secs(alone.noopCallP50)} / ${secs(alone.caseCallP50)} / ${secs(alone.heavyNoopCallP50)}`,
            ],
          ]
        : []),
    ],
    [false, true],
  );
  const stageTable = table(
    [
      'intake stage',
      'started',
      'no strategy',
      'failed',
      'starting took',
      'started/s',
      'lanes in start calls',
      'first batches/s during / after starts',
      'with a treatment',
      'last first treatment',
      'worker RSS after',
      'cached after',
      'load',
    ],
    stages.map((s, i) => [
      `${i + 1}: to ${n(r.points[i]!)} open`,
      n(s.started),
      n(s.noStrategy),
      n(s.failed),
      secs(s.startMs),
      f1(s.started / (s.startMs / 1000)),
      `${n((100 * s.startCalls.reduce((a, b) => a + b, 0)) / (concurrency * s.startMs))}%`,
      `${f1(s.processedDuringStarts)} / ${f1(s.processedAfterStarts)}`,
      `${n(s.withTreatment)}${s.complete ? '' : ' (stalled)'}`,
      `${secs(s.drainMs)} after the first start`,
      mb(s.rssAtEnd),
      n(s.cachedAtEnd),
      s.load.toFixed(1),
    ]),
    [false, ...Array.from({ length: 12 }, () => true)],
  );
  const footprintTable = table(
    [
      'open cases',
      'maxCachedWorkflows',
      'steps',
      'steps/s',
      'step p50 / p99',
      'RSS idle',
      'RSS after',
      'peak RSS',
      'cached',
      'RSS per cached case',
      'activations per step',
      'cache hits / misses per step',
      'CPU per step',
      'CPU per activation',
      'steps/s per GB',
      'load',
    ],
    rows.map((x) => [
      n(x.openCases),
      n(x.cacheSize),
      `${n(x.done)}${x.done < x.touched ? ` of ${n(x.touched)}` : ''}`,
      f1(x.stepsPerSec),
      `${secs(x.p50Ms)} / ${secs(x.p99Ms)}`,
      mb(x.rssBase),
      mb(x.rss),
      mb(x.hwm),
      n(x.cached),
      kb(x.perCachedCase),
      f2(x.activations / Math.max(1, x.done)),
      `${f2(x.hitsPerStep)} / ${f2(x.missesPerStep)}`,
      `${f2(x.cpuPerStepMs)} ms`,
      `${f2(x.cpuPerActivationMs)} ms`,
      f1(x.stepsPerSecPerGb),
      x.load.toFixed(1),
    ]),
    Array.from({ length: 16 }, () => true),
  );
  const slopeLine = slopes
    .filter((x) => Number.isFinite(x.bytes))
    .map((x) => `${kb(x.bytes)} at ${n(x.open)} open cases`)
    .join(', ');
  const memoryMet = perCase <= 512 * 1024;
  const verdict =
    `intake ${f2(ratio)}x the no-op start rate (target 0.8x): ${ratio >= 0.8 ? 'met' : 'NOT met'}` +
    `${alone ? ` (start path alone, no worker: ${f2(alone.casesPerSec / alone.noopPerSec)}x)` : ''}; ` +
    `${kb(perCase)} per cached case at ${n(biggest?.cached ?? 0)} cached (target 512 KB): ${memoryMet ? 'met' : 'NOT met'}` +
    `${slopeLine ? ` (marginal, across cache sizes: ${slopeLine})` : ''}; ` +
    `best steps/s per GB: maxCachedWorkflows ${n(best.cacheSize)} (${n(best.openCases)} open cases)`;

  const why =
    ratio >= 0.8
      ? ''
      : ` Why: the starter spent ${n(laneShare * 100)}% of its lane time inside \`workflow.start\` calls (its own PostgreSQL work is the rest), ` +
        `and those calls took ${secs(percentile(startCalls, 50))} at p50 against ${secs(noop.startCallP50)} for the no-op: the same dev server ` +
        `was at the same time running the cases already started (a workflow task that runs the strategy step and commits its effect batch as a local activity, a search-attribute upsert, a timer and a ` +
        `${n(r.planBytes)}-byte input each, against one workflow task for a no-op), and only ${f1(during)} cases/s reached their ` +
        `first batch while starts ran against ${f1(after)}/s after: starting and running cases share one SQLite writer and 2 cores.` +
        (alone
          ? ` With no worker polling, the starter reached ${f2(alone.casesPerSec / alone.noopPerSec)}x the no-op start rate ` +
            `(${f1(alone.casesPerSec)} vs ${f1(alone.noopPerSec)} starts/s), and the no-op given a real case input ` +
            `(${n(alone.inputBytes)} bytes: the compiled plan and the facts) ${f1(alone.heavyNoopPerSec)} starts/s: ` +
            `the input's size is ${alone.heavyNoopPerSec < (alone.noopPerSec + alone.casesPerSec) / 2 ? 'most' : 'part'} of the start path's own cost, ` +
            `the starter's PostgreSQL work (loading, pinning and marking the cases, set-based per 500) the rest.`
          : '');

  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const nightly = 1_000_000 / 7200;
  const budget = 4 * 2 ** 30;
  const markdown = [
    `${r.startedAt.toISOString().slice(0, 10)}, ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `everything on the same 2 cores: the dev server, PostgreSQL, the worker and the bench itself (1-minute load average during the run ${loadRange}; each row gives its own). ` +
      `Node ${process.version}, @temporalio/* ${pkgVersion('@temporalio/worker')}, Temporal CLI ${r.serverVersion} dev server ` +
      `(SQLite file, journal_mode=WAL, synchronous=NORMAL), PostgreSQL ${r.pg}. Run time ${n((Date.now() - r.startedAt.getTime()) / 60_000)} minutes.`,
    '',
    `Command: \`npm run bench -- case-intake --cases ${r.wanted} --noop ${r.noopCount} --diag ${r.diagCount} --concurrency ${concurrency} ` +
      `--cache-sizes ${r.cacheSizes.join(',')} --touches ${r.touches} --write\`. ` +
      `Book: ${n(r.generated.counts.customers)} customers, ${n(r.generated.counts.loans)} loans, ${n(r.generated.casesOpened)} open cases (seed ${r.seed}); ` +
      `${n(started)} opened through the case starter (workers/case-starter.ts: strategy selection, the case row, \`workflow.start\`) ` +
      `in two stages (to ${r.points.map(n).join(', then ')} open cases), ${concurrency} in flight, in the bench's own database and namespace. ` +
      `One worker process at a time (bench/_case-intake-worker.ts) with the tuning of workers/case-worker.ts from lib/config.ts: ` +
      `maxCachedWorkflows ${n(config.WORKER_MAX_CACHED_WORKFLOWS)} for the no-op ceiling and intake, ` +
      `${config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS} workflow tasks, ${config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES} local activities (effect batches) and ${config.WORKER_MAX_CONCURRENT_ACTIVITIES} activities at once, ` +
      `${config.WORKER_MAX_WORKFLOW_TASK_POLLS} workflow-task pollers, non-sticky/sticky poll ratio 0.5, PostgreSQL pool ${config.PG_POOL_MAX}. ` +
      `The no-op ceiling (bench/_noop-workflow.ts) ran first, same server, same tuning, same ${concurrency} starts in flight. ` +
      `First treatment = the first effect batch with a contact request or call task committed by the worker (every library entry strategy ` +
      `treats in its first batch unless the case opens on hold). The open-to-treatment latencies are mostly queueing: the ` +
      `whole stage is started at once, faster than the worker can run it.`,
    '',
    intakeTable,
    '',
    stageTable,
    '',
    `Worker footprint: per row a fresh worker process with that cache size, then a nightly DPD update of ${n(Math.min(r.touches, r.wanted))} ` +
      `randomly chosen open cases (signal \`loanUpdated\` with DPD + 1: the strategy sees a facts update and one effect batch commits), ` +
      `closed loop with ${concurrency} steps in flight. RSS = the kernel's VmRSS of the worker process; RSS per cached case = ` +
      `(RSS after the round - RSS idle before it) / cached workflows (Core's sticky cache size), so it also carries the worker's own warm-up ` +
      `(large for small caches); CPU = the process's user + system time over the round (every thread, activities included); ` +
      `activations = workflow tasks completed, cache hits = Core's sticky-cache-hit counter (a miss replays the case's history first); ` +
      `steps/s per GB uses the round's peak RSS (VmHWM).`,
    '',
    footprintTable,
    '',
    `- Intake at **${f2(ratio)}x** the no-op start rate (target >= 0.8x): **${ratio >= 0.8 ? 'met' : 'not met'}**.${why}`,
    `- Worker memory per cached case: **${kb(perCase)}** at ${n(biggest?.cached ?? 0)} cached (target <= 512 KB): **${memoryMet ? 'met' : 'not met'}**` +
      `${slopeLine ? `; marginal cost between cache sizes ${slopeLine}` : ''}.`,
    `- Best steps/s per GB: maxCachedWorkflows **${n(best.cacheSize)}** (${f1(best.stepsPerSecPerGb)} steps/s per GB at ${n(best.openCases)} open cases); ` +
      `between cache sizes at the same number of open cases steps/s differ by ${spreads}` +
      `${largerHelps ? '' : ', and a larger cache is not faster'}; CPU per activation grows with the cache.`,
    '',
    '### Past one machine: a million open cases',
    '',
    `Memory: at ${f1(perCaseMb * 1024)} KB per cached case, a worker caching a million cases would need about ${n((perCaseMb * 1_000_000) / 1024)} GB, and it would buy little: ` +
      `a case wakes every few days (timers, the nightly DPD update), so between two steps of one case the worker serves the rest of the book, ` +
      `and unless the cache holds the whole book the next step is a miss that replays the case's short history. ` +
      `The footprint rows are that situation (each round wakes cases its fresh worker has not seen: ${f2(misses)} misses and ${f2(hits)} hits per step` +
      `${hits >= 0.5 ? ", the hit being the step's own second activation after its effect batch" : ''}), and the cache size buys no throughput there while it costs memory and CPU per activation. ` +
      `So maxCachedWorkflows is sized for the steps in flight, not for the book: at least the ` +
      `workflow-task slots (${config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS} here), ` +
      `at most (memory budget - idle RSS) / per-case memory, e.g. (4 GB - ${mb(idle)}) / ${kb(perCase)} = about ${n((budget - idle) / perCase)} cases for a 4 GB worker; ` +
      `a few thousand leaves room for bursts of agent actions on the same cases. Every replica holds the same small cache and the book spreads ` +
      `over replicas through the task queue.`,
    '',
    `Temporal: every figure above is bounded by the dev server on 2 shared cores (one SQLite file, every write serialised; ${f1(noop.startsPerSec)} no-op starts/s, ` +
      `${f1(noop.completionsPerSec)} completions/s). A million open cases need a Temporal cluster: frontend, history, matching and worker services as ` +
      `separate replicas, persistence on Cassandra or PostgreSQL, visibility (the case search attributes) on Elasticsearch/OpenSearch or PostgreSQL. ` +
      `Workflow ids hash to history shards, each shard owned by one history host at a time and its writes ordered, so numHistoryShards ` +
      `(fixed when the cluster is created: 2,048-4,096 for this size) bounds how far the history service and its database can spread. ` +
      `A nightly DPD update of a million cases is a million steps (${f2(activationsPerStep)} activations and one PostgreSQL effect transaction each, ` +
      `${f2(cpuPerStep)} ms of worker CPU per step here): in a two-hour window about ${n(nightly)} steps/s, i.e. about ` +
      `${n(Math.ceil(nightly / Math.max(0.1, stepRate)))} worker replicas at this run's ${f1(stepRate)} steps/s (which shared 2 cores with the server, ` +
      `PostgreSQL, the bench and other work; by CPU alone, ${f2(cpuPerStep)} ms per step is about ${n(1000 / cpuPerStep)} steps/s per dedicated core), ` +
      `and PostgreSQL sized for that many short transactions. ` +
      `Sending the update only to cases whose DPD crosses a threshold a strategy tests would cut it by an order of magnitude.`,
    '',
    `Intake: the case starter is stateless and starting a case twice is harmless (\`USE_EXISTING\`), so several starter replicas can sweep ` +
      `id ranges in parallel, each with ${concurrency} starts in flight; the cluster's start rate grows with its history hosts and shards, and ` +
      `workers must be scaled with it, since a case started is a case to run at once (here starts outran the worker ${f1(intakeRate / Math.max(0.1, during))} to 1). ` +
      `A day's new delinquencies (a few per cent of a million-case book) open in minutes; opening a whole existing book (a migration) at this ` +
      `box's ${f1(treatmentsPerSec)} cases to first treatment/s would take ${f1(1_000_000 / Math.max(0.1, treatmentsPerSec) / 3600)} hours ` +
      `and is a planned, throttled batch on a cluster.`,
  ].join('\n');
  return { tables: `${intakeTable}\n\n${stageTable}\n\n${footprintTable}`, verdict, markdown };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '50000' },
      noop: { type: 'string', default: '5000' },
      diag: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '64' },
      'cache-sizes': { type: 'string', default: '500,2000,10000' },
      touches: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      namespace: { type: 'string', default: 'collections-bench' },
      keep: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const wanted = Number(values.cases);
  const noopCount = Number(values.noop);
  const diagCount = Number(values.diag);
  const concurrency = Number(values.concurrency);
  const touches = Number(values.touches);
  const cacheSizes = values['cache-sizes']!.split(',').map(Number);
  for (const [name, v] of [
    ['--cases', wanted],
    ['--noop', noopCount],
    ['--concurrency', concurrency],
    ['--touches', touches],
    ...cacheSizes.map((c) => ['--cache-sizes', c] as const),
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      console.error(`case-intake: ${name} must be a whole number >= 1`);
      return 2;
    }
  }
  if (!Number.isInteger(diagCount) || diagCount < 0) {
    console.error('case-intake: --diag must be a whole number >= 0');
    return 2;
  }
  const onSignal = (signal: string) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(
      `\ncase-intake: ${signal}: stopping, then terminating the bench workflows (again to quit at once)`,
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const base = loadConfigOrExit();
  const database = `${base.PG_DATABASE}_bench_cases`;
  const config: Config = { ...base, PG_DATABASE: database, LOG_LEVEL: 'warn' };
  const env = { ...process.env, PG_DATABASE: database, LOG_LEVEL: 'warn' };
  const namespace = values.namespace!;
  const runId = new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'case-intake-bench-'));
  const cli = new TemporalCli(temporalCli({ paths: stackPaths(base) }), base.TEMPORAL_ADDRESS, namespace);
  const loadAtStart = os.loadavg();
  const sampler = setInterval(() => loadSamples.push([Date.now(), os.loadavg()[0]!]), 5000);
  sampler.unref();
  const startedAt = new Date();
  // About 12% of generated loans are delinquent: a margin so that at least `wanted` cases open.
  const loansToGenerate = Math.ceil(wanted / 0.105);
  const customers = Math.ceil(loansToGenerate / 2);
  console.log(
    `case-intake: ${n(wanted)} cases from ${n(loansToGenerate)} loans into ${database}, namespace ${namespace} ` +
      `(load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}); worker logs in ${logDir}`,
  );

  await recreateDatabase(base, database);
  const db = createDb<Database>(config);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const cases = new Cases();
  const timing: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      const id = /^case-(\d+)$/.exec(input.options.workflowId)?.[1];
      const at = Date.now();
      if (id !== undefined && !cases.openedAt.has(Number(id))) cases.openedAt.set(Number(id), at);
      if (id !== undefined && cases.inputBytes.length < 200)
        cases.inputBytes.push(Buffer.byteLength(JSON.stringify(input.options.args)));
      const result = await next(input);
      cases.startCalls.push(Date.now() - at);
      return result;
    },
  };
  const client = new Client({ connection, namespace, interceptors: { workflow: [timing] } });
  let exit = 0;
  try {
    // --- Setup: database, book, namespace, bundles
    await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
    await publishLibrary(db, 'system:bench');
    // Case ids (and so workflow ids, case-<id>) never used by an earlier run in this namespace: in
    // production a case's workflow id is started once, and starting an id whose old run is kept
    // (terminated, within the retention period) costs the server measurably more.
    const firstCaseId = Math.floor(Date.now() / 1000) * 100_000;
    await sql`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${firstCaseId}, false)`.execute(db);
    const genBar = progressBar('generate book', customers);
    const generated = await generatePortfolio(config, {
      customers,
      loans: loansToGenerate,
      seed: values.seed!,
      workers: 1,
      onProgress: (p) => genBar.update(p.customersDone, `${n(p.rows)} rows`),
    });
    genBar.stop();
    const rows = await db
      .selectFrom('cases as c')
      .innerJoin('loans as l', 'l.id', 'c.loan_id')
      .select(['c.id', 'l.dpd', 'l.outstanding_minor', 'l.overdue_minor'])
      .where('c.status', '=', 'open')
      .orderBy('c.id')
      .limit(wanted + diagCount)
      .execute();
    const loans = new Map<number, LoanFacts>(
      rows.map((r) => [r.id, { dpd: r.dpd, outstanding: r.outstanding_minor, overdue: r.overdue_minor }]),
    );
    const caseIds = rows.slice(0, wanted).map((r) => r.id);
    const spare = rows.slice(wanted).map((r) => r.id);
    console.log(
      `case-intake: book of ${n(generated.counts.customers)} customers, ${n(generated.counts.loans)} loans, ` +
        `${n(generated.casesOpened)} open cases; opening ${n(caseIds.length)}`,
    );
    if (caseIds.length < wanted)
      console.error(`case-intake: only ${n(caseIds.length)} open cases (wanted ${n(wanted)})`);

    const namespaceOutcome = await cli.ensureNamespace();
    const leftovers = await terminateAll(cli, 'case-intake bench: left over from an earlier run');
    console.log(
      `case-intake: namespace ${namespace} ${namespaceOutcome}${leftovers ? `, ${n(leftovers)} leftover workflows terminated` : ''}`,
    );
    const bundleLogger = new DefaultLogger('WARN');
    const bundles = { noop: path.join(logDir, 'noop-bundle.js'), cases: path.join(logDir, 'case-bundle.js') };
    fs.writeFileSync(
      bundles.noop,
      (await bundleWorkflowCode({ workflowsPath: require.resolve('./_noop-workflow'), logger: bundleLogger }))
        .code,
    );
    fs.writeFileSync(
      bundles.cases,
      (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: bundleLogger }))
        .code,
    );
    const ctx: Context = {
      config,
      env,
      client,
      db,
      cases,
      runId,
      namespace,
      logDir,
      bundles,
      concurrency,
      workerLogs: 0,
    };

    // --- 1. The raw ceiling
    const noop = await noopCeiling(ctx, noopCount);
    console.log(
      `case-intake: no-op ceiling ${f1(noop.startsPerSec)} starts/s, ${f1(noop.completionsPerSec)} completions/s ` +
        `(${n(noop.workflows)} workflows)`,
    );

    // --- Diagnostic: the start path alone (no worker), on spare cases of the book
    let alone: StartPathResult | undefined;
    const diagN = Math.min(diagCount, spare.length);
    if (diagN > 0) {
      alone = await startPathAlone(ctx, spare, diagN);
      console.log(
        `case-intake: start path alone (no worker): no-op ${f1(alone.noopPerSec)} starts/s, case starter ${f1(alone.casesPerSec)} starts/s`,
      );
    }

    // --- 2. Intake, footprint at the first point, the rest of the intake, footprint at all open cases
    const firstPoint = caseIds.length >= 20_000 ? 10_000 : Math.max(1, Math.round(caseIds.length / 5));
    const points = [firstPoint, caseIds.length];
    const random = mulberry32(Number(values.seed) || 1);
    const stages: IntakeStage[] = [];
    const rowsOut: FootprintRow[] = [];
    let night = 0;
    for (const [i, point] of points.entries()) {
      const stageIds = caseIds.slice(i === 0 ? 0 : points[i - 1]!, point);
      const stage = await intake(ctx, stageIds, `${i + 1}/${points.length}`, point);
      stages.push(stage);
      console.log(
        `case-intake: opened ${n(stage.started)} cases in ${secs(stage.startMs)} (${f1(stage.started / (stage.startMs / 1000))}/s); ` +
          `first treatment p50 ${secs(percentile(stage.latencies, 50))}, p99 ${secs(percentile(stage.latencies, 99))}` +
          (stage.complete ? '' : ' (stalled: not every case reached its first treatment)'),
      );
      const open = caseIds.slice(0, point).filter((id) => cases.openedAt.has(id));
      for (const cacheSize of cacheSizes) {
        const touched = shuffled(open, random).slice(0, Math.min(touches, open.length));
        const row = await footprint(ctx, open.length, cacheSize, touched, loans, ++night);
        rowsOut.push(row);
        console.log(
          `case-intake: ${n(row.openCases)} open, cache ${n(cacheSize)}: ${f1(row.stepsPerSec)} steps/s, RSS ${mb(row.rss)} ` +
            `(${n(row.cached)} cached, ${kb(row.perCachedCase)} each), CPU ${f2(row.cpuPerActivationMs)} ms per activation`,
        );
      }
    }

    // --- Report
    const text = report({
      wanted,
      noopCount,
      concurrency,
      cacheSizes,
      touches,
      seed: values.seed!,
      config,
      generated,
      noop,
      alone,
      diagCount,
      planBytes: cases.inputBytes.reduce((a, b) => a + b, 0) / Math.max(1, cases.inputBytes.length),
      stages,
      points,
      rows: rowsOut,
      startedAt,
      loadAtStart,
      serverVersion: await cli.version(),
      pg:
        (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]?.v ??
        '?',
    });
    console.log(`\n${text.tables}\n\n${text.verdict}\n`);
    if (values.write) {
      writeSection('## case-intake', text.markdown);
      console.log('case-intake: figures written to BENCHMARKS.md under "## case-intake"');
    }
  } catch (err) {
    console.error(`case-intake: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    exit = 1;
  } finally {
    try {
      // The cases this run started, many at once (a batch job goes at the server's 50/s), then by query whatever is left.
      const started = [...cases.openedAt.keys()];
      const bar = progressBar('terminate cases', started.length);
      let done = 0;
      const timer = setInterval(() => bar.update(done, `${n(done)} terminated`), 1000);
      await inLanes(
        started,
        concurrency,
        async (id) => {
          try {
            await client.workflow
              .getHandle(caseWorkflowId(String(id)))
              .terminate('case-intake bench finished');
          } finally {
            done++;
          }
        },
        true,
      );
      clearInterval(timer);
      bar.update(done, `${n(done)} terminated`);
      bar.stop();
      await terminateAll(cli, 'case-intake bench finished');
    } catch (err) {
      console.error(`case-intake: could not terminate the bench workflows: ${String(err)}`);
      exit = 1;
    }
    await connection.close();
    await db.destroy();
    for (const file of ['noop-bundle.js', 'case-bundle.js'])
      fs.rmSync(path.join(logDir, file), { force: true });
    if (!values.keep) await dropDatabase(base, database);
    else console.log(`case-intake: kept ${database}`);
  }
  return exit;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
