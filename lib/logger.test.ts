import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('the logger', () => {
  it('names the service and censors personal data, top-level and nested', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ LOG_LEVEL: 'info' }, 'case-worker', stream);
    logger.info({ caseId: 7, phone: '+12125550100', customer: { name: 'Ada Lovelace', email: 'ada@example.com' } }, 'case started');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'case-worker',
      caseId: 7,
      phone: '[redacted]',
      customer: { name: '[redacted]', email: '[redacted]' },
      msg: 'case started',
    });
    expect(lines[0]).not.toHaveProperty('name');
    expect(JSON.stringify(lines[0])).not.toMatch(/Lovelace|ada@example|5550100/);
  });
});
