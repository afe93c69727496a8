/**
 * npm run bench -- bulk-load
 *
 * Generates and loads the full synthetic book (3,000,000 customers, 6,000,000 loans by
 * default) with `npm run generate` in a child process (so its peak RSS is the generator's
 * own), then, in the same run on the same server, the raw ceiling: the same rows written to
 * files first and loaded by server-side COPY into unindexed copies of the tables, plus the
 * same index and constraint builds, once before and once after the loader. Works in its own database (<PG_DATABASE>_bench), dropped
 * at the end unless --keep.
 *
 *   npm run bench -- bulk-load [--customers 3000000] [--loans 6000000] [--seed 1] [--keep] [--write]
 *
 * --write puts the figures under "## bulk-load" in BENCHMARKS.md (replacing an older run's).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { dropDatabase, recreateDatabase } from '../db/admin';
import { indexDefinitions, restoreDeferredDdl } from '../db/deferred-ddl';
import type { LoadResult } from '../db/generator/load';
import { writePortfolioFiles } from '../db/generator/load';
import { GENERATED_COLUMNS, GENERATED_TABLES } from '../db/generator/portfolio';
import { migrateToLatest } from '../db/migrator';
import type { Database } from '../db/schema';

const ROOT = path.join(__dirname, '..');
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${n(bytes / 2 ** 20)} MB`;

interface GeneratorRun extends LoadResult {
  seconds: number;
}

function runGenerator(args: string[], database: string): Promise<GeneratorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['db/generator/cli.ts', ...args, '--json'],
      {
        cwd: ROOT,
        env: { ...process.env, PG_DATABASE: database },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`the generator exited with ${code}: ${out}`));
      resolve(JSON.parse(last) as GeneratorRun);
    });
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

async function machine(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db);
  const pkg = (name: string) =>
    (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  return (
    `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, PostgreSQL ${rows[0]?.v}, pg ${pkg('pg')}, pg-copy-streams ${pkg('pg-copy-streams')}, kysely ${pkg('kysely')}`
  );
}

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '3000000' },
      loans: { type: 'string', default: '6000000' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const customers = Number(values.customers);
  const loans = Number(values.loans);
  const base = loadConfigOrExit();
  const database = `${base.PG_DATABASE}_bench`;
  const config = { ...base, PG_DATABASE: database };
  const asOf = new Date().toISOString().slice(0, 10);
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(
    `bulk-load: ${n(customers)} customers, ${n(loans)} loans into ${database} (load average ${load})`,
  );

  await recreateDatabase(base, database);
  const db = createDb<Database>(config);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collections-bench-'));
  fs.chmodSync(dir, 0o755);
  try {
    await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
    const about = await machine(db);

    // The ceiling's input: the same rows, written to files by the same generator.
    const [files, filesMs] = await timed(() =>
      writePortfolioFiles(dir, { customers, loans, seed: values.seed!, asOf }),
    );
    const definitions = (await indexDefinitions(db, GENERATED_TABLES)).filter((d) =>
      (GENERATED_TABLES as string[]).includes(d.tableName),
    );

    /** Server-side COPY of the files into unindexed copies of the tables, then the same index builds. */
    const ceiling = async (): Promise<{ copyMs: number; indexMs: number; objects: number }> => {
      await sql`DROP SCHEMA IF EXISTS ceiling CASCADE`.execute(db);
      await sql`CREATE SCHEMA ceiling`.execute(db);
      const copyOne = async (table: (typeof GENERATED_TABLES)[number]) =>
        db.connection().execute(async (conn) => {
          await sql`BEGIN`.execute(conn);
          await sql
            .raw(
              `CREATE TABLE ceiling.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
            )
            .execute(conn);
          await sql
            .raw(
              `COPY ceiling.${table} (${GENERATED_COLUMNS[table].join(', ')}) FROM '${files.files[table]}' WITH (FREEZE)`,
            )
            .execute(conn);
          await sql`COMMIT`.execute(conn);
        });
      const [, copyMs] = await timed(async () => {
        const queue = [...GENERATED_TABLES].sort(
          (a, b) => fs.statSync(files.files[b]).size - fs.statSync(files.files[a]).size,
        );
        await Promise.all(
          [0, 1].map(async () => {
            for (let t = queue.shift(); t; t = queue.shift()) await copyOne(t);
          }),
        );
      });
      for (const d of definitions) {
        const definition =
          d.kind === 'index'
            ? d.definition.replace(` ON public.${d.tableName} `, ` ON ceiling.${d.tableName} `)
            : d.definition.replace(`ALTER TABLE ${d.tableName} `, `ALTER TABLE ceiling.${d.tableName} `);
        await sql`INSERT INTO deferred_ddl (table_name, object_name, kind, definition)
                  VALUES (${`ceiling.${d.tableName}`}, ${d.objectName}, ${d.kind}, ${definition})`.execute(
          db,
        );
      }
      const [steps, indexMs] = await timed(() =>
        restoreDeferredDdl(db, {
          concurrency: 2,
          settings: { maintenance_work_mem: '1GB', search_path: 'ceiling, public' },
        }),
      );
      await sql`DROP SCHEMA ceiling CASCADE`.execute(db);
      return { copyMs, indexMs, objects: steps.length };
    };

    // Ceiling, loader, ceiling: other work on the machine comes and goes, so the loader is
    // compared with the mean of a ceiling run before and after it.
    console.log('bulk-load: raw ceiling (1 of 2)');
    const before = await ceiling();
    console.log('bulk-load: the loader (npm run generate)');
    const [ours, oursWallMs] = await timed(() =>
      runGenerator(
        ['--customers', String(customers), '--loans', String(loans), '--seed', values.seed!, '--as-of', asOf],
        database,
      ),
    );
    const phase = (name: string) => ours.phases.find((p) => p.name === name)?.ms ?? 0;
    const loadMs = phase('generate + COPY');
    const indexMs = phase('build indexes');
    const oursIndexed = phase('drop indexes') + loadMs + indexMs + phase('set sequences');
    const { rows: sizes } = await sql<{ name: string; bytes: number }>`
      SELECT t AS name,
             (pg_total_relation_size(t::regclass)
              + COALESCE((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = t::regclass), 0))::bigint AS bytes
      FROM unnest(${[...GENERATED_TABLES, 'cases', 'case_events', 'outbox']}::text[]) AS t`.execute(db);
    console.log('bulk-load: raw ceiling (2 of 2)');
    const after = await ceiling();
    const copyMs = (before.copyMs + after.copyMs) / 2;
    const ceilingIndexMs = (before.indexMs + after.indexMs) / 2;
    const ceilingMs = copyMs + ceilingIndexMs;
    const both = (a: number, b: number) => `${s((a + b) / 2)} (${s(a)}, ${s(b)})`;
    const rows = ours.rows;

    const report = [
      `${asOf}, ${about}. Load average ${load} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (other work shared the machine; treat the figures as rough).`,
      `Command: \`npm run bench -- bulk-load\` (${n(customers)} customers, ${n(loans)} loans, seed ${values.seed}); the loader runs as \`npm run generate\` in its own process.`,
      '',
      '| phase | loader (`npm run generate`) | raw ceiling, mean (before, after the loader) |',
      '| ----- | --------------------------: | -------------------------------------------: |',
      `| rows generated in Node | streamed into COPY, overlapped with the load | ${s(filesMs)} to files, one thread (not counted) |`,
      `| load ${n(rows)} rows | ${s(loadMs)} generate + COPY FREEZE, 5 streams (${n(rows / (loadMs / 1000))} rows/s) | ${both(before.copyMs, after.copyMs)} server-side COPY FREEZE from files, 2 at a time (${n(rows / (copyMs / 1000))} rows/s) |`,
      `| build ${definitions.length} indexes, keys and foreign keys | ${s(indexMs)} | ${both(before.indexMs, after.indexMs)} |`,
      `| **loaded and indexed** | **${s(oursIndexed)}** | **${both(before.copyMs + before.indexMs, after.copyMs + after.indexMs)}** |`,
      `| analyze | ${s(phase('analyze'))} | – |`,
      `| open a case per delinquent loan (${n(ours.casesOpened)}, with timeline event and outbox row) | ${s(phase('open cases'))} | – |`,
      `| whole \`npm run generate\` process | ${s(oursWallMs)} | – |`,
      '',
      `- Loaded and indexed in **${(oursIndexed / ceilingMs).toFixed(2)}x** the raw ceiling (target ≤ 1.5x); ${(oursIndexed / Math.min(before.copyMs + before.indexMs, after.copyMs + after.indexMs)).toFixed(2)}x its faster run.`,
      `- Generator peak RSS: **${mb(ours.peakRssBytes)}** (target < 512 MB for any N; rows are streamed with back-pressure).`,
      `- Rows: ${GENERATED_TABLES.map((t) => `${t} ${n(ours.counts[t])}`).join(', ')}.`,
      `- Database size after the load: **${mb(ours.databaseBytes)}**; ${sizes.map((r) => `${r.name} ${mb(r.bytes)}`).join(', ')} (tables with indexes).`,
    ].join('\n');
    console.log(`\n## bulk-load\n\n${report}\n`);
    if (values.write) writeSection('## bulk-load', report);
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
  console.error(`bulk-load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
