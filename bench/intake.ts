/**
 * npm run bench -- intake
 *
 * A 1,000,000-row loan file through `npm run intake`'s code path (streamed reading,
 * validation, COPY into staging, set-based merge, case opening), beside a raw server-side
 * COPY of the same file into an unlogged table of text columns. Three runs: the book
 * arriving (all inserts, a case for every delinquent loan), the same file again (--force:
 * nothing changes), and the next day's file (DPD moves: cures, new delinquencies, updates).
 * The file carries 0.1% bad rows. Works in its own database (<PG_DATABASE>_bench), dropped at
 * the end unless --keep.
 *
 *   npm run bench -- intake [--rows 1000000] [--customers 400000] [--keep] [--write]
 *
 * --write puts the figures under "## intake" in BENCHMARKS.md (replacing an older run's).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type Config, loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { dropDatabase, recreateDatabase } from '../db/admin';
import { type IntakeResult, runIntake } from '../db/intake/run';
import { migrateToLatest } from '../db/migrator';
import type { Database } from '../db/schema';

const ROOT = path.join(__dirname, '..');
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function run(args: string[], database: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), args, {
      cwd: ROOT,
      env: { ...process.env, PG_DATABASE: database },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
  });
}

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

/** Writes a loan file in the intake format straight from the database (client-side COPY TO). */
async function exportLoans(config: Config, file: string, day: 1 | 2): Promise<void> {
  // Day 2: 30% of delinquent loans are cured, the rest one day later; 1% of current loans go 1 day past due.
  const dpd =
    day === 1
      ? 'l.dpd'
      : `CASE WHEN l.dpd > 0 AND (l.id * 7919) % 100 < 30 THEN 0 WHEN l.dpd > 0 THEN l.dpd + 1
              WHEN (l.id * 7919) % 100 = 99 THEN 1 ELSE 0 END`;
  const overdue =
    day === 1
      ? 'l.overdue_minor'
      : `CASE WHEN ${dpd} = 0 THEN 0 WHEN l.dpd = 0 THEN greatest(l.instalment_minor, 1) ELSE l.overdue_minor END`;
  const money = (expr: string) => `to_char((${expr}) / 100.0, 'FM999999999990.00')`;
  // Every 1000th row is bad: an amount with three decimals.
  const principal = `CASE WHEN l.id % 1000 = 0 THEN '12.345' ELSE ${money('l.principal_minor')} END`;
  const query = `
    COPY (
      SELECT l.loan_number, c.customer_number, l.product, l.currency, ${principal} AS principal,
             ${money('l.outstanding_minor')} AS outstanding, ${money(overdue)} AS overdue,
             ${money('l.instalment_minor')} AS instalment, l.opened_on, l.next_due_date, ${dpd} AS dpd, l.status,
             l.disputed, l.as_of + ${day - 1} AS as_of
      FROM loans l JOIN customers c ON c.id = l.customer_id ORDER BY l.id
    ) TO STDOUT WITH (FORMAT csv, HEADER)`;
  const client = new Client({
    host: config.PG_HOST,
    port: config.PG_PORT,
    user: config.PG_USER,
    password: config.PG_PASSWORD || undefined,
    database: config.PG_DATABASE,
  });
  await client.connect();
  try {
    await pipeline(client.query(copyTo(query)), fs.createWriteStream(file, { mode: 0o644 }));
  } finally {
    await client.end();
  }
}

