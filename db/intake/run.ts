import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Config } from '../../lib/config';
import { createPool } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { kyselyOnClient } from '../connection';
import { ensurePartitions } from '../partitions';
import type { IntakeFormat, IntakeKind } from '../schema';
import { detectFile, IntakeRefusal } from './detect';
import { type FieldError, KNOWN_COLUMNS, VALIDATORS } from './fields';
import { type IntakeHooks, NO_HOOKS } from './hooks';
import { clearStageTables, createStageTables, mergeChunk, type MergeResult, STAGES } from './merge';
import { readRecords } from './records';

/**
 * `runIntake` loads one file of customers, loans or payments: streamed, validated in Node,
 * COPYed into session-local staging tables chunk by chunk, and merged set-based. Each chunk
 * is one transaction that also records the run's progress, so an interrupted run resumes
 * after its last committed chunk, and a file already imported completely is skipped (or,
 * with `force`, read again, which changes nothing).
 */

export interface IntakeOptions {
  file: string;
  kind?: IntakeKind;
  /** Import a file that was already imported completely (changes nothing when the data is unchanged). */
  force?: boolean;
  /** Records per transaction; defaults to config.INTAKE_CHUNK_ROWS. */
  chunkRows?: number;
  hooks?: IntakeHooks;
  logger?: Logger;
  /** YYYY-MM-DD; defaults to today (UTC). Dates after tomorrow are refused. */
  today?: string;
  onStart?: (info: {
    runId: number;
    kind: IntakeKind;
    format: IntakeFormat;
    bytes: number;
    resumeFrom: number;
  }) => void;
  onProgress?: (p: { bytes: number; records: number }) => void;
  onUnknownColumns?: (columns: string[]) => void;
  /** Called after each committed chunk; throwing stops the run as a crash would (tests). */
  afterChunk?: (chunk: { index: number; recordsDone: number }) => void | Promise<void>;
  /** How many rejected rows to return in the result (all are in intake_errors). */
  errorSample?: number;
}

export interface IntakeError extends FieldError {
  line: number;
}

export interface IntakeResult {
  runId: number;
  file: string;
  kind: IntakeKind;
  format: IntakeFormat;
  /** 'skipped' when the same file was already imported completely and `force` was not given. */
  status: 'completed' | 'skipped';
  /** Records skipped because an earlier, interrupted run had committed them. */
  resumedFrom: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  casesOpened: number;
  curesDetected: number;
  ms: number;
  errors: IntakeError[];
}

export { IntakeRefusal };

const ACTOR = 'system:intake';

