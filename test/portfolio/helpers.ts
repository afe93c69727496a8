import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import type { Config } from '../../lib/config';
import { createDb } from '../../lib/db';
import { migrateToLatest } from '../../db/migrator';
import type { Database } from '../../db/schema';
import { testConfig } from '../helpers/config';

export const REPO_ROOT = path.join(__dirname, '..', '..');

/** The shared test database, migrated to the newest schema. */
export async function migratedTestDb(): Promise<{ config: Config; db: Kysely<Database> }> {
  const config = testConfig();
  const db = createDb<Database>(config);
  await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD });
  return { config, db };
}

/** A database of its own for tests that need an empty or disposable schema; `drop` removes it. */
export async function scratchDatabase(label: string): Promise<{ config: Config; drop: () => Promise<void> }> {
  const base = testConfig();
  const name = `${base.PG_DATABASE}_${label}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new Client({
      host: base.PG_HOST,
      port: base.PG_PORT,
      user: base.PG_USER,
      password: base.PG_PASSWORD || undefined,
      database: 'postgres',
    });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  return {
    config: testConfig({ PG_DATABASE: name }),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A prefix that makes this run's keys unique in the shared test database. */
export function uniquePrefix(): string {
  return `T${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`.toUpperCase();
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
}

export function writeFile(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point as `npm run` would, against the given database. */
export function runCli(
  entry: string,
  args: string[],
  config: Config,
  env: Record<string, string> = {},
): Promise<CliRun> & { pid: () => number | undefined; kill: (signal: NodeJS.Signals) => void } {
  // tsx runs the script in a child process: give it a process group so a kill reaches both.
  const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PG_DATABASE: config.PG_DATABASE, LOG_LEVEL: 'warn', ...env },
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
  };
  return Object.assign(done, { pid: () => child.pid, kill });
}
