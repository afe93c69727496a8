import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CASE_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The Temporal CLI of the local stack against one namespace of the dev server: for namespaces of
 * their own (integration tests, benchmarks), so their workflow ids never meet those of
 * `npm start`'s cases.
 */
export class TemporalCli {
  constructor(
    private readonly bin: string,
    private readonly address: string,
    readonly namespace: string,
  ) {}

  async run(args: string[], timeout = 120_000): Promise<string> {
    const { stdout } = await execFileAsync(this.bin, [...args, '--address', this.address], {
      timeout,
      maxBuffer: 16 << 20,
    });
    return stdout;
  }

  async version(): Promise<string> {
    const { stdout } = await execFileAsync(this.bin, ['--version']);
    return stdout.trim().replace(/^temporal version /, '');
  }

  /**
   * Creates the namespace when missing (retention 24 h) with the case search attributes, and
   * waits until every service knows it and queries on each attribute are accepted.
   */
  async ensureNamespace(): Promise<'created' | 'existed'> {
    let outcome: 'created' | 'existed' = 'existed';
    try {
      await this.run(['operator', 'namespace', 'describe', '--namespace', this.namespace]);
    } catch {
      await this.run([
        'operator',
        'namespace',
        'create',
        '--namespace',
        this.namespace,
        '--retention',
        '24h',
      ]);
      outcome = 'created';
    }
    // A new namespace reaches every service's cache within seconds.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await this.count('ExecutionStatus="Running"');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(1000);
      }
    }
    // One attribute per call: the CLI (1.9.1) given several names may register only one of them.
    const registered = Date.now() + 120_000;
    for (;;) {
      const listed = JSON.parse(
        await this.run(['operator', 'search-attribute', 'list', '--namespace', this.namespace, '-o', 'json']),
      ) as { customAttributes?: Record<string, string> };
      const missing = Object.entries(CASE_SEARCH_ATTRIBUTES).filter(
        ([name]) => !listed.customAttributes?.[name],
      );
      if (missing.length === 0) break;
      if (Date.now() > registered)
        throw new Error(`could not register ${missing.map(([name]) => name).join(', ')}`);
      for (const [name, type] of missing) {
        await this.run([
          'operator',
          'search-attribute',
          'create',
          '--namespace',
          this.namespace,
          '--name',
          name,
          '--type',
          type,
        ]);
      }
    }
    // Usable in queries (the frontend's namespace cache has them), which the workflows' upserts need too.
    const probe = { Keyword: "= 'x'", Int: '= 0', Datetime: "> '2000-01-01T00:00:00Z'" } as const;
    for (const [name, type] of Object.entries(CASE_SEARCH_ATTRIBUTES)) {
      for (;;) {
        try {
          await this.count(`${name} ${probe[type]}`);
          break;
        } catch (err) {
          if (Date.now() > registered) throw err;
          await sleep(1000);
        }
      }
    }
    return outcome;
  }

  async count(query: string): Promise<number> {
    const out = await this.run([
      'workflow',
      'count',
      '--namespace',
      this.namespace,
      '--query',
      query,
      '-o',
      'json',
    ]);
    return Number((JSON.parse(out) as { count?: string }).count ?? 0);
  }
}