async function sha256(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

interface Chunk {
  index: number;
  records: number;
  text: CopyText[];
  errors: IntakeError[];
}

/**
 * A staging table's COPY text for one chunk, kept as UTF-8 bytes outside the JS heap: as
 * strings, a chunk's rows would survive long enough to be promoted and swell the heap.
 */
class CopyText {
  private readonly full: Buffer[] = [];
  private current = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  add(line: string): void {
    if (this.used + line.length * 3 > this.current.length) {
      this.full.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(Math.max(1 << 20, line.length * 3));
      this.used = 0;
    }
    this.used += this.current.write(line, this.used);
  }

  get empty(): boolean {
    return this.used === 0 && this.full.length === 0;
  }

  chunks(): Buffer[] {
    return [...this.full, this.current.subarray(0, this.used)];
  }
}

async function copyInto(client: PoolClient, table: string, columns: string, text: CopyText): Promise<void> {
  if (text.empty) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
  await pipeline(Readable.from(text.chunks()), stream);
}

export async function runIntake(config: Config, options: IntakeOptions): Promise<IntakeResult> {
  const started = performance.now();
  const file = path.resolve(options.file);
  const detected = await detectFile(file, options.kind);
  const { kind, format } = detected;
  const digest = await sha256(file);
  const chunkRows = options.chunkRows ?? config.INTAKE_CHUNK_ROWS;
  const hooks = options.hooks ?? NO_HOOKS;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const stages = STAGES[kind];
  const validate = VALIDATORS[kind];

  const pool = createPool(config);
  const client = await pool.connect();
  const db = kyselyOnClient(client);
  const lockKey = `intake:${kind}:${digest}`;
  let locked = false;
  let runId = 0;
  try {
    await ensurePartitions(db, config.PG_PARTITION_MONTHS_AHEAD);
    const { rows: lock } = await sql<{
      got: boolean;
    }>`SELECT pg_try_advisory_lock(hashtext(${lockKey})) AS got`.execute(db);
    if (!lock[0]?.got) throw new IntakeRefusal(`${file} is being imported by another process right now`);
    locked = true;

    const previous = await db
      .selectFrom('intake_runs')
      .select(['id', 'status', 'records_done', 'finished_at'])
      .where('file_sha256', '=', digest)
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (previous?.status === 'completed' && !options.force) {
      return {
        runId: previous.id,
        file,
        kind,
        format,
        status: 'skipped',
        resumedFrom: 0,
        records: previous.records_done,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        casesOpened: 0,
        curesDetected: 0,
        ms: performance.now() - started,
        errors: [],
      };
    }
    let resumeFrom = 0;
    if (previous && previous.status !== 'completed') {
      runId = previous.id;
      resumeFrom = previous.records_done;
      await db
        .updateTable('intake_runs')
        .set({ status: 'running', error: null, updated_at: sql`now()` })
        .where('id', '=', runId)
        .execute();
    } else {
      const inserted = await db
        .insertInto('intake_runs')
        .values({
          file_name: path.basename(file),
          file_sha256: digest,
          file_bytes: detected.bytes,
          kind,
          format,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      runId = inserted.id;
    }
    options.onStart?.({ runId, kind, format, bytes: detected.bytes, resumeFrom });
    await createStageTables(db);

    const totals = { inserted: 0, updated: 0, unchanged: 0, rejected: 0, casesOpened: 0, curesDetected: 0 };
    let recordsDone = resumeFrom;
    let bytesRead = 0;

    const commitChunk = async (chunk: Chunk): Promise<void> => {
      let merged: MergeResult;
      await sql`BEGIN`.execute(db);
      try {
        await clearStageTables(db, kind);
        for (let i = 0; i < stages.length; i++)
          await copyInto(client, stages[i]!.name, stages[i]!.columns, chunk.text[i]!);
        if (chunk.errors.length) {
          await sql`
            INSERT INTO intake_errors (run_id, line, field, reason)
            SELECT ${runId}::bigint, * FROM unnest(${chunk.errors.map((e) => e.line)}::bigint[],
                                                   ${chunk.errors.map((e) => e.field)}::text[],
                                                   ${chunk.errors.map((e) => e.reason)}::text[])
            ON CONFLICT DO NOTHING`.execute(db);
        }
        merged = await mergeChunk(db, kind, runId, ACTOR);
        const rejectedInNode = new Set(chunk.errors.map((e) => e.line)).size;
        await db
          .updateTable('intake_runs')
          .set((eb) => ({
            records_done: eb('records_done', '+', chunk.records),
            rows_inserted: eb('rows_inserted', '+', merged.inserted),
            rows_updated: eb('rows_updated', '+', merged.updated),
            rows_unchanged: eb('rows_unchanged', '+', merged.unchanged),
            rows_rejected: eb('rows_rejected', '+', merged.rejected + rejectedInNode),
            cases_opened: eb('cases_opened', '+', merged.openedCaseIds.length),
            cures_detected: eb('cures_detected', '+', merged.curedCaseIds.length),
            updated_at: sql`now()`,
          }))
          .where('id', '=', runId)
          .execute();
        await sql`COMMIT`.execute(db);
        totals.inserted += merged.inserted;
        totals.updated += merged.updated;
        totals.unchanged += merged.unchanged;
        totals.rejected += merged.rejected + rejectedInNode;
        totals.casesOpened += merged.openedCaseIds.length;
        totals.curesDetected += merged.curedCaseIds.length;
        recordsDone += chunk.records;
      } catch (err) {
        await sql`ROLLBACK`.execute(db).catch(() => undefined);
        throw err;
      }
      await callHooks(hooks, merged, options.logger);
      await options.afterChunk?.({ index: chunk.index, recordsDone });
    };

    // Chunk k merges in PostgreSQL while chunk k+1 is read and validated here.
    let inflight: Promise<void> = Promise.resolve();
    let chunk: Chunk = { index: 0, records: 0, text: stages.map(() => new CopyText()), errors: [] };
    let seen = 0;
    const flush = async () => {
      await inflight;
      const current = chunk;
      chunk = { index: current.index + 1, records: 0, text: stages.map(() => new CopyText()), errors: [] };
      inflight = commitChunk(current);
      inflight.catch(() => undefined);
    };
    const records = readRecords(file, detected, KNOWN_COLUMNS[kind], {
      onBytes: (b) => {
        bytesRead = b;
      },
      onUnknownColumns: options.onUnknownColumns,
    });
    for await (const batch of records) {
      for (const record of batch) {
        seen++;
        if (seen <= resumeFrom) continue;
        chunk.records++;
        if ('error' in record) {
          chunk.errors.push({ line: record.line, ...record.error });
        } else {
          const result = validate(record.values, { today });
          if (result.ok) {
            const prefix = `${record.line}\t`;
            chunk.text[0]!.add(`${prefix}${result.staged.main}\n`);
            for (const p of result.staged.phones ?? []) chunk.text[1]!.add(`${prefix}${p}\n`);
            if (result.staged.email) chunk.text[2]!.add(`${prefix}${result.staged.email}\n`);
          } else {
            for (const e of result.errors) chunk.errors.push({ line: record.line, ...e });
          }
        }
        if (chunk.records >= chunkRows) await flush();
      }
      options.onProgress?.({ bytes: bytesRead, records: seen });
    }
    if (chunk.records > 0 || seen === resumeFrom) await flush();
    await inflight;
    options.onProgress?.({ bytes: detected.bytes, records: seen });

    await db
      .updateTable('intake_runs')
      .set({ status: 'completed', finished_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', runId)
      .execute();
    const run = await db
      .selectFrom('intake_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    const errors = await db
      .selectFrom('intake_errors')
      .select(['line', 'field', 'reason'])
      .where('run_id', '=', runId)
      .orderBy('line')
      .orderBy('field')
      .limit(options.errorSample ?? 20)
      .execute();
    return {
      runId,
      file,
      kind,
      format,
      status: 'completed',
      resumedFrom: resumeFrom,
      records: run.records_done,
      // A resumed run reports the whole file's totals, including the chunks committed before.
      inserted: run.rows_inserted,
      updated: run.rows_updated,
      unchanged: run.rows_unchanged,
      rejected: run.rows_rejected,
      casesOpened: run.cases_opened,
      curesDetected: run.cures_detected,
      ms: performance.now() - started,
      errors,
    };
  } catch (err) {
    if (runId && !(err instanceof IntakeRefusal)) {
      const message = err instanceof Error ? err.message : String(err);
      await db
        .updateTable('intake_runs')
        .set({ status: 'failed', error: message.slice(0, 1000), updated_at: sql`now()` })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .execute()
        .catch(() => undefined);
    }
    throw err;
  } finally {
    if (locked) await sql`SELECT pg_advisory_unlock(hashtext(${lockKey}))`.execute(db).catch(() => undefined);
    client.release();
    await pool.end();
  }
}

async function callHooks(hooks: IntakeHooks, merged: MergeResult, logger?: Logger): Promise<void> {
  const calls: [string, readonly number[], ((ids: readonly number[]) => Promise<void>) | undefined][] = [
    ['onCasesOpened', merged.openedCaseIds, hooks.onCasesOpened?.bind(hooks)],
    ['onCuresDetected', merged.curedCaseIds, hooks.onCuresDetected?.bind(hooks)],
    ['onPaymentsReceived', merged.paymentIds, hooks.onPaymentsReceived?.bind(hooks)],
  ];
  for (const [name, ids, fn] of calls) {
    if (!fn || ids.length === 0) continue;
    try {
      await fn(ids);
    } catch (err) {
      // The outbox already holds these events; the relay delivers them.
      logger?.warn(
        { err, hook: name, count: ids.length },
        'intake hook failed; the outbox still has the events',
      );
    }
  }
}
