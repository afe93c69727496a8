import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../lib/config';
import { StackError } from '../../infra/stack/common';
import { serviceContext, status, up } from '../../infra/stack/stack';

describe('local stack failure messages', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-errors-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the service, the port, who holds it and what to do when a port is taken', async () => {
    const squatter = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      const config = loadConfig({ ...process.env, STACK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
      const { reports, errors } = await up(serviceContext(config), ['redis']);
      expect(reports).toEqual([]);
      expect(errors).toHaveLength(1);
      const error = errors[0]!;
      expect(error).toBeInstanceOf(StackError);
      expect(error.describe()).toContain(`redis: port ${port} on 127.0.0.1 is taken by`);
      expect(error.describe()).toContain('REDIS_PORT');
    } finally {
      squatter.close();
    }
  });

  it('lists every service with its state, version and port', async () => {
    const config = loadConfig({ ...process.env, STACK_DATA_DIR: dataDir });
    const reports = await status(serviceContext(config));
    expect(reports.map((r) => r.service)).toEqual(['postgres', 'redis', 'kafka', 'elasticsearch', 'temporal', 'temporal-test']);
    // Nothing of this (empty) data directory's stack runs, whatever else does.
    for (const r of reports) {
      expect(['stopped', 'not installed']).toContain(r.state);
      expect(r.port).toBeGreaterThan(0);
    }
    expect(reports.find((r) => r.service === 'kafka')?.version).toBe('4.3.1');
  });
});
