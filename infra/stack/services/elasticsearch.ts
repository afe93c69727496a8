import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Service,
  type ServiceContext,
  StackError,
  asUser,
  chownRecursive,
  ensureDir,
  ensureSystemUser,
  livePid,
  run,
  spawnDetached,
  terminate,
} from '../common';

export const ES_VERSION = '8.19.21';
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
const PLUGIN = 'collections-analysis';
/** Elasticsearch refuses to run as root; when we are root it runs as this system user. */
export const ES_USER = 'collections-es';
const NEEDLE = 'org.elasticsearch.bootstrap.Elasticsearch';
const JAVA_HOME_CANDIDATES = ['/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/java-17-openjdk-arm64'];

const home = (ctx: ServiceContext) => path.join(ctx.paths.cacheDir, `elasticsearch-${ES_VERSION}`);
const dir = (ctx: ServiceContext) => path.join(ctx.paths.dataDir, 'elasticsearch');
const logFile = (ctx: ServiceContext) => path.join(ctx.paths.logDir, 'elasticsearch.log');
const pidPath = (ctx: ServiceContext) => path.join(dir(ctx), 'elasticsearch.pid');
const pluginDir = (ctx: ServiceContext) => path.join(ctx.repoRoot, 'infra', 'elasticsearch', 'plugin');
const pluginZip = (ctx: ServiceContext) => path.join(pluginDir(ctx), 'target', `${PLUGIN}-${ES_VERSION}.zip`);
const pluginMarker = (ctx: ServiceContext) => path.join(home(ctx), `.${PLUGIN}.sha256`);
const url = (ctx: ServiceContext) => new URL(ctx.config.ES_URL);

function javaHome(): string {
  const found = JAVA_HOME_CANDIDATES.find((candidate) => fs.existsSync(path.join(candidate, 'bin', 'java')));
  if (!found) throw new StackError('elasticsearch', 'Java 17 was not found', 'apt-get install -y openjdk-17-jre-headless');
  return found;
}

/** Hash of the plugin's sources: a changed plugin is rebuilt and reinstalled, an unchanged one is reused. */
function pluginSourceHash(ctx: ServiceContext): string {
  const hash = crypto.createHash('sha256');
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) if (entry !== 'target') walk(path.join(p, entry));
    } else {
      hash.update(path.relative(pluginDir(ctx), p));
      hash.update(fs.readFileSync(p));
    }
  };
  walk(pluginDir(ctx));
  return hash.digest('hex');
}

function localRepository(): string {
  return path.join(os.homedir(), '.m2', 'repository');
}

