/**
 * npm run bench -- contact-policy
 *
 * The contact-policy ledger's atomic check-and-record (per-debt lock, debtor record and ledger
 * read, policy evaluation, ledger row with its evidence, commit) against the floor it is built
 * on: a raw `SELECT ... FOR UPDATE` + `INSERT` round trip on the same PostgreSQL, both through
 * the same driver and pool.
 *
 *   1. throughput: decisions per second with many debts in parallel (alternating runs);
 *   2. contention: latency when 50 attempts race for the same debt (p50 / p99 / max);
 *   3. context: the whole case-workflow effect commit with one reminder (timeline, outbox, case row).
 *
 * Runs in a database of its own (collections_bench_cp), created, migrated, seeded and dropped.
 *
 *   npx tsx bench/contact-policy.ts [--debts 20000] [--ops 20000] [--concurrency 4,16] [--race 50]
 *                                   [--rounds 20] [--repeats 3] [--keep] [--write]
 *
 * --write replaces (or appends) the "## contact-policy" section of BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { createCaseActivities } from '../activities/case-activities';
import { createContactGate } from '../activities/contact-gate';
import {
  checkAndRecordContact,
  decideContact,
  type RecordedContact,
} from '../db/repositories/contact-ledger';
import { migrateToLatest } from '../db/migrator';
import type { Database } from '../db/schema';
import { loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';

const DATABASE = 'collections_bench_cp';
const STRATEGY = 'bench';

/** Debtors spread over four US zones and Massachusetts (whose overlay allows 2 texts a week). */
const PLACES = [
  { region: 'NY', zip: '10001', area: '212', zone: 'America/New_York' },
  { region: 'IL', zip: '60601', area: '312', zone: 'America/Chicago' },
  { region: 'CO', zip: '80202', area: '303', zone: 'America/Denver' },
  { region: 'CA', zip: '90012', area: '213', zone: 'America/Los_Angeles' },
  { region: 'MA', zip: '02108', area: '617', zone: 'America/New_York' },
];

interface Timing {
  ms: number;
  latencies: number[];
}

