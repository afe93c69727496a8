import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeCaseFacts } from '../../domain/case-facts';
import { runCli, type CliDeps } from './main';

const library = path.join(__dirname, '..', 'library');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strategy-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  extra: Partial<CliDeps> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    cwd: dir,
    now: () => Date.UTC(2025, 2, 3, 12),
    ...extra,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const early = path.join(library, 'early-stage.yaml');

describe('strategy CLI', () => {
  it('validate: a good file prints a summary and exits 0', async () => {
    const { code, out } = await cli(['validate', early]);
    expect(code).toBe(0);
    expect(out).toContain('early-stage.yaml: Early stage (1-29 DPD) [early-stage] is valid');
    expect(out).toMatch(/hash {8}sha256:[0-9a-f]{64}/);
    expect(out).toContain('no answer   6 contact attempts, then transferred to mid-stage on day 29');
  });

  it('validate: a bad file lists every error with line, path and reason, and exits 1', async () => {
    const text = readFileSync(early, 'utf8')
      .replace('next: wait-after-sms', 'next: wait-after-smss')
      .replace('template: early-reminder-email', 'template: early-reminder-mail');
    writeFileSync(path.join(dir, 'bad.yaml'), text);
    const { code, err } = await cli(['validate', 'bad.yaml']);
    expect(code).toBe(1);
    const lines = err.split('\n');
    expect(lines[0]).toBe('✗ bad.yaml: 3 errors');
    expect(lines[1]).toMatch(
      /^ {2}bad\.yaml:\d+:\d+ {2}steps\[3\]\.next: step 'wait-after-smss' does not exist \(did you mean 'wait-after-sms'\?\)$/,
    );
    expect(err).toContain(
      "steps[5].template: template 'early-reminder-mail' does not exist for email (did you mean 'early-reminder-email'?)",
    );
    expect(err).toContain("steps[4]: step 'wait-after-sms' is unreachable");
  });

  it('validate: a file that is not YAML is reported, not thrown', async () => {
    writeFileSync(path.join(dir, 'broken.yaml'), 'id: [unclosed\n');
    const { code, err } = await cli(['validate', 'broken.yaml']);
    expect(code).toBe(1);
    expect(err).toMatch(/broken\.yaml:\d+:\d+ {2}\(document\): the file is not valid YAML/);
  });

  it('simulate: one scenario shows its timeline', async () => {
    const { code, out } = await cli(['simulate', early, '--scenario', 'pays-on-day-12']);
    expect(code).toBe(0);
    expect(out).toContain("→ send_reminder sms 'early-reminder-friendly' [reminder-sms]");
    expect(out).toContain('day 12  10:00  payment_received EUR 150.00');
    expect(out).toContain('outcome: cured');
  });

  it('simulate: unknown scenarios are a usage error', async () => {
    const { code, err } = await cli(['simulate', early, '--scenario', 'pays-late']);
    expect(code).toBe(2);
    expect(err).toMatch(/^unknown scenario 'pays-late'; scenarios: never-answers, /);
  });

  it('simulate --book says clearly that it needs the database until a source is wired', async () => {
    const { code, err } = await cli(['simulate', early, '--book']);
    expect(code).toBe(1);
    expect(err).toContain('--book reads the open cases from PostgreSQL');
    expect(err).toContain('--facts FILE.ndjson');
  });

  it('simulate --book uses an injected facts source, and --facts reads ndjson', async () => {
    const facts = Array.from({ length: 30 }, (_, i) => makeCaseFacts({ caseId: `c${i}`, dpd: 1 + i }));
    async function* source() {
      yield* facts;
    }
    const viaSource = await cli(['simulate', early, '--book', '--days', '10', '--json'], {
      bookSource: source,
    });
    expect(viaSource.code).toBe(0);
    writeFileSync(path.join(dir, 'book.ndjson'), facts.map((f) => JSON.stringify(f)).join('\n'));
    const viaFile = await cli(['simulate', early, '--facts', 'book.ndjson', '--days', '10', '--json']);
    expect(viaFile.code).toBe(0);
    expect(JSON.parse(viaFile.out)).toEqual(JSON.parse(viaSource.out));
    const text = await cli([
      'simulate',
      early,
      '--facts',
      'book.ndjson',
      '--days',
      '10',
      '--compare',
      path.join(library, 'mid-stage.yaml'),
    ]);
    expect(text.out).toContain('book forecast: 30 cases read, 30 simulated, 10 days');
    expect(text.out).toContain('B: mid-stage');
  });

  it('simulate --facts reports a bad line with its number', async () => {
    writeFileSync(path.join(dir, 'book.ndjson'), `${JSON.stringify(makeCaseFacts())}\n{"dpd": "x"}\n`);
    const { code, err } = await cli(['simulate', early, '--facts', 'book.ndjson']);
    expect(code).toBe(2);
    expect(err).toMatch(/^book\.ndjson:2: /);
  });

  it('publish, versions and diff work against a store directory', async () => {
    const store = path.join(dir, 'store');
    writeFileSync(path.join(dir, 'a.yaml'), readFileSync(early, 'utf8'));
    expect((await cli(['publish', 'a.yaml', '--store', store, '--by', 'alice'])).out).toMatch(
      /^✓ published early-stage version 1 \(sha256:/,
    );
    const again = await cli(['publish', 'a.yaml', '--store', store]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('nothing to publish');
    writeFileSync(
      path.join(dir, 'a.yaml'),
      readFileSync(early, 'utf8').replace('duration: 3d\n', 'duration: 2d\n'),
    );
    expect((await cli(['publish', 'a.yaml', '--store', store, '--note', 'faster email'])).code).toBe(0);
    const versions = await cli(['versions', 'early-stage', '--store', store]);
    expect(versions.out).toMatch(/v1 .* alice/);
    expect(versions.out).toMatch(/v2 .* faster email/);
    const diff = await cli(['diff', 'early-stage@1', 'early-stage@2', '--store', store]);
    expect(diff.out).toContain("~ step wait-after-sms.duration: '3d' → '2d'");
  });

  it('exits 2 on an unknown command, with the usage', async () => {
    const { code, err } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'frobnicate'");
  });
});
