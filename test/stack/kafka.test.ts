import { randomUUID } from 'node:crypto';
import { createKafka } from '../../lib/kafka';
import { testConfig } from '../helpers/config';

describe('Kafka', () => {
  it('produces idempotently and consumes through a consumer group on the broker we run', async () => {
    const kafka = createKafka(testConfig({ LOG_LEVEL: 'silent' }));
    const topic = `test.probe.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `case-${i % 5}`, value: JSON.stringify({ seq: i }) }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const groupId = `test-group-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; seq: number; partition: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of 30 messages arrived`)), 30_000);
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({ key: message.key!.toString(), seq: JSON.parse(message.value!.toString()).seq, partition });
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    expect(received.map((r) => r.seq).sort((a, b) => a - b)).toEqual(sent.map((_, i) => i));
    // One key, one partition: per-case ordering holds.
    for (const key of new Set(received.map((r) => r.key))) {
      const ofKey = received.filter((r) => r.key === key);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      expect(ofKey.map((r) => r.seq)).toEqual([...ofKey.map((r) => r.seq)].sort((a, b) => a - b));
    }

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(30);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