export const elasticsearch: Service = {
  name: 'elasticsearch',
  port: (ctx) => Number(url(ctx).port),
  extraPorts: (ctx) => [ctx.config.ES_TRANSPORT_PORT],
  logFile,
  installed: async (ctx) => {
    if (!fs.existsSync(path.join(home(ctx), 'bin', 'elasticsearch'))) return false;
    try {
      return fs.readFileSync(pluginMarker(ctx), 'utf8').trim() === pluginSourceHash(ctx);
    } catch {
      return false;
    }
  },
  install: async (ctx) => {
    const installLog = path.join(ctx.paths.logDir, 'elasticsearch-install.log');
    if (!fs.existsSync(path.join(home(ctx), 'bin', 'elasticsearch'))) {
      const zip = path.join(localRepository(), 'org/elasticsearch/distribution/integ-test-zip/elasticsearch', ES_VERSION, `elasticsearch-${ES_VERSION}.zip`);
      if (!fs.existsSync(zip)) {
        ctx.note(`downloading Elasticsearch ${ES_VERSION} from Maven Central (107 MB)`);
        await run('elasticsearch', 'mvn', ['-B', '-q', 'dependency:get', `-Dartifact=${ARTIFACT}`, '-Dtransitive=false'], {
          logFile: installLog,
          hint: 'Maven must reach Maven Central; check the log, then run stack:up again',
        });
      }
      ensureDir(ctx.paths.cacheDir);
      const staging = fs.mkdtempSync(path.join(ctx.paths.cacheDir, '.es-unpack-'));
      await run('elasticsearch', 'unzip', ['-q', zip, '-d', staging], { logFile: installLog });
      fs.renameSync(path.join(staging, `elasticsearch-${ES_VERSION}`), home(ctx));
      fs.rmSync(staging, { recursive: true, force: true });
    }
    const sourceHash = pluginSourceHash(ctx);
    ctx.note(`building the ${PLUGIN} plugin with Maven`);
    await run('elasticsearch', 'mvn', ['-B', '-q', 'package'], {
      cwd: pluginDir(ctx),
      logFile: installLog,
      hint: 'the analysis plugin did not build; read the Maven output in the log',
    });
    if (!fs.existsSync(pluginZip(ctx))) throw new StackError('elasticsearch', `the plugin build made no ${pluginZip(ctx)}`, undefined, installLog);
    const pluginCli = path.join(home(ctx), 'bin', 'elasticsearch-plugin');
    const env = { ...process.env, ES_JAVA_HOME: javaHome(), ES_PATH_CONF: path.join(home(ctx), 'config') };
    if (fs.existsSync(path.join(home(ctx), 'plugins', PLUGIN))) {
      await run('elasticsearch', pluginCli, ['remove', PLUGIN], { logFile: installLog, env });
    }
    await run('elasticsearch', pluginCli, ['install', '--batch', `file://${pluginZip(ctx)}`], {
      logFile: installLog,
      env,
      hint: 'the plugin zip did not install; read the log',
    });
    fs.writeFileSync(pluginMarker(ctx), sourceHash);
  },
  version: async () => ES_VERSION,
  pid: async (ctx) => livePid(pidPath(ctx), NEEDLE),
  start: async (ctx) => {
    const base = dir(ctx);
    const conf = path.join(base, 'config');
    const data = path.join(base, 'data');
    const logs = path.join(ctx.paths.logDir, 'elasticsearch');
    const tmp = path.join(base, 'tmp');
    for (const d of [conf, data, logs, tmp]) ensureDir(d);
    for (const file of ['jvm.options', 'log4j2.properties']) {
      if (!fs.existsSync(path.join(conf, file))) fs.copyFileSync(path.join(home(ctx), 'config', file), path.join(conf, file));
    }
    ensureDir(path.join(conf, 'jvm.options.d'));
    fs.writeFileSync(
      path.join(conf, 'elasticsearch.yml'),
      [
        'cluster.name: collections-local',
        'node.name: local-1',
        `path.data: ${data}`,
        `path.logs: ${logs}`,
        'network.host: 127.0.0.1',
        `http.port: ${url(ctx).port}`,
        `transport.port: ${ctx.config.ES_TRANSPORT_PORT}`,
        'discovery.type: single-node',
        'xpack.security.enabled: false',
        'xpack.ml.enabled: false',
        'cluster.routing.allocation.disk.threshold_enabled: false',
        'action.destructive_requires_name: false',
        '',
      ].join('\n'),
    );
    if (ctx.isRoot) {
      await ensureSystemUser(ES_USER, base);
      await chownRecursive(ES_USER, base, logs);
    }
    fs.rmSync(pidPath(ctx), { force: true });
    const env = {
      ...process.env,
      ES_JAVA_HOME: javaHome(),
      ES_PATH_CONF: conf,
      ES_TMPDIR: tmp,
      ES_JAVA_OPTS: `-Xms${ctx.config.ES_HEAP} -Xmx${ctx.config.ES_HEAP} -XX:-AlwaysPreTouch`,
    };
    const [cmd, args] = asUser(ctx, ES_USER, path.join(home(ctx), 'bin', 'elasticsearch'), ['-d', '-p', pidPath(ctx)]);
    spawnDetached(cmd, args, { logFile: logFile(ctx), env });
  },
  ready: async (ctx) => {
    const response = await fetch(new URL('/_cluster/health', ctx.config.ES_URL), { signal: AbortSignal.timeout(1000) });
    if (!response.ok) return false;
    const health = (await response.json()) as { status?: string };
    return health.status === 'green' || health.status === 'yellow';
  },
  stop: async (ctx) => {
    const pid = livePid(pidPath(ctx), NEEDLE);
    if (pid) await terminate(pid, NEEDLE, 30_000);
  },
};
