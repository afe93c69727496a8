/**
 * npm run bench -- simulate
 *
 * Cases simulated per second, 120 days each, for every library strategy, on all cores
 * (worker_threads), beside the early-stage strategy hand-written as plain TypeScript: the ratio
 * is the interpreter's overhead. Debtors follow the default response model of the book forecast
 * (pays / promises / never answers per bucket), seeded, so every run simulates the same cases.
 *
 *   npx tsx bench/simulate.ts [--cases 1000000] [--days 120] [--workers 2] [--write]
 *
 * --write replaces the "## simulate" section of BENCHMARKS.md with the figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bucketRange } from '../domain/buckets';
import { makeCaseFacts, type CaseFacts } from '../domain/case-facts';
import { DEFAULT_RESPONSE_MODEL, drawPersona, reactionFor } from '../strategies/book-forecast';
import { canonicalJson } from '../strategies/hash';
import { validateStrategySource } from '../strategies/load';
import type { Command, Plan, StrategyEvent } from '../strategies/plan-types';
import { planStepper, runCase, type Stepper } from '../strategies/simulator';
import { handWrittenEarlyStage } from './_early-stage-hand-written';

const LIBRARY = path.join(__dirname, '..', 'strategies', 'library');
const HAND_WRITTEN = 'early-stage (hand-written TS)';

interface Job {
  readonly strategy: string;
  readonly from: number;
  readonly to: number;
  readonly days: number;
}

interface JobResult {
  readonly cases: number;
  readonly activations: number;
  readonly commands: number;
  readonly ms: number;
}

function loadPlan(id: string): Plan {
  const result = validateStrategySource(readFileSync(path.join(LIBRARY, `${id}.yaml`), 'utf8'));
  if (!result.ok) throw new Error(`${id} is invalid`);
  return result.plan;
}

/** Case i of the synthetic book for a plan: DPD spread over the plan's buckets, varied balances. */
function caseFacts(plan: Plan, i: number): CaseFacts {
  const buckets = plan.appliesTo.buckets ?? ['1-29'];
  const bucket = buckets[i % buckets.length] as string;
  const range = bucketRange(bucket);
  const min = Math.max(1, range?.minDpd ?? 1);
  const span = range?.maxDpd === null || range?.maxDpd === undefined ? 60 : range.maxDpd - min + 1;
  return makeCaseFacts({
    caseId: `case-${i}`,
    dpd: min + ((i * 7) % span),
    balanceMinor: 20_000 + ((i * 7_919) % 1_000_000),
    amountOverdueMinor: 5_000 + ((i * 104_729) % 60_000),
    flags: { vulnerable: i % 37 === 0 },
  });
}

function stepperFor(strategy: string): { stepper: Stepper<unknown>; plan: Plan } {
  const plan = loadPlan(strategy === HAND_WRITTEN ? 'early-stage' : strategy);
  const stepper = (
    strategy === HAND_WRITTEN ? handWrittenEarlyStage() : planStepper(plan)
  ) as Stepper<unknown>;
  return { stepper, plan };
}

function simulateRange(job: Job): JobResult {
  const { stepper, plan } = stepperFor(job.strategy);
  let activations = 0;
  let commands = 0;
  const onCommand = () => {
    commands++;
  };
  const started = performance.now();
  for (let i = job.from; i < job.to; i++) {
    const facts = caseFacts(plan, i);
    const react = reactionFor(drawPersona(DEFAULT_RESPONSE_MODEL, facts, `case-${i}`));
    const result = runCase({ stepper, facts, days: job.days, ...(react ? { react } : {}), onCommand });
    activations += result.activations;
  }
  return { cases: job.to - job.from, activations, commands, ms: performance.now() - started };
}

/** The hand-written strategy must do exactly what the interpreter does, or the ratio means nothing. */
function checkEquivalence(cases: number, days: number): void {
  const plan = loadPlan('early-stage');
  const interpreted = planStepper(plan) as Stepper<unknown>;
  const hand = handWrittenEarlyStage() as Stepper<unknown>;
  for (let i = 0; i < cases; i++) {
    const streams = [interpreted, hand].map((stepper) => {
      const facts = caseFacts(plan, i);
      const react = reactionFor(drawPersona(DEFAULT_RESPONSE_MODEL, facts, `case-${i}`));
      const seen: string[] = [];
      runCase({
        stepper,
        facts,
        days,
        ...(react ? { react } : {}),
        onCommand: (c: Command, at) => seen.push(`${at} ${canonicalJson(c)}`),
      });
      return seen.join('\n');
    });
    if (streams[0] !== streams[1]) {
      throw new Error(
        `hand-written early stage differs from the interpreter on case ${i}:\n${streams[0]}\n---\n${streams[1]}`,
      );
    }
  }
}

