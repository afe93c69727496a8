import { spawn, execFile, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../lib/config';

export const execFileAsync = promisify(execFile);

/** Where one service keeps its data, logs and pid file, all under STACK_DATA_DIR. */
export interface StackPaths {
  dataDir: string;
  cacheDir: string;
  runDir: string;
  logDir: string;
}

export function stackPaths(config: Config): StackPaths {
  const dataDir = path.resolve(config.STACK_DATA_DIR);
  const cacheDir = path.resolve(config.STACK_CACHE_DIR);
  return { dataDir, cacheDir, runDir: path.join(dataDir, 'run'), logDir: path.join(dataDir, 'logs') };
}

export interface ServiceContext {
  config: Config;
  paths: StackPaths;
  repoRoot: string;
  isRoot: boolean;
  /** Progress lines for long first-time installs. */
  note: (message: string) => void;
}

export interface Service {
  name: string;
  /** The port clients use; checked for conflicts before start. */
  port: (ctx: ServiceContext) => number;
  /** Extra ports the service binds (controller, transport, UI). */
  extraPorts?: (ctx: ServiceContext) => number[];
  logFile: (ctx: ServiceContext) => string;
  installed: (ctx: ServiceContext) => Promise<boolean>;
  install: (ctx: ServiceContext) => Promise<void>;
  version: (ctx: ServiceContext) => Promise<string>;
  /** Pid of the process this stack started, if it is alive. */
  pid: (ctx: ServiceContext) => Promise<number | undefined>;
  start: (ctx: ServiceContext) => Promise<void>;
  ready: (ctx: ServiceContext) => Promise<boolean>;
  stop: (ctx: ServiceContext) => Promise<void>;
  /** Shown by status, e.g. the UI address. */
  extra?: (ctx: ServiceContext) => string | undefined;
}

/** A failure the user can act on: names the service, its log and what to do. */
export class StackError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly hint?: string,
    readonly logFile?: string,
  ) {
    super(message);
    this.name = 'StackError';
  }

  describe(): string {
    const lines = [`${this.service}: ${this.message}`];
    if (this.logFile) lines.push(`  log: ${this.logFile}`);
    if (this.hint) lines.push(`  what to do: ${this.hint}`);
    return lines.join('\n');
  }
}

export function ensureDir(dir: string, mode = 0o755): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

export function pidFile(ctx: ServiceContext, service: string): string {
  return path.join(ctx.paths.runDir, `${service}.pid`);
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim().split('\n')[0] ?? '', 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and still the program we started (guards against a recycled pid). */
export function processMatches(pid: number, needle: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && cmdline.includes(needle);
  } catch {
    return false;
  }
}

export function livePid(file: string, needle: string): number | undefined {
  const pid = readPid(file);
  return pid !== undefined && processMatches(pid, needle) ? pid : undefined;
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Start a long-running process detached from us, output appended to its log, pid recorded. */
export function spawnDetached(
  command: string,
  args: string[],
  opts: { logFile: string; pidFile?: string; cwd?: string; env?: NodeJS.ProcessEnv },
): number {
  ensureDir(path.dirname(opts.logFile));
  const out = fs.openSync(opts.logFile, 'a');
  const spawnOpts: SpawnOptions = {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  };
  const child = spawn(command, args, spawnOpts);
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  if (opts.pidFile) fs.writeFileSync(opts.pidFile, `${child.pid}\n`);
  return child.pid;
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  alive?: () => boolean,
): Promise<'ready' | 'timeout' | 'died'> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return 'ready';
    if (alive && !alive()) return 'died';
    await sleep(delay);
    delay = Math.min(delay * 1.5, 1000);
  }
  return 'timeout';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM, wait, then SIGKILL the process we started. */
export async function terminate(pid: number, needle: string, graceMs = 15_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = await waitFor(async () => !processMatches(pid, needle), graceMs);
  if (gone !== 'ready') {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export function tail(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log yet)';
  }
}

/** Run a command to completion, keeping its output in a log; throws with the log's tail on failure. */
export async function run(
  service: string,
  command: string,
  args: string[],
  opts: { logFile: string; cwd?: string; env?: NodeJS.ProcessEnv; hint?: string },
): Promise<void> {
  ensureDir(path.dirname(opts.logFile));
  const out = fs.openSync(opts.logFile, 'a');
  fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).catch((err: Error) => {
    fs.closeSync(out);
    throw new StackError(service, `could not run ${command}: ${err.message}`, opts.hint, opts.logFile);
  });
  fs.closeSync(out);
  if (code !== 0) {
    throw new StackError(
      service,
      `${path.basename(command)} ${args.slice(0, 3).join(' ')} failed (exit ${code})`,
      opts.hint,
      opts.logFile,
    );
  }
}

/** Run as an unprivileged system user when we are root (PostgreSQL and Elasticsearch refuse root). */
export function asUser(ctx: ServiceContext, user: string, command: string, args: string[]): [string, string[]] {
  if (!ctx.isRoot) return [command, args];
  return ['setpriv', [`--reuid=${user}`, `--regid=${user}`, '--clear-groups', '--', command, ...args]];
}

export async function ensureSystemUser(user: string, home: string): Promise<void> {
  try {
    await execFileAsync('id', ['-u', user]);
  } catch {
    await execFileAsync('useradd', ['--system', '--home-dir', home, '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  }
}

export async function chownRecursive(user: string, ...dirs: string[]): Promise<void> {
  await execFileAsync('chown', ['-R', `${user}:${user}`, ...dirs]);
}
