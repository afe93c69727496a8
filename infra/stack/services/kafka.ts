import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../../../lib/config';
import { type Service, type ServiceContext, ensureDir, execFileAsync, livePid, pidFile, run, spawnDetached, terminate } from '../common';

export const KAFKA_VERSION = '4.3.1';
const LOG4J_VERSION = '2.25.2';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

const home = (ctx: ServiceContext) => path.join(ctx.paths.cacheDir, `kafka-${KAFKA_VERSION}`);
const dir = (ctx: ServiceContext) => path.join(ctx.paths.dataDir, 'kafka');
const logFile = (ctx: ServiceContext) => path.join(ctx.paths.logDir, 'kafka.log');
const pidPath = (ctx: ServiceContext) => pidFile(ctx, 'kafka');
const port = (ctx: ServiceContext) => Number(kafkaBrokers(ctx.config)[0]!.split(':')[1]);
const NEEDLE = 'kafka.Kafka';

const pom = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Throwaway pom: Maven Central serves Kafka as jars, so we assemble the broker's classpath from them. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.collections</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

const log4j = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn" shutdownHook="disable">
  <Appenders>
    <Console name="STDOUT"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console>
  </Appenders>
  <Loggers>
    <Logger name="kafka.server.KafkaRaftServer" level="info"/>
    <Logger name="kafka.server.BrokerServer" level="info"/>
    <Root level="warn"><AppenderRef ref="STDOUT"/></Root>
  </Loggers>
</Configuration>
`;

export const kafka: Service = {
  name: 'kafka',
  port,
  extraPorts: (ctx) => [ctx.config.KAFKA_CONTROLLER_PORT],
  logFile,
  installed: async (ctx) => fs.existsSync(path.join(home(ctx), 'lib', `kafka_2.13-${KAFKA_VERSION}.jar`)),
  install: async (ctx) => {
    ctx.note(`assembling Apache Kafka ${KAFKA_VERSION} from Maven Central`);
    ensureDir(home(ctx));
    fs.writeFileSync(path.join(home(ctx), 'pom.xml'), pom);
    await run(
      'kafka',
      'mvn',
      ['-B', '-q', `${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DoutputDirectory=lib', '-DincludeScope=runtime'],
      { cwd: home(ctx), logFile: path.join(ctx.paths.logDir, 'kafka-install.log'), hint: 'Maven must reach Maven Central; check the log, then run stack:up again' },
    );
  },
  version: async () => KAFKA_VERSION,
  pid: async (ctx) => livePid(pidPath(ctx), NEEDLE),
  start: async (ctx) => {
    const data = path.join(dir(ctx), 'data');
    ensureDir(data);
    const props = path.join(dir(ctx), 'server.properties');
    const p = port(ctx);
    const ctl = ctx.config.KAFKA_CONTROLLER_PORT;
    fs.writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${ctl}`,
        `listeners=PLAINTEXT://127.0.0.1:${p},CONTROLLER://127.0.0.1:${ctl}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${p}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${data}`,
        'num.partitions=6',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=6',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=true',
        '',
      ].join('\n'),
    );
    const log4jFile = path.join(dir(ctx), 'log4j2.xml');
    fs.writeFileSync(log4jFile, log4j);
    const classpath = path.join(home(ctx), 'lib', '*');
    const java = ['-Xms' + ctx.config.KAFKA_HEAP, '-Xmx' + ctx.config.KAFKA_HEAP, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', classpath];
    const idFile = path.join(dir(ctx), 'cluster.id');
    if (!fs.existsSync(path.join(data, 'meta.properties'))) {
      if (!fs.existsSync(idFile)) {
        const { stdout } = await execFileAsync('java', [...java, 'kafka.tools.StorageTool', 'random-uuid']);
        fs.writeFileSync(idFile, stdout.trim().split('\n').pop()!.trim());
      }
      const id = fs.readFileSync(idFile, 'utf8').trim();
      await run('kafka', 'java', [...java, 'kafka.tools.StorageTool', 'format', '-t', id, '-c', props, '--ignore-formatted'], {
        logFile: logFile(ctx),
        hint: `remove ${dir(ctx)} and run stack:up again`,
      });
    }
    spawnDetached('java', [...java, '-XX:+UseG1GC', NEEDLE, props], { logFile: logFile(ctx), pidFile: pidPath(ctx) });
  },
  ready: async (ctx) => {
    const client = new Kafka({
      clientId: 'stack-readiness',
      brokers: kafkaBrokers(ctx.config),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    });
    const admin = client.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
  stop: async (ctx) => {
    const pid = livePid(pidPath(ctx), NEEDLE);
    if (pid) await terminate(pid, NEEDLE);
  },
};