/** Step calls only (no simulator around them): the bare cost of interpreting. */
function stepOnly(strategy: string, cases: number, days: number): { calls: number; ms: number } {
  const { stepper, plan } = stepperFor(strategy);
  const recorded: { facts: CaseFacts; events: { event: StrategyEvent; at: number }[] }[] = [];
  for (let i = 0; i < cases; i++) {
    const facts = caseFacts(plan, i);
    const events: { event: StrategyEvent; at: number }[] = [];
    const recording: Stepper<unknown> = {
      ...stepper,
      step: (state, f, event, now) => {
        events.push({ event, at: now });
        return stepper.step(state, f, event, now);
      },
    };
    const react = reactionFor(drawPersona(DEFAULT_RESPONSE_MODEL, facts, `case-${i}`));
    runCase({ stepper: recording, facts, days, ...(react ? { react } : {}) });
    recorded.push({ facts, events });
  }
  let calls = 0;
  const started = performance.now();
  for (let round = 0; round < 5; round++) {
    for (const { facts, events } of recorded) {
      let state = stepper.initial();
      for (const { event, at } of events) {
        state = stepper.step(state, facts, event, at).state;
        calls++;
      }
    }
  }
  return { calls, ms: performance.now() - started };
}

/**
 * Runs the cases on `workers` threads. `casesPerSecond` counts from the workers' own clocks
 * (the slowest worker), so thread start-up and tsx compiling the sources are not in it.
 */
