import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Config } from '../../lib/config';
import { createDb, createPool } from '../../lib/db';
import { BULK_LOAD_LOCK, deferIndexes, type RebuildStep, restoreDeferredDdl } from '../deferred-ddl';
import { pendingMigrations } from '../migrator';
import { ensurePartitions } from '../partitions';
import { openCases } from '../repositories/cases';
import type { Database } from '../schema';
import {
  GENERATED_COLUMNS,
  GENERATED_TABLES,
  type GeneratedTable,
  generatePortfolioRows,
  type GeneratorOptions,
  type GeneratorProgress,
  type RowCounts,
  type TableSink,
  totalRows,
} from './portfolio';

/**
 * Loads the synthetic portfolio into an empty database the fast way: save and drop the
 * indexes and constraints of the five tables, stream every table through its own COPY
 * (FREEZE, in the transaction that truncates it) while the rows are generated, rebuild the
 * indexes two tables at a time, set the id sequences, ANALYZE, and open a case for every
 * delinquent loan with the same set-based code intake uses.
 */

export class GeneratorRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorRefusal';
  }
}

export interface Phase {
  name: string;
  ms: number;
  rows?: number;
}

export interface LoadOptions extends Partial<Pick<GeneratorOptions, 'asOf'>> {
  customers: number;
  loans: number;
  seed: number | string;
  /** Truncate an existing portfolio (and everything that hangs off it) first. */
  replace?: boolean;
  /** Leave an existing portfolio alone and report `skipped` (for `npm start`). */
  ifEmpty?: boolean;
  /** Open cases for delinquent loans (default true). */
  openCases?: boolean;
  /** Tables whose indexes are rebuilt at the same time. */
  indexConcurrency?: number;
  /** Worker threads generating rows (default 0: in this thread); the rows are the same whatever the number. */
  workers?: number;
  onProgress?: (p: GeneratorProgress) => void;
  onPhase?: (phase: Phase) => void;
  onIndex?: (step: RebuildStep) => void;
}

export interface LoadResult {
  status: 'loaded' | 'skipped';
  counts: RowCounts;
  rows: number;
  casesOpened: number;
  phases: Phase[];
  /** Peak resident memory of this process, bytes. */
  peakRssBytes: number;
  databaseBytes: number;
}

/** Tables the portfolio's truncation empties (everything that references customers or loans). */
const DEPENDENT_TABLES = [
  'case_events',
  'contact_attempts',
  'payments',
  'promise_instalments',
  'promises',
  'tasks',
  'case_holds',
  'cases',
  'outbox',
  'idempotency_keys',
];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A COPY stream as a sink: resolves when the stream takes more, rejects when it fails. */
export function streamSink(stream: Writable): TableSink & { failed: () => Error | undefined } {
  let error: Error | undefined;
  stream.on('error', (err) => {
    error = err;
  });
  return {
    failed: () => error,
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (error) return reject(error);
        if (stream.write(chunk)) return resolve();
        const onDrain = () => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (err: Error) => {
          stream.off('drain', onDrain);
          reject(err);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      }),
  };
}

function finish(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
    stream.end();
  });
}

async function timed<T>(
  phases: Phase[],
  name: string,
  onPhase: LoadOptions['onPhase'],
  fn: () => Promise<T>,
  rows?: (r: T) => number,
): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const phase: Phase = { name, ms: performance.now() - started, rows: rows?.(result) };
  phases.push(phase);
  onPhase?.(phase);
  return result;
}

/**
 * Generates and loads the portfolio. Refuses a database that already holds customers
 * unless `replace` (or returns `skipped` with `ifEmpty`).
 */