async function rawCopy(db: Kysely<Database>, file: string): Promise<number> {
  await sql`DROP TABLE IF EXISTS raw_loans`.execute(db);
  const columns =
    'loan_number customer_number product currency principal outstanding overdue instalment opened_on next_due_date dpd status disputed as_of'.split(
      ' ',
    );
  await sql
    .raw(`CREATE UNLOGGED TABLE raw_loans (${columns.map((c) => `${c} text`).join(', ')})`)
    .execute(db);
  const started = performance.now();
  await sql.raw(`COPY raw_loans FROM '${file}' WITH (FORMAT csv, HEADER)`).execute(db);
  const ms = performance.now() - started;
  await sql`DROP TABLE raw_loans`.execute(db);
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      customers: { type: 'string', default: '400000' },
      keep: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  const customers = Number(values.customers);
  const base = loadConfigOrExit();
  const database = `${base.PG_DATABASE}_bench`;
  const config: Config = { ...base, PG_DATABASE: database };
  const today = new Date().toISOString().slice(0, 10);
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`intake: ${n(rows)}-row loan files into ${database} (load average ${load})`);

  await recreateDatabase(base, database);
  const db = createDb<Database>(config);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collections-bench-'));
  fs.chmodSync(dir, 0o755);
  try {
    await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
    const { rows: version } = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(
      db,
    );

    // The book the files describe: customers and loans from the generator, then the loans removed.
    await run(
      [
        'db/generator/cli.ts',
        '--customers',
        String(customers),
        '--loans',
        String(rows),
        '--seed',
        '7',
        '--as-of',
        today,
        '--no-cases',
      ],
      database,
    );
    const day1 = path.join(dir, 'loans-day1.csv');
    const day2 = path.join(dir, 'loans-day2.csv');
    await exportLoans(config, day1, 1);
    await exportLoans(config, day2, 2);
    await sql`TRUNCATE loans, cases, case_events, outbox, idempotency_keys CASCADE`.execute(db);
    const bytes = fs.statSync(day1).size;

    const rawMs = await rawCopy(db, day1);
    const runs: [string, IntakeResult][] = [];
    for (const [label, file, force] of [
      ['new book (all inserts)', day1, false],
      ['same file again (--force)', day1, true],
      ["next day's file", day2, false],
    ] as const) {
      console.log(`intake: ${label} ...`);
      const result = await runIntake(config, { file, force, errorSample: 3 });
      runs.push([label, result]);
      console.log(`intake: ${label}: ${s(result.ms)}, ${n(result.records / (result.ms / 1000))} rows/s`);
    }
    const peak = process.resourceUsage().maxRSS * 1024;
    const first = runs[0]![1];

    const pkg = (name: string) =>
      (
        JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    const report = [
      `${today}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version[0]?.v}, pg ${pkg('pg')}, csv via the project's streaming reader, chunks of ${n(config.INTAKE_CHUNK_ROWS)} rows. Load average ${load} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (other work shared the machine; treat the figures as rough).`,
      `Command: \`npm run bench -- intake\`: a ${n(rows)}-row loan CSV (${n(bytes / 2 ** 20)} MB, ${n(rows / 1000)} bad rows) for ${n(customers)} customers, through \`runIntake\` (what \`npm run intake\` runs).`,
      '',
      '| run | time | rows/s | new | changed | unchanged | rejected | cases opened | cures |',
      '| --- | ---: | -----: | --: | ------: | --------: | -------: | -----------: | ----: |',
      ...runs.map(
        ([label, r]) =>
          `| ${label} | ${s(r.ms)} | ${n(r.records / (r.ms / 1000))} | ${n(r.inserted)} | ${n(r.updated)} | ${n(r.unchanged)} | ${n(r.rejected)} | ${n(r.casesOpened)} | ${n(r.curesDetected)} |`,
      ),
      `| raw ceiling: server-side COPY of the file into an unlogged table of text columns | ${s(rawMs)} | ${n(rows / (rawMs / 1000))} | | | | | | |`,
      '',
      `- The new book loads at **${(first.ms / rawMs).toFixed(1)}x** the raw COPY time (validation in Node, typed staging, upsert into an indexed table, one case with timeline event and outbox row per delinquent loan).`,
      `- Peak RSS of the intake process: **${n(peak / 2 ** 20)} MB** (two chunks in memory at most, whatever the file size).`,
      `- Rejected rows are reported with line and field, e.g. \`line ${first.errors[0]?.line}, ${first.errors[0]?.field}: ${first.errors[0]?.reason}\`.`,
    ].join('\n');
    console.log(`\n## intake\n\n${report}\n`);
    if (values.write) writeSection('## intake', report);
  } finally {
    await db.destroy();
    if (values.keep) {
      console.log(`kept the database ${database} and the files in ${dir}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
      await dropDatabase(base, database);
    }
  }
}

main().catch((err) => {
  console.error(`intake bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
