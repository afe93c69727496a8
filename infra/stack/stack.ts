import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../lib/config';
import { type Service, type ServiceContext, StackError, ensureDir, execFileAsync, portOpen, stackPaths, waitFor } from './common';
import { elasticsearch } from './services/elasticsearch';
import { kafka } from './services/kafka';
import { postgres } from './services/postgres';
import { redis } from './services/redis';
import { temporal, temporalTest } from './services/temporal';

export const SERVICES: Service[] = [postgres, redis, kafka, elasticsearch, temporal, temporalTest];

export function serviceContext(config: Config, note: (message: string) => void = () => undefined): ServiceContext {
  return {
    config,
    paths: stackPaths(config),
    repoRoot: path.resolve(__dirname, '..', '..'),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    note,
  };
}

export interface ServiceReport {
  service: string;
  state: 'started' | 'already running' | 'running' | 'stopped' | 'not installed' | 'failed';
  version?: string;
  port: number;
  seconds?: number;
  extra?: string;
  pid?: number;
}

/** Who holds a port, for the error message (best effort: `ss` may not name other users' processes). */
async function portHolder(port: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('ss', ['-ltnpH', `sport = :${port}`]);
    const proc = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
    return proc ? `${proc[1]} (pid ${proc[2]})` : 'another process';
  } catch {
    return 'another process';
  }
}

function portVariable(service: string): string {
  return (
    {
      postgres: 'PG_PORT',
      redis: 'REDIS_PORT',
      kafka: 'KAFKA_BROKERS / KAFKA_CONTROLLER_PORT',
      elasticsearch: 'ES_URL / ES_TRANSPORT_PORT',
      temporal: 'TEMPORAL_ADDRESS / TEMPORAL_UI_PORT',
      'temporal-test': 'TEMPORAL_TEST_SERVER_PORT',
    }[service] ?? 'the port variable'
  );
}

async function upOne(ctx: ServiceContext, service: Service): Promise<ServiceReport> {
  const started = Date.now();
  const port = service.port(ctx);
  const timeoutMs = ctx.config.STACK_START_TIMEOUT_SECONDS * 1000;
  const log = service.logFile(ctx);
  const report = async (state: ServiceReport['state']): Promise<ServiceReport> => ({
    service: service.name,
    state,
    version: await service.version(ctx).catch(() => undefined),
    port,
    seconds: (Date.now() - started) / 1000,
    extra: service.extra?.(ctx),
    pid: await service.pid(ctx),
  });

  if ((await service.pid(ctx)) !== undefined) {
    // Ours, and alive: maybe still starting (a concurrent stack:up); wait for it rather than start twice.
    const outcome = await waitFor(() => service.ready(ctx), timeoutMs);
    if (outcome === 'ready') return report('already running');
    throw new StackError(service.name, `is running (pid ${await service.pid(ctx)}) but not ready after ${timeoutMs / 1000}s`, 'run `npm run stack:down` then `npm run stack:up`', log);
  }
  if (!(await service.installed(ctx))) await service.install(ctx);
  for (const p of [port, ...(service.extraPorts?.(ctx) ?? [])]) {
    if (await portOpen(p)) {
      throw new StackError(
        service.name,
        `port ${p} on 127.0.0.1 is taken by ${await portHolder(p)}, not by this stack`,
        `stop that process, or choose another port with ${portVariable(service.name)} in .env`,
      );
    }
  }
  await service.start(ctx);
  const outcome = await waitFor(() => service.ready(ctx), timeoutMs);
  if (outcome !== 'ready') {
    throw new StackError(service.name, `did not become ready within ${timeoutMs / 1000}s`, `read the log; raise STACK_START_TIMEOUT_SECONDS on a slow machine`, log);
  }
  return report('started');
}

export interface UpResult {
  reports: ServiceReport[];
  errors: StackError[];
}

/** Start every service in parallel (or the named ones), each waiting for readiness. */
export async function up(
  ctx: ServiceContext,
  names?: string[],
  onReport: (r: ServiceReport) => void = () => undefined,
): Promise<UpResult> {
  ensureDir(ctx.paths.dataDir);
  ensureDir(ctx.paths.runDir);
  ensureDir(ctx.paths.logDir);
  ensureDir(ctx.paths.cacheDir);
  const selected = names?.length ? SERVICES.filter((s) => names.includes(s.name)) : SERVICES;
  const results = await Promise.allSettled(
    selected.map(async (s) => {
      const r = await upOne(ctx, s);
      onReport(r);
      return r;
    }),
  );
  const reports: ServiceReport[] = [];
  const errors: StackError[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') reports.push(r.value);
    else {
      const err = r.reason instanceof StackError ? r.reason : new StackError(selected[i]!.name, String(r.reason?.message ?? r.reason), undefined, selected[i]!.logFile(ctx));
      errors.push(err);
    }
  });
  return { reports, errors };
}

export async function down(ctx: ServiceContext): Promise<string[]> {
  const stopped: string[] = [];
  await Promise.all(
    SERVICES.map(async (s) => {
      if ((await s.pid(ctx)) !== undefined) {
        await s.stop(ctx);
        stopped.push(s.name);
      }
    }),
  );
  return stopped;
}

export async function status(ctx: ServiceContext): Promise<ServiceReport[]> {
  return Promise.all(
    SERVICES.map(async (s): Promise<ServiceReport> => {
      const installed = await s.installed(ctx).catch(() => false);
      const pid = await s.pid(ctx);
      const ready = pid !== undefined && (await s.ready(ctx).catch(() => false));
      return {
        service: s.name,
        state: !installed && pid === undefined ? 'not installed' : ready ? 'running' : pid !== undefined ? 'failed' : 'stopped',
        version: installed ? await s.version(ctx).catch(() => undefined) : undefined,
        port: s.port(ctx),
        extra: s.extra?.(ctx),
        pid,
      };
    }),
  );
}

export function reset(ctx: ServiceContext): void {
  fs.rmSync(ctx.paths.dataDir, { recursive: true, force: true });
}
