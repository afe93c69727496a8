import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { type Service, type ServiceContext, StackError, ensureDir, execFileAsync, livePid, pidFile, run, terminate } from '../common';

const dir = (ctx: ServiceContext) => path.join(ctx.paths.dataDir, 'redis');
const logFile = (ctx: ServiceContext) => path.join(ctx.paths.logDir, 'redis.log');
const pidPath = (ctx: ServiceContext) => pidFile(ctx, 'redis');

export const redis: Service = {
  name: 'redis',
  port: (ctx) => ctx.config.REDIS_PORT,
  logFile,
  installed: async () => fs.existsSync('/usr/bin/redis-server'),
  install: async (ctx) => {
    if (!ctx.isRoot) throw new StackError('redis', 'redis-server is not installed', 'sudo apt-get install -y redis-server');
    ctx.note('installing Redis from Debian packages');
    const log = path.join(ctx.paths.logDir, 'apt.log');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('redis', 'apt-get', ['update', '-q'], { logFile: log, env });
    await run('redis', 'apt-get', ['install', '-y', '-q', 'redis-server'], { logFile: log, env, hint: 'check the apt log' });
  },
  version: async () => {
    const { stdout } = await execFileAsync('/usr/bin/redis-server', ['--version']);
    return /v=([\d.]+)/.exec(stdout)?.[1] ?? stdout.trim();
  },
  pid: async (ctx) => livePid(pidPath(ctx), 'redis-server'),
  start: async (ctx) => {
    ensureDir(dir(ctx));
    ensureDir(ctx.paths.logDir);
    const conf = path.join(dir(ctx), 'redis.conf');
    fs.writeFileSync(
      conf,
      [
        `bind 127.0.0.1`,
        `protected-mode yes`,
        `port ${ctx.config.REDIS_PORT}`,
        `daemonize yes`,
        `pidfile ${pidPath(ctx)}`,
        `dir ${dir(ctx)}`,
        `logfile ${logFile(ctx)}`,
        `appendonly yes`,
        `save 60 1000`,
        '',
      ].join('\n'),
    );
    await run('redis', '/usr/bin/redis-server', [conf], { logFile: logFile(ctx) });
  },
  ready: async (ctx) => {
    const client = new Redis({ host: ctx.config.REDIS_HOST, port: ctx.config.REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  },
  stop: async (ctx) => {
    const pid = livePid(pidPath(ctx), 'redis-server');
    if (pid) await terminate(pid, 'redis-server');
  },
};
