import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('gives the local stack defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PG_PORT).toBe(55432);
    expect(config.ES_URL).toBe('http://127.0.0.1:59200');
    expect(config.API_HOST).toBe('127.0.0.1');
  });

  it('coerces numbers and reads booleans properly', () => {
    const config = loadConfig({ PG_PORT: '6543', WORKER_MAX_CACHED_WORKFLOWS: '500' });
    expect(config.PG_PORT).toBe(6543);
    expect(config.WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
  });

  it('names the variable and what is expected in one line when a value is bad', () => {
    expect(() => loadConfig({ PG_PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({ REDIS_PORT: '70000' });
    } catch (err) {
      expect((err as Error).message).toBe('Configuration error: REDIS_PORT is "70000": expected a port number 1-65535');
      expect((err as Error).message).not.toContain('\n');
    }
    expect.assertions(3);
  });

  it('refuses a malformed broker list and an unknown log level', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS .*host:port/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});

describe('boolean knobs', () => {
  it('reads "false" as false, not as a non-empty string', () => {
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ DEMO_DATA: '1' }).DEMO_DATA).toBe(true);
    expect(() => loadConfig({ DEMO_DATA: 'maybe' })).toThrow('Configuration error: DEMO_DATA is "maybe": expected true or false');
  });
});
