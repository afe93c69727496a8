import fs from 'node:fs';
import path from 'node:path';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
} from 'kysely';
import { restoreDeferredDdl } from './deferred-ddl';
import { ensurePartitions } from './partitions';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Loads `db/migrations/<timestamp>-<name>.ts` in name order (tsx and Jest both load TypeScript). */
class DirectoryMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    const files = fs
      .readdirSync(this.dir)
      .filter((f) => /^\d{14}-[a-z0-9-]+\.ts$/.test(f))
      .sort();
    for (const file of files) {
      const mod = (await import(path.join(this.dir, file))) as Migration;
      migrations[file.replace(/\.ts$/, '')] = { up: mod.up, down: mod.down };
    }
    return migrations;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works below the typed schema
function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new DirectoryMigrationProvider(MIGRATIONS_DIR) });
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'MigrationError';
  }
}

function check(result: MigrationResultSet): string[] {
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error) throw new MigrationError(failed?.migrationName, result.error);
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'up' : 'down'} ${r.migrationName}`);
}

export interface MigrateOptions {
  /** Monthly partitions to prepare ahead of this month. */
  partitionMonthsAhead: number;
}

/**
 * Brings the schema to the newest migration, rebuilds anything a crashed bulk load left
 * dropped, and prepares the coming months' partitions. Safe to run concurrently: kysely
 * serialises migrators with a lock table.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions): Promise<string[]> {
  await restoreDeferredDdl(db);
  const applied = check(await migrator(db).migrateToLatest());
  await ensurePartitions(db, options.partitionMonthsAhead);
  return applied;
}

/** Undoes the newest migration (or all of them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateDown(db: Kysely<any>, all = false): Promise<string[]> {
  const m = migrator(db);
  return check(all ? await m.migrateTo(NO_MIGRATIONS) : await m.migrateDown());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
