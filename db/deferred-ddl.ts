import { type Kysely, sql } from 'kysely';

/**
 * A bulk load into empty tables is several times faster without indexes and constraints: it
 * saves their definitions in `deferred_ddl`, drops them, loads, and rebuilds them. The saved
 * definitions survive a crash, so the next load or `db:migrate` finishes the rebuild.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- plumbing below the typed schema
type AnyDb = Kysely<any>;

export type DeferredKind = 'constraint' | 'index' | 'foreign_key';

export interface DeferredObject {
  tableName: string;
  objectName: string;
  kind: DeferredKind;
  definition: string;
}

/**
 * The primary keys, unique constraints, indexes and foreign keys of `tables`, plus the
 * foreign keys of other tables that reference them. CHECK and NOT NULL constraints stay.
 */
export async function indexDefinitions(db: AnyDb, tables: readonly string[]): Promise<DeferredObject[]> {
  const { rows } = await sql<DeferredObject>`
    SELECT c.conrelid::regclass::text AS "tableName", c.conname AS "objectName",
           CASE c.contype WHEN 'f' THEN 'foreign_key' ELSE 'constraint' END AS kind,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS definition
    FROM pg_constraint c
    WHERE c.contype IN ('p', 'u', 'f') AND c.conparentid = 0
      AND (c.conrelid = ANY(${tables}::regclass[]) OR (c.contype = 'f' AND c.confrelid = ANY(${tables}::regclass[])))
    UNION ALL
    SELECT i.indrelid::regclass::text, ci.relname, 'index', pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class ci ON ci.oid = i.indexrelid
    WHERE i.indrelid = ANY(${tables}::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
    ORDER BY 1, 3, 2`.execute(db);
  return rows;
}

/** Saves and drops the indexes and constraints of `tables` (except those named in `keep`) in one transaction. */
export async function deferIndexes(
  db: AnyDb,
  tables: readonly string[],
  keep: readonly string[] = [],
): Promise<DeferredObject[]> {
  return db.transaction().execute(async (trx) => {
    const objects = (await indexDefinitions(trx, tables)).filter((o) => !keep.includes(o.objectName));
    const order: DeferredKind[] = ['foreign_key', 'constraint', 'index'];
    for (const kind of order) {
      for (const o of objects.filter((x) => x.kind === kind)) {
        await sql`INSERT INTO deferred_ddl (table_name, object_name, kind, definition)
                  VALUES (${o.tableName}, ${o.objectName}, ${o.kind}, ${o.definition})`.execute(trx);
        const drop =
          kind === 'index'
            ? sql`DROP INDEX ${sql.id(o.objectName)}`
            : sql`ALTER TABLE ${sql.raw(o.tableName)} DROP CONSTRAINT ${sql.id(o.objectName)}`;
        await drop.execute(trx);
      }
    }
    return objects;
  });
}

export interface RebuildStep {
  object: DeferredObject;
  ms: number;
}

/** Held by a bulk load for its whole run; a restore by anyone else waits for the next chance. */
export const BULK_LOAD_LOCK = 0x636f6c6c; // 'coll'

export interface RestoreOptions {
  /** The caller is the bulk load holding BULK_LOAD_LOCK on another connection. */
  lockHeld?: boolean;
  /** Tables rebuilt at the same time (each table's own objects are built one after another). */
  concurrency?: number;
  /** Session settings for the builds, e.g. `{ maintenance_work_mem: '1GB' }`. */
  settings?: Record<string, string>;
  onStep?: (step: RebuildStep) => void;
}

/**
 * Rebuilds everything in `deferred_ddl`: primary keys and unique constraints, then indexes,
 * table by table (`concurrency` tables at once), then foreign keys (validated). Each object
 * leaves `deferred_ddl` in the transaction that rebuilds it. A database without the table (an old schema) has nothing to restore.
 */
export async function restoreDeferredDdl(db: AnyDb, options: RestoreOptions = {}): Promise<RebuildStep[]> {
  const { rows: present } = await sql<{
    ok: boolean;
  }>`SELECT to_regclass('deferred_ddl') IS NOT NULL AS ok`.execute(db);
  if (!present[0]?.ok) return [];
  if (options.lockHeld) return rebuild(db, options);
  // A bulk load in progress owns its dropped indexes: leave them to it.
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      got: boolean;
    }>`SELECT pg_try_advisory_lock(${BULK_LOAD_LOCK}) AS got`.execute(conn);
    if (!rows[0]?.got) return [];
    try {
      return await rebuild(db, options);
    } finally {
      await sql`SELECT pg_advisory_unlock(${BULK_LOAD_LOCK})`.execute(conn);
    }
  });
}

async function rebuild(db: AnyDb, options: RestoreOptions): Promise<RebuildStep[]> {
  const { rows } = await sql<DeferredObject & { id: number }>`
    SELECT id, table_name AS "tableName", object_name AS "objectName", kind, definition
    FROM deferred_ddl ORDER BY id`.execute(db);
  if (rows.length === 0) return [];
  const steps: RebuildStep[] = [];
  const settings = Object.entries(options.settings ?? {});

  const build = async (items: (DeferredObject & { id: number })[]) =>
    db.connection().execute(async (conn) => {
      for (const [name, value] of settings)
        await sql`SELECT set_config(${name}, ${value}, false)`.execute(conn);
      for (const item of items) {
        const started = performance.now();
        await conn.transaction().execute(async (trx) => {
          await sql.raw(item.definition).execute(trx);
          await sql`DELETE FROM deferred_ddl WHERE id = ${item.id}`.execute(trx);
        });
        const step = { object: item, ms: performance.now() - started };
        steps.push(step);
        options.onStep?.(step);
      }
    });

  const byTable = new Map<string, (DeferredObject & { id: number })[]>();
  for (const row of rows.filter((r) => r.kind !== 'foreign_key')) {
    const list = byTable.get(row.tableName) ?? [];
    list.push(row);
    byTable.set(row.tableName, list);
  }
  for (const list of byTable.values()) list.sort((a, b) => rank(a.kind) - rank(b.kind) || a.id - b.id);
  // Largest tables first, so the last one to finish is a small one.
  const { rows: sizes } = await sql<{ name: string; bytes: number }>`
    SELECT t AS name, pg_relation_size(t::regclass) AS bytes FROM unnest(${[...byTable.keys()]}::text[]) AS t`.execute(
    db,
  );
  const sizeOf = new Map(sizes.map((s) => [s.name, s.bytes]));
  const queue = [...byTable.entries()]
    .sort(([a], [b]) => (sizeOf.get(b) ?? 0) - (sizeOf.get(a) ?? 0))
    .map(([, list]) => list);
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await build(next);
  });
  await Promise.all(workers);
  await build(rows.filter((r) => r.kind === 'foreign_key'));
  return steps;
}

function rank(kind: DeferredKind): number {
  return kind === 'constraint' ? 0 : kind === 'index' ? 1 : 2;
}