async function runParallel(
  strategy: string,
  cases: number,
  days: number,
  workers: number,
): Promise<JobResult & { wallMs: number; casesPerSecond: number }> {
  const chunk = Math.ceil(cases / workers);
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: Job = { strategy, from: w * chunk, to: Math.min(cases, (w + 1) * chunk), days };
      return new Promise<JobResult>((resolve, reject) => {
        // Workers do not inherit tsx's loader: register it, then load this file as the worker.
        const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
          eval: true,
          workerData: job,
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  const wallMs = performance.now() - started;
  return {
    cases: results.reduce((a, r) => a + r.cases, 0),
    activations: results.reduce((a, r) => a + r.activations, 0),
    commands: results.reduce((a, r) => a + r.commands, 0),
    ms: results.reduce((a, r) => a + r.ms, 0),
    wallMs,
    casesPerSecond: cases / (Math.max(...results.map((r) => r.ms)) / 1000),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '120' },
      workers: { type: 'string', default: String(Math.min(2, os.availableParallelism())) },
      write: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const cases = Number(values.cases);
  const days = Number(values.days);
  const workers = Number(values.workers);
  const strategies = readdirSync(LIBRARY)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();

  const loadBefore = os.loadavg()[0] ?? 0;
  checkEquivalence(2_000, days);
  console.log(`hand-written early stage emits the same commands as the interpreter on 2,000 cases`);

  const rows: {
    strategy: string;
    casesPerSecond: number;
    wallMs: number;
    activations: number;
    commands: number;
  }[] = [];
  for (const strategy of [...strategies, HAND_WRITTEN]) {
    const result = await runParallel(strategy, cases, days, workers);
    const row = {
      strategy,
      casesPerSecond: result.casesPerSecond,
      wallMs: result.wallMs,
      activations: result.activations / result.cases,
      commands: result.commands / result.cases,
    };
    rows.push(row);
    console.log(
      `${strategy.padEnd(32)} ${Math.round(row.casesPerSecond).toLocaleString('en-US').padStart(10)} cases/s  ` +
        `${(cases / row.casesPerSecond).toFixed(1)} s simulating ${cases.toLocaleString('en-US')} ` +
        `(${(row.wallMs / 1000).toFixed(1)} s with thread start-up)  ` +
        `${row.activations.toFixed(1)} activations, ${row.commands.toFixed(1)} commands per case`,
    );
  }
  // Other work shares the machine: compare the two early stages in alternating runs, best of three each.
  const ratioCases = Math.min(cases, 300_000);
  let bestInterpreted = 0;
  let bestHand = 0;
  for (let round = 0; round < 3; round++) {
    const a = await runParallel('early-stage', ratioCases, days, workers);
    const b = await runParallel(HAND_WRITTEN, ratioCases, days, workers);
    bestInterpreted = Math.max(bestInterpreted, a.casesPerSecond);
    bestHand = Math.max(bestHand, b.casesPerSecond);
  }
  const ratio = bestHand / bestInterpreted;
  const stepInterpreted = stepOnly('early-stage', 20_000, days);
  const stepHand = stepOnly(HAND_WRITTEN, 20_000, days);
  const stepRatio = stepInterpreted.ms / stepInterpreted.calls / (stepHand.ms / stepHand.calls);
  const slowest = rows
    .filter((r) => r.strategy !== HAND_WRITTEN)
    .reduce((a, b) => (a.casesPerSecond < b.casesPerSecond ? a : b));
  // Start-up once, plus simulating time scaled to a million cases.
  const simulatingSeconds = cases / slowest.casesPerSecond;
  const millionSeconds = slowest.wallMs / 1000 - simulatingSeconds + (simulatingSeconds * 1_000_000) / cases;
  console.log(
    `interpreter overhead, whole simulation: ${ratio.toFixed(2)}x the hand-written function (target ≤ 4x; ` +
      `best of 3 alternating runs of ${ratioCases.toLocaleString('en-US')} cases: ` +
      `${Math.round(bestInterpreted).toLocaleString('en-US')} vs ${Math.round(bestHand).toLocaleString('en-US')} cases/s)`,
  );
  console.log(
    `interpreter overhead, step() calls alone: ${stepRatio.toFixed(2)}x ` +
      `(${((stepInterpreted.ms * 1e6) / stepInterpreted.calls).toFixed(0)} ns vs ${((stepHand.ms * 1e6) / stepHand.calls).toFixed(0)} ns per call)`,
  );
  console.log(
    `1,000,000 cases × ${days} days with the slowest strategy (${slowest.strategy}), wall clock including start-up: ` +
      `${millionSeconds.toFixed(1)} s (target < 30 s)`,
  );

  const loadAfter = os.loadavg()[0] ?? 0;
  if (values.write) {
    const date = new Date().toISOString().slice(0, 10);
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const section = [
      '## simulate',
      '',
      `${date}, ${os.availableParallelism()} cores (${cpu}), Node ${process.version}, ${workers} worker threads; ` +
        'other work was running on the machine, so treat the figures as a floor.',
      `Command: \`npm run bench -- simulate --cases ${cases} --days ${days} --workers ${workers}\`. ` +
        `Each case is simulated for ${days} days on the real interpreter and simulator (timers, nightly DPD updates, ` +
        'payments, promises), with debtors drawn from the default response model.',
      '',
      `Rows ran one after another while other work shared the machine (1-minute load average ${loadBefore.toFixed(1)} ` +
        `at the start, ${loadAfter.toFixed(1)} at the end), so rows are not directly comparable; the overhead ratio ` +
        'below comes from alternating runs instead.',
      '',
      '| strategy | cases/s | simulating | with thread start-up | activations/case | commands/case |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.strategy} | ${Math.round(r.casesPerSecond).toLocaleString('en-US')} | ${(cases / r.casesPerSecond).toFixed(1)} s | ` +
          `${(r.wallMs / 1000).toFixed(1)} s | ${r.activations.toFixed(1)} | ${r.commands.toFixed(1)} |`,
      ),
      '',
      `- Interpreter overhead, whole simulation: **${ratio.toFixed(2)}x** the hand-written early stage (target ≤ 4x); ` +
        `best of 3 alternating runs of ${ratioCases.toLocaleString('en-US')} cases each: ` +
        `${Math.round(bestInterpreted).toLocaleString('en-US')} vs ${Math.round(bestHand).toLocaleString('en-US')} cases/s.`,
      `- Interpreter overhead, \`step()\` calls alone (replayed histories, no simulator): **${stepRatio.toFixed(2)}x** ` +
        `(${((stepInterpreted.ms * 1e6) / stepInterpreted.calls).toFixed(0)} ns vs ${((stepHand.ms * 1e6) / stepHand.calls).toFixed(0)} ns per call).`,
      `- 1,000,000 cases × ${days} days with the slowest library strategy (${slowest.strategy}), wall clock including ` +
        `thread start-up: **${millionSeconds.toFixed(1)} s** ` +
        '(target < 30 s on 2 cores).',
      '- The hand-written function is checked to emit the same commands as the interpreter on 2,000 cases before timing.',
      '',
    ].join('\n');
    const file = path.join(__dirname, '..', 'BENCHMARKS.md');
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const pattern = /## simulate\n[\s\S]*?(?=\n## |$)/;
    const next = pattern.test(existing)
      ? existing.replace(pattern, section)
      : `${existing.trimEnd()}\n\n${section}`;
    writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', file]);
    console.log(`wrote the "## simulate" section of ${file}`);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  parentPort?.postMessage(simulateRange(workerData as Job));
}
