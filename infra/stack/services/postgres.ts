import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  type Service,
  type ServiceContext,
  StackError,
  asUser,
  chownRecursive,
  ensureDir,
  execFileAsync,
  run,
} from '../common';

const PG_MAJOR = '15';
const BIN = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
const USER = 'postgres';

const dataDir = (ctx: ServiceContext) => path.join(ctx.paths.dataDir, 'postgres');
const logFile = (ctx: ServiceContext) => path.join(ctx.paths.logDir, 'postgres.log');

async function pgCtl(ctx: ServiceContext, args: string[]): Promise<{ stdout: string; code: number }> {
  const [cmd, argv] = asUser(ctx, USER, `${BIN}/pg_ctl`, ['-D', dataDir(ctx), ...args]);
  try {
    const { stdout } = await execFileAsync(cmd, argv);
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    return { stdout: e.stdout ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

export const postgres: Service = {
  name: 'postgres',
  port: (ctx) => ctx.config.PG_PORT,
  logFile,
  installed: async () => fs.existsSync(`${BIN}/initdb`) && fs.existsSync(`/usr/share/postgresql/${PG_MAJOR}/extension/pg_trgm.control`),
  install: async (ctx) => {
    if (!ctx.isRoot) {
      throw new StackError('postgres', `PostgreSQL ${PG_MAJOR} is not installed`, `run as root, or: sudo apt-get install -y postgresql-${PG_MAJOR} postgresql-contrib`);
    }
    ctx.note('installing PostgreSQL 15 from Debian packages');
    const log = path.join(ctx.paths.logDir, 'apt.log');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const hint = 'check the apt log; `apt-get update` must reach the Debian mirror';
    await run('postgres', 'apt-get', ['update', '-q'], { logFile: log, env, hint });
    await run('postgres', 'apt-get', ['install', '-y', '-q', `postgresql-${PG_MAJOR}`, 'postgresql-contrib'], { logFile: log, env, hint });
  },
  version: async () => {
    const { stdout } = await execFileAsync(`${BIN}/postgres`, ['--version']);
    return stdout.trim().replace(/^postgres \(PostgreSQL\) /, '');
  },
  pid: async (ctx) => {
    try {
      const pid = Number.parseInt(fs.readFileSync(path.join(dataDir(ctx), 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  },
  start: async (ctx) => {
    const dir = dataDir(ctx);
    const sockets = path.join(ctx.paths.runDir, 'postgres');
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      ensureDir(dir, 0o700);
      ensureDir(sockets);
      if (ctx.isRoot) await chownRecursive(USER, dir, sockets);
      const [cmd, argv] = asUser(ctx, USER, `${BIN}/initdb`, ['-D', dir, '-U', ctx.config.PG_USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
      await run('postgres', cmd, argv, { logFile: logFile(ctx), hint: `remove ${dir} and run stack:up again` });
    }
    ensureDir(sockets);
    if (ctx.isRoot) await chownRecursive(USER, sockets);
    // Rewritten at every start so a changed port or memory setting takes effect.
    fs.writeFileSync(
      path.join(dir, 'postgresql.auto.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${ctx.config.PG_PORT}`,
        `unix_socket_directories = '${sockets}'`,
        `shared_buffers = '${ctx.config.PG_SHARED_BUFFERS}'`,
        `max_connections = 200`,
        `max_wal_size = '4GB'`,
        `maintenance_work_mem = '512MB'`,
        `shared_preload_libraries = 'pg_stat_statements'`,
        `log_min_messages = warning`,
        '',
      ].join('\n'),
    );
    if (ctx.isRoot) await chownRecursive(USER, dir);
    ensureDir(ctx.paths.logDir);
    if (ctx.isRoot) {
      fs.closeSync(fs.openSync(logFile(ctx), 'a'));
      await execFileAsync('chown', [`${USER}:${USER}`, logFile(ctx)]);
    }
    const [cmd, argv] = asUser(ctx, USER, `${BIN}/pg_ctl`, ['-D', dir, '-l', logFile(ctx), '-W', 'start']);
    await run('postgres', cmd, argv, { logFile: path.join(ctx.paths.logDir, 'postgres-ctl.log'), hint: 'read the log' });
  },
  ready: async (ctx) => {
    const client = new Client({
      host: ctx.config.PG_HOST,
      port: ctx.config.PG_PORT,
      user: ctx.config.PG_USER,
      password: ctx.config.PG_PASSWORD || undefined,
      database: 'postgres',
      connectionTimeoutMillis: 1000,
    });
    try {
      await client.connect();
      for (const db of [ctx.config.PG_DATABASE, `${ctx.config.PG_DATABASE}_test`]) {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${db}"`);
      }
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  stop: async (ctx) => {
    await pgCtl(ctx, ['-m', 'fast', '-w', 'stop']);
  },
};
