import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig } from 'kafkajs';
import { type Config, kafkaBrokers } from './config';

// The one place that knows which Kafka client we use (kafkajs today; its maintained successor
// has a compatible API), so swapping it touches this file only.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const levels: Record<Config['LOG_LEVEL'], KafkaLogLevel> = {
  fatal: KafkaLogLevel.ERROR,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.WARN,
  debug: KafkaLogLevel.DEBUG,
  trace: KafkaLogLevel.DEBUG,
  silent: KafkaLogLevel.NOTHING,
};

export function createKafka(config: Config, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: kafkaBrokers(config),
    logLevel: levels[config.LOG_LEVEL],
    ...overrides,
  });
}

export type { Kafka };