export async function loadPortfolio(config: Config, options: LoadOptions): Promise<LoadResult> {
  const generatorOptions: GeneratorOptions = {
    customers: options.customers,
    loans: options.loans,
    seed: options.seed,
    asOf: options.asOf ?? today(),
  };
  const db = createDb<Database>(config);
  const pool = createPool(config);
  const phases: Phase[] = [];
  let lockClient: PoolClient | undefined;
  try {
    const pending = await pendingMigrations(db);
    if (pending.length)
      throw new GeneratorRefusal(
        `the database schema is not up to date (${pending.length} migrations pending): run npm run db:migrate first`,
      );
    lockClient = await pool.connect();
    const { rows } = await lockClient.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [
      BULK_LOAD_LOCK,
    ]);
    if (!rows[0]?.got) throw new GeneratorRefusal('another bulk load is running on this database');
    await restoreDeferredDdl(db, { lockHeld: true });
    await ensurePartitions(db, config.PG_PARTITION_MONTHS_AHEAD);

    const existing = await db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
    if (existing && options.ifEmpty) {
      return {
        status: 'skipped',
        counts: emptyCounts(),
        rows: 0,
        casesOpened: 0,
        phases,
        peakRssBytes: peakRss(),
        databaseBytes: await databaseBytes(db),
      };
    }
    if (existing && !options.replace) {
      throw new GeneratorRefusal(
        'the database already holds a portfolio: pass --replace to delete it and generate a new one',
      );
    }
    if (existing) {
      await timed(phases, 'truncate', options.onPhase, () =>
        sql
          .raw(`TRUNCATE ${[...GENERATED_TABLES, ...DEPENDENT_TABLES].join(', ')} RESTART IDENTITY CASCADE`)
          .execute(db),
      );
    }

    await timed(
      phases,
      'drop indexes',
      options.onPhase,
      () => deferIndexes(db, GENERATED_TABLES),
      (o) => o.length,
    );
    const counts = await timed(
      phases,
      'generate + COPY',
      options.onPhase,
      () => copyPortfolio(pool, generatorOptions, options.onProgress, options.workers),
      totalRows,
    );
    await timed(
      phases,
      'build indexes',
      options.onPhase,
      () =>
        restoreDeferredDdl(db, {
          lockHeld: true,
          concurrency: options.indexConcurrency ?? 2,
          settings: { maintenance_work_mem: '1GB' },
          onStep: options.onIndex,
        }),
      (steps) => steps.length,
    );
    await timed(phases, 'set sequences', options.onPhase, () => setSequences(db));
    await timed(phases, 'analyze', options.onPhase, () =>
      sql.raw(`ANALYZE ${GENERATED_TABLES.join(', ')}`).execute(db),
    );
    let casesOpened = 0;
    if (options.openCases !== false) {
      // The cases table is empty here: its indexes and foreign keys are rebuilt after the insert
      // (except the one-open-case-per-loan index the insert relies on).
      const opened = await timed(
        phases,
        'open cases',
        options.onPhase,
        async () => {
          await deferIndexes(db, ['cases'], ['cases_one_open_per_loan']);
          const result = await openCases(db, sql`SELECT id FROM loans WHERE dpd >= 1`, {
            actor: 'system:generator',
          });
          await restoreDeferredDdl(db, {
            lockHeld: true,
            concurrency: 1,
            settings: { maintenance_work_mem: '1GB' },
          });
          await sql`ANALYZE cases`.execute(db);
          return result;
        },
        (r) => r.count,
      );
      casesOpened = opened.count;
    }
    return {
      status: 'loaded',
      counts,
      rows: totalRows(counts),
      casesOpened,
      phases,
      peakRssBytes: peakRss(),
      databaseBytes: await databaseBytes(db),
    };
  } finally {
    if (lockClient) {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [BULK_LOAD_LOCK]).catch(() => undefined);
      lockClient.release();
    }
    await db.destroy();
    await pool.end();
  }
}

/** One COPY per table on its own connection, each truncating its table in the same transaction (FREEZE). */
async function copyPortfolio(
  pool: Pool,
  options: GeneratorOptions,
  onProgress?: (p: GeneratorProgress) => void,
  workers = 0,
): Promise<RowCounts> {
  const clients = await Promise.all(GENERATED_TABLES.map(() => pool.connect()));
  const streams: Partial<Record<GeneratedTable, Writable>> = {};
  try {
    const sinks = {} as Record<GeneratedTable, TableSink>;
    for (const [i, table] of GENERATED_TABLES.entries()) {
      const client = clients[i]!;
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${table}`);
      const stream = client.query(
        copyFrom(`COPY ${table} (${GENERATED_COLUMNS[table].join(', ')}) FROM STDIN WITH (FREEZE)`),
      );
      streams[table] = stream;
      sinks[table] = streamSink(stream);
    }
    const counts = await generatePortfolioRows(options, sinks, onProgress, { workers });
    await Promise.all(GENERATED_TABLES.map((t) => finish(streams[t]!)));
    await Promise.all(clients.map((c) => c.query('COMMIT')));
    return counts;
  } catch (err) {
    await Promise.all(clients.map((c) => c.query('ROLLBACK').catch(() => undefined)));
    throw err;
  } finally {
    for (const c of clients) c.release();
  }
}

/** Writes the same rows as COPY text files (the benchmark's raw ceiling reads them server-side). */
export async function writePortfolioFiles(
  dir: string,
  options: GeneratorOptions,
  onProgress?: (p: GeneratorProgress) => void,
  workers = 0,
): Promise<{ counts: RowCounts; files: Record<GeneratedTable, string> }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const files = {} as Record<GeneratedTable, string>;
  const streams = {} as Record<GeneratedTable, fs.WriteStream>;
  const sinks = {} as Record<GeneratedTable, TableSink>;
  for (const table of GENERATED_TABLES) {
    files[table] = path.join(dir, `${table}.copy`);
    streams[table] = fs.createWriteStream(files[table], { mode: 0o644, highWaterMark: 1 << 20 });
    sinks[table] = streamSink(streams[table]);
  }
  const counts = await generatePortfolioRows(options, sinks, onProgress, { workers });
  await Promise.all(GENERATED_TABLES.map((t) => finish(streams[t])));
  return { counts, files };
}

async function setSequences(db: Kysely<Database>): Promise<void> {
  for (const table of GENERATED_TABLES) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT max(id) FROM ${sql.table(table)}), 1))`.execute(
      db,
    );
  }
}

function emptyCounts(): RowCounts {
  return { customers: 0, customer_addresses: 0, customer_phones: 0, customer_emails: 0, loans: 0 };
}

export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function databaseBytes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ bytes: number }>`SELECT pg_database_size(current_database()) AS bytes`.execute(
    db,
  );
  return rows[0]?.bytes ?? 0;
}
