import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { issueToken } from '../api/auth';
import { type Config, loadConfigOrExit } from '../lib/config';
import { ensureDir, processMatches, waitFor } from './stack/common';
import { serviceContext, up } from './stack/stack';

/**
 * `npm start`: the whole system in the foreground: the local stack, migrations, a small demo
 * portfolio, the worker(s) and the API, then the URLs. Ctrl-C stops the worker(s) and the
 * API; the stack keeps running for the next start (`npm run stack:down` stops it).
 */

const repoRoot = path.resolve(__dirname, '..');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const NEEDLE = 'infra/start.ts';

interface LockInfo {
  pid: number;
  startedAt: string;
  urls: Record<string, string>;
}

function urls(config: Config): Record<string, string> {
  const api = `http://${config.API_HOST}:${config.API_PORT}`;
  return {
    'API': api,
    'API docs': `${api}/docs`,
    'API health': `${api}/health`,
    'Temporal UI': `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    'Elasticsearch': config.ES_URL,
    'PostgreSQL': `postgres://${config.PG_USER}@${config.PG_HOST}:${config.PG_PORT}/${config.PG_DATABASE}`,
  };
}

function printUrls(u: Record<string, string>): void {
  const width = Math.max(...Object.keys(u).map((k) => k.length));
  for (const [name, url] of Object.entries(u)) console.log(`  ${name.padEnd(width)}  ${url}`);
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Take the single-instance lock, or explain who holds it. */
function takeLock(file: string, info: LockInfo): LockInfo | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(file);
      if (holder && processMatches(holder.pid, NEEDLE)) return holder;
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function run(label: string, args: string[], config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code})`))));
    child.once('error', reject);
    void config;
  });
}

async function demoDataNeeded(config: Config): Promise<boolean> {
  const { Client } = await import('pg');
  const client = new Client({ host: config.PG_HOST, port: config.PG_PORT, user: config.PG_USER, password: config.PG_PASSWORD || undefined, database: config.PG_DATABASE });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public.customers') IS NOT NULL AS exists`);
    if (!rows[0]?.exists) return false;
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM (SELECT 1 FROM customers LIMIT 1) c');
    return count.rows[0]?.n === '0';
  } finally {
    await client.end();
  }
}

async function start(): Promise<number> {
  const config = loadConfigOrExit();
  const ctx = serviceContext(config, (m) => console.log(`  ... ${m}`));
  ensureDir(ctx.paths.runDir);
  const lockFile = path.join(ctx.paths.runDir, 'app.json');
  const holder = takeLock(lockFile, { pid: process.pid, startedAt: new Date().toISOString(), urls: urls(config) });
  if (holder) {
    console.log(`The system is already running (npm start, pid ${holder.pid}, since ${holder.startedAt}):`);
    printUrls(holder.urls);
    console.log('Use it as it is, or stop it first with Ctrl-C in its terminal or `npm run stop`.');
    return 0;
  }
  const children: { name: string; child: ChildProcess; log: string }[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the worker(s) and the API ...');
    for (const { child } of children) child.kill('SIGTERM');
    await Promise.all(children.map(({ child }) => (child.exitCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
    fs.rmSync(lockFile, { force: true });
    console.log('Stopped. The local stack is still running: `npm run stack:down` stops it.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    console.log('1/4 Local stack');
    const { errors } = await up(ctx, undefined, (r) => console.log(`  ${r.state === 'started' ? 'started' : 'running'}  ${r.service} ${r.version ?? ''} on 127.0.0.1:${r.port}`));
    if (errors.length) {
      for (const e of errors) console.error(e.describe());
      fs.rmSync(lockFile, { force: true });
      return 1;
    }

    console.log('2/4 Database migrations and the strategy library');
    await run('migrations', ['db/migrate.ts', 'latest'], config);
    await run('strategy library', ['db/publish-library.ts'], config);

    console.log('3/4 Demo portfolio');
    if (!config.DEMO_DATA) console.log('  skipped (DEMO_DATA=false)');
    else if (!(await demoDataNeeded(config))) console.log('  the database already holds a portfolio; left as it is');
    else await run('demo portfolio', ['db/generator/cli.ts', '--customers', '2000', '--loans', '4000', '--seed', '1'], config);

    console.log('4/4 Worker(s) and API');
    const secretFile = path.join(ctx.paths.runDir, 'api-jwt-secret');
    if (!config.API_JWT_SECRET && !fs.existsSync(secretFile)) {
      fs.writeFileSync(secretFile, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
    }
    const secret = config.API_JWT_SECRET ?? fs.readFileSync(secretFile, 'utf8').trim();
    const childEnv = { ...process.env, API_JWT_SECRET: secret };
    const processes = [
      { name: 'case worker', entry: 'workers/case-worker.ts', log: 'case-worker.log' },
      { name: 'API', entry: 'api/server.ts', log: 'api.log' },
    ];
    for (const p of processes) {
      const log = path.join(ctx.paths.logDir, p.log);
      const out = fs.openSync(log, 'a');
      const child = spawn(tsx, [p.entry], { cwd: repoRoot, stdio: ['ignore', out, out], env: childEnv });
      fs.closeSync(out);
      children.push({ name: p.name, child, log });
      child.once('exit', (code) => {
        if (!stopping) {
          console.error(`${p.name} stopped unexpectedly (exit ${code}); its log: ${log}`);
          void stopAll(1);
        }
      });
      console.log(`  started ${p.name} (pid ${child.pid}); log: ${log}`);
    }
    const healthy = await waitFor(async () => (await fetch(`http://${config.API_HOST}:${config.API_PORT}/health`, { signal: AbortSignal.timeout(2000) })).ok, 60_000);
    if (healthy !== 'ready') console.error(`The API does not report healthy yet; see ${path.join(ctx.paths.logDir, 'api.log')}`);

    console.log('\nThe collections orchestrator is running:');
    printUrls(urls(config));
    const token = await issueToken({ secret, issuer: config.API_JWT_ISSUER }, { id: 'demo-supervisor', role: 'supervisor' });
    console.log(`\nA demo supervisor token (8 hours), for the API docs' Authorize button or curl:\n  ${token}`);
    console.log(`\nLogs: ${ctx.paths.logDir}   Stop: Ctrl-C (or \`npm run stop\`)`);
    return -1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stopAll(1);
    return 1;
  }
}

async function stop(): Promise<number> {
  const config = loadConfigOrExit();
  const lockFile = path.join(serviceContext(config).paths.runDir, 'app.json');
  const holder = readLock(lockFile);
  if (!holder || !processMatches(holder.pid, NEEDLE)) {
    console.log('The system is not running (no npm start in progress).');
    return 0;
  }
  process.kill(holder.pid, 'SIGTERM');
  await waitFor(async () => !processMatches(holder.pid, NEEDLE), 30_000);
  console.log(`Stopped npm start (pid ${holder.pid}). The local stack is still running: \`npm run stack:down\` stops it.`);
  return 0;
}

(process.argv[2] === 'stop' ? stop() : start()).then((code) => {
  if (code >= 0) process.exit(code);
});
