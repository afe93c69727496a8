import { Client } from 'pg';
import type { Config } from '../lib/config';

/** Statements that cannot run inside the target database (CREATE/DROP DATABASE), run from `postgres`. */
async function onServer(config: Config, statement: string): Promise<void> {
  const client = new Client({
    host: config.PG_HOST,
    port: config.PG_PORT,
    user: config.PG_USER,
    password: config.PG_PASSWORD || undefined,
    database: 'postgres',
  });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Drops `name` if it exists and creates it empty. */
export async function recreateDatabase(config: Config, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`not a database name: ${name}`);
  await onServer(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await onServer(config, `CREATE DATABASE "${name}"`);
}

export async function dropDatabase(config: Config, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`not a database name: ${name}`);
  await onServer(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