async function runPool(
  ops: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<Timing> {
  const latencies = new Array<number>(ops);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ops) }, async () => {
      for (let i = next++; i < ops; i = next++) {
        const t0 = performance.now();
        await op(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  return { ms: performance.now() - started, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (values: number[]) => percentile(values, 50);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function seed(db: Kysely<Database>, debts: number): Promise<void> {
  const places = sql.raw(
    `(VALUES ${PLACES.map((p, i) => `(${i}, '${p.region}', '${p.zip}', '${p.area}', '${p.zone}')`).join(', ')})`,
  );
  await sql`INSERT INTO strategies (id, name) VALUES (${STRATEGY}, 'Benchmark')`.execute(db);
  await sql`INSERT INTO strategy_versions (strategy_id, version, status, definition)
            VALUES (${STRATEGY}, 1, 'published', '{}')`.execute(db);
  await sql`
    WITH p (i, region, zip, area, zone) AS ${places}
    INSERT INTO customers (id, customer_number, given_name, family_name, country, region)
    SELECT g, 'bench-' || g, 'Bench', 'Debtor', 'US', p.region
    FROM generate_series(1, ${debts}::int) g JOIN p ON p.i = g % 5`.execute(db);
  await sql`
    WITH p (i, region, zip, area, zone) AS ${places}
    INSERT INTO customer_addresses (customer_id, kind, line1, city, region, postal_code, country)
    SELECT g, 'home', g || ' Main Street', 'Bench', p.region, p.zip, 'US'
    FROM generate_series(1, ${debts}::int) g JOIN p ON p.i = g % 5`.execute(db);
  await sql`
    WITH p (i, region, zip, area, zone) AS ${places}
    INSERT INTO customer_phones (customer_id, kind, number_e164, country, time_zones, time_zone_source,
                                 sms_consent, autodial_consent)
    SELECT g, 'mobile', '+1' || p.area || (2000000 + g)::text, 'US', ARRAY[p.zone], 'area_code', true, true
    FROM generate_series(1, ${debts}::int) g JOIN p ON p.i = g % 5`.execute(db);
  await sql`
    INSERT INTO customer_emails (customer_id, address, email_consent)
    SELECT g, 'debtor' || g || '@example.test', true FROM generate_series(1, ${debts}::int) g`.execute(db);
  await sql`
    INSERT INTO loans (id, loan_number, customer_id, product, currency, principal_minor, outstanding_minor,
                       overdue_minor, dpd, bucket, as_of)
    SELECT g, 'bench-' || g, g, 'credit_card', 'USD', 500000, 250000, 15000, 12, '1-29', current_date
    FROM generate_series(1, ${debts}::int) g`.execute(db);
  await sql`
    INSERT INTO cases (id, loan_id, customer_id, opened_dpd, opened_overdue_minor, currency, strategy_id, strategy_version)
    SELECT g, g, g, 12, 15000, 'USD', ${STRATEGY}, 1 FROM generate_series(1, ${debts}::int) g`.execute(db);
  await sql`ANALYZE`.execute(db);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      debts: { type: 'string', default: '20000' },
      ops: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '4,16' },
      race: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '20' },
      repeats: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const debts = Number(values.debts);
  const ops = Number(values.ops);
  const concurrencies = values.concurrency.split(',').map(Number);
  const concurrency = Math.max(...concurrencies);
  const race = Number(values.race);
  const rounds = Number(values.rounds);
  const repeats = Number(values.repeats);
  const config = loadConfigOrExit();

  const admin = createDb<Database>(config, 'postgres');
  await sql`DROP DATABASE IF EXISTS ${sql.id(DATABASE)}`.execute(admin);
  await sql`CREATE DATABASE ${sql.id(DATABASE)}`.execute(admin);
  const db = createDb<Database>({ ...config, PG_POOL_MAX: Math.max(concurrency, race) + 4 }, DATABASE);
  const loadBefore = os.loadavg()[0]!;
  try {
    await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
    // Debts 1..n take the raw round trips, n+1..2n the checked attempts (so neither reads the
    // other's rows), and the racers come after; with ops = debts every debt gets one reminder a run.
    const raceDebts = rounds * repeats * 2;
    await seed(db, 2 * debts + raceDebts);
    const rawDebt = (i: number) => (i % debts) + 1;
    const checkedDebt = (i: number) => debts + (i % debts) + 1;
    const { rows: versionRows } = await sql<{
      v: string;
    }>`SELECT current_setting('server_version') AS v`.execute(db);
    const pgVersion = versionRows[0]!.v;

    // Today at 17:00 UTC: daytime in every seeded zone, in a monthly partition that exists.
    const base = new Date();
    base.setUTCHours(17, 0, 0, 0);
    const at = (i: number) => new Date(base.getTime() + i);

    let keySeq = 0;
    const raw = (caseId: number, i: number) =>
      db.transaction().execute(async (trx) => {
        const row = await sql<{ id: number; customer_id: number }>`
          SELECT id, customer_id FROM cases WHERE id = ${caseId} FOR UPDATE`.execute(trx);
        await trx
          .insertInto('contact_attempts')
          .values({
            case_id: caseId,
            customer_id: row.rows[0]!.customer_id,
            channel: 'sms',
            destination: 'phone:0',
            decision: 'allowed',
            rule_pack_version: 'raw',
            idempotency_key: `raw:${++keySeq}`,
            occurred_at: at(i),
          })
          .execute();
      });
    const checked = (caseId: number, i: number, channel: 'sms' | 'call' = 'sms'): Promise<RecordedContact> =>
      checkAndRecordContact(db, {
        caseId,
        channel,
        at: at(i),
        dialing: channel === 'sms' ? 'automated' : 'manual',
        initiatedBy: 'workflow',
        purpose: 'collection',
        idempotencyKey: `checked:${++keySeq}`,
      });

    console.log(`seeded ${fmt(2 * debts + raceDebts)} debts; warming up`);
    await runPool(1000, concurrency, (i) => raw(rawDebt(i), i));
    await runPool(1000, concurrency, (i) => checked(checkedDebt(i), i));

    // 1. Throughput, alternating so both see the same background load; each run gives every
    // debt of its range one attempt, at instants of its own.
    const outcomes: Record<string, number> = {};
    let runSeq = 0;
    const throughput = [];
    for (const c of concurrencies) {
      const rawRuns: Timing[] = [];
      const checkedRuns: Timing[] = [];
      for (let r = 0; r < repeats; r++) {
        const offset = ++runSeq * ops;
        rawRuns.push(await runPool(ops, c, (i) => raw(rawDebt(i), offset + i)));
        checkedRuns.push(
          await runPool(ops, c, async (i) => {
            const result = await checked(checkedDebt(i), offset + i);
            outcomes[result.summary.decision] = (outcomes[result.summary.decision] ?? 0) + 1;
          }),
        );
        const last = (t: Timing[]) => fmt((ops / t[t.length - 1]!.ms) * 1000);
        console.log(
          `${c} connections, run ${r + 1}: raw ${last(rawRuns)}/s, check-and-record ${last(checkedRuns)}/s`,
        );
      }
      const rates = (runs: Timing[]) => runs.map((t) => (ops / t.ms) * 1000);
      const rawLat = rawRuns.flatMap((t) => t.latencies);
      const checkedLat = checkedRuns.flatMap((t) => t.latencies);
      throughput.push({
        connections: c,
        rawRates: rates(rawRuns),
        checkedRates: rates(checkedRuns),
        rawRate: median(rates(rawRuns)),
        checkedRate: median(rates(checkedRuns)),
        raw: [percentile(rawLat, 50), percentile(rawLat, 99)],
        checked: [percentile(checkedLat, 50), percentile(checkedLat, 99)],
      });
    }

    // 1b. One at a time (no queueing, no CPU contention from the bench itself): the round trip.
    const serialRaw: number[] = [];
    const serialChecked: number[] = [];
    const serialOps = Math.min(ops, 2000);
    for (let r = 0; r < repeats; r++) {
      const offset = ++runSeq * ops;
      serialRaw.push(...(await runPool(serialOps, 1, (i) => raw(rawDebt(i), offset + i))).latencies);
      serialChecked.push(
        ...(await runPool(serialOps, 1, (i) => checked(checkedDebt(i), offset + i))).latencies,
      );
    }
    const serialRatio = median(serialChecked) / median(serialRaw);

    // 2. Contention: `race` attempts at once for one debt, a fresh debt per round.
    let raceDebt = 2 * debts;
    const rawRace: number[] = [];
    const checkedRace: number[] = [];
    const wrongRounds: string[] = [];
    for (let r = 0; r < rounds * repeats; r++) {
      const rawCase = ++raceDebt;
      rawRace.push(...(await runPool(race, race, (i) => raw(rawCase, i))).latencies);
      const checkedCase = ++raceDebt;
      let allowed = 0;
      checkedRace.push(
        ...(
          await runPool(race, race, async (i) => {
            if ((await checked(checkedCase, i, 'call')).summary.decision === 'allow') allowed++;
          })
        ).latencies,
      );
      // Every fifth debtor lives in Massachusetts: 2 calls a week there, 7 elsewhere.
      const expected = PLACES[checkedCase % 5]!.region === 'MA' ? 2 : 7;
      if (allowed !== expected)
        wrongRounds.push(`debt ${checkedCase}: ${allowed} allowed, expected ${expected}`);
    }
    if (wrongRounds.length > 0) throw new Error(`race rounds went wrong: ${wrongRounds.join('; ')}`);

    // 3. Context: the whole effect commit of a case workflow with one SMS reminder.
    const activities = createCaseActivities({
      db,
      contactGate: createContactGate(db),
      strategies: { resolve: async () => null },
    });
    const workflowOps = Math.min(ops, 10_000);
    const workflowRun = await runPool(workflowOps, concurrency, (i) =>
      activities.commitCaseEffects({
        caseId: String(checkedDebt(i)),
        workflowId: `case-${checkedDebt(i)}`,
        effects: [
          {
            kind: 'contact_request',
            key: `wf:${++keySeq}`,
            stepId: 'remind',
            channel: 'sms',
            template: 'early-reminder-friendly',
            automated: true,
            requestedAt: at(i).toISOString(),
          },
        ],
        caseUpdate: {
          status: 'open',
          currentStep: 'remind',
          holds: [],
          outcome: null,
          closedAt: null,
          assignedQueue: null,
          assignedAgent: null,
          nextActionAt: null,
          strategyId: STRATEGY,
          strategyVersion: 1,
          dpd: 12,
          bucket: '1-29',
        },
      }),
    );
    const workflowRate = (workflowOps / workflowRun.ms) * 1000;
    const { rows: sizeRows } = await sql<{ bytes: number }>`
      SELECT avg(pg_column_size(evidence))::int AS bytes FROM contact_attempts WHERE rule_pack_version <> 'raw'`.execute(
      db,
    );
    const evidenceBytes = sizeRows[0]!.bytes;
    // What one decision holds: the generic plan of contact_ledger_facts locks every partition
    // (and index) of case_events and contact_attempts, so this grows with the months kept.
    const locks = await db.transaction().execute(async (trx) => {
      await decideContact(
        trx,
        { caseId: checkedDebt(0), channel: 'sms', at: at(0), dialing: 'automated', initiatedBy: 'workflow' },
        { lock: true },
      );
      const { rows } = await sql<{ relations: number; partitions: number }>`
        SELECT (SELECT count(*)::int FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation') AS relations,
               (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'contact_attempts'::regclass) AS partitions`.execute(
        trx,
      );
      return rows[0]!;
    });
    const loadAfter = os.loadavg()[0]!;

    const best = throughput.reduce((a, b) => (b.checkedRate > a.checkedRate ? b : a));
    const raceRatio = percentile(checkedRace, 99) / percentile(rawRace, 99);
    const million = 1_000_000 / best.checkedRate / 60;
    const lines = {
      throughput,
      serialRatio,
      serialRaw: [percentile(serialRaw, 50), percentile(serialRaw, 99)],
      serialChecked: [percentile(serialChecked, 50), percentile(serialChecked, 99)],
      raceRatio,
      million,
      rawRace: [percentile(rawRace, 50), percentile(rawRace, 99), Math.max(...rawRace)],
      checkedRace: [percentile(checkedRace, 50), percentile(checkedRace, 99), Math.max(...checkedRace)],
    };
    console.log(
      JSON.stringify(
        { ...lines, workflowRate, outcomes, evidenceBytes, locks, loadBefore, loadAfter },
        null,
        2,
      ),
    );

    const date = new Date().toISOString().slice(0, 10);
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    const memGiB = Math.round(os.totalmem() / 2 ** 30);
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    const section = [
      '## contact-policy',
      '',
      `${date}, ${os.availableParallelism()} cores (${cpu}), ${memGiB} GiB, shared with other work ` +
        `(1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end); ` +
        `Node ${process.version}, PostgreSQL ${pgVersion} on the same machine (local stack, synchronous_commit on).`,
      `Command: \`npm run bench -- contact-policy --debts ${debts} --ops ${ops} --concurrency ${values.concurrency} ` +
        `--race ${race} --rounds ${rounds} --repeats ${repeats}\`. Database \`${DATABASE}\`, created, migrated, ` +
        `seeded with ${fmt(2 * debts + raceDebts)} debts (NY, IL, CO, CA, MA; zones stored as intake stores them) ` +
        'and dropped.',
      '',
      `- **Raw round trip**: \`BEGIN; SELECT ... FROM cases WHERE id = $1 FOR UPDATE; INSERT INTO contact_attempts ...; COMMIT\` ` +
        '(same pool, same driver, same partitioned table and idempotency trigger, empty evidence).',
      '- **Check-and-record**: `checkAndRecordContact` (what `recordManualContact` and the workflow gate run): ' +
        'case row + loan advisory lock, one statement reading the debtor record, holds, events and the 8-day ledger, ' +
        `the policy evaluation, the ledger row with its evidence (${fmt(evidenceBytes)} bytes stored on average), commit. ` +
        `Automated SMS reminders, ${fmt(debts)} debts in turn (each run gives every debt one reminder; the raw ` +
        'path has debts of its own).',
      '',
      `Many debts in parallel (${repeats} alternating runs of ${fmt(ops)} decisions per path and connection count; ` +
        'decisions/s is the median run):',
      '',
      '| path | connections | decisions/s | runs | p50 | p99 |',
      '|---|---:|---:|---|---:|---:|',
      ...throughput.flatMap((t) => [
        `| raw SELECT FOR UPDATE + INSERT | ${t.connections} | ${fmt(t.rawRate)} | ${t.rawRates.map((x) => fmt(x)).join(' / ')} | ${t.raw.map(ms).join(' | ')} |`,
        `| check-and-record | ${t.connections} | ${fmt(t.checkedRate)} | ${t.checkedRates.map((x) => fmt(x)).join(' / ')} | ${t.checked.map(ms).join(' | ')} |`,
      ]),
      `| whole workflow effect commit (context) | ${concurrency} | ${fmt(workflowRate)} | one run of ${fmt(workflowOps)} | ${ms(percentile(workflowRun.latencies, 50))} | ${ms(percentile(workflowRun.latencies, 99))} |`,
      '',
      `One at a time on one connection (${fmt(serialOps)} × ${repeats} each, alternating), the round trip itself:`,
      '',
      '| path | p50 | p99 |',
      '|---|---:|---:|',
      `| raw SELECT FOR UPDATE + INSERT | ${lines.serialRaw.map(ms).join(' | ')} |`,
      `| check-and-record | ${lines.serialChecked.map(ms).join(' | ')} |`,
      '',
      `${race} attempts racing for one debt, ${rounds * repeats} rounds (a fresh debt each; calls, so 7 of each ${race} ` +
        '(2 in Massachusetts) are allowed and the rest blocked, checked every round):',
      '',
      '| path | p50 | p99 | max |',
      '|---|---:|---:|---:|',
      `| raw SELECT FOR UPDATE + INSERT | ${lines.rawRace.map(ms).join(' | ')} |`,
      `| check-and-record | ${lines.checkedRace.map(ms).join(' | ')} |`,
      '',
      ...throughput.map(
        (t) =>
          `- Throughput ratio with ${t.connections} connections: raw ÷ check-and-record = ` +
          `**${(t.rawRate / t.checkedRate).toFixed(2)}x** (target ≤ 2x).`,
      ),
      `- Round-trip ratio, one at a time: p50 of check-and-record ÷ p50 of raw = **${serialRatio.toFixed(2)}x** (target ≤ 2x).`,
      `- Contention ratio: p99 of check-and-record ÷ p99 of raw with ${race} racing for one debt = **${raceRatio.toFixed(2)}x**. ` +
        'Racers queue on the lock either way; the lock is held for the whole check, so the queue drains at the ' +
        'check-and-record rate of one connection.',
      `- One recorded decision holds ${locks.relations} relation locks with ${locks.partitions} partitions per history ` +
        'table: the cached generic plan of `contact_ledger_facts` locks every partition of case_events and ' +
        'contact_attempts (pruning skips reading them, not locking them), so this grows by two per month kept ' +
        '(about 100 after three years).',
      '- Where the extra time goes: the raw path reads one row and writes about 200 bytes; the check reads the ' +
        'debtor record, holds, timeline facts and ledger (about ten relations, one round trip) and writes the ' +
        'evidence (about 4 KB of JSON, 1.8 KB stored), and evaluates about 0.1 ms of policy in Node. Alone on a ' +
        'connection the difference is about 1 ms; when the two cores are saturated it is CPU, which is why the ' +
        'ratio grows with the connections.',
      `- A million open cases' daily reminders through this path: **${million.toFixed(1)} minutes** at ${fmt(best.checkedRate)} ` +
        'decisions/s on this machine (one process, one PostgreSQL, both on 2 shared cores). Debts do not contend with ' +
        'each other (each holds only its own case row and loan lock), so more worker processes and PostgreSQL cores scale it.',
      '',
    ].join('\n');
    console.log(`\n${section}`);
    if (values.write) {
      const file = path.join(__dirname, '..', 'BENCHMARKS.md');
      const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
      const pattern = /## contact-policy\n[\s\S]*?(?=\n## |$)/;
      const next = pattern.test(existing)
        ? existing.replace(pattern, section)
        : `${existing.trimEnd()}\n\n${section}`;
      writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
      console.log(`wrote the "## contact-policy" section of ${file}`);
    }
  } finally {
    await db.destroy();
    if (!values.keep) await sql`DROP DATABASE IF EXISTS ${sql.id(DATABASE)}`.execute(admin);
    await admin.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
