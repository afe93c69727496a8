/**
 * The interpreter runs inside Temporal's workflow sandbox for every cached case: its import
 * graph must stay free of zod, yaml, Node built-ins and anything with I/O. This walks the real
 * imports (type-only imports are erased at compile time and do not count).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const WORKFLOW_ENTRY_POINTS = ['strategies/interpreter.ts', 'strategies/plan-types.ts'];
const root = path.join(__dirname, '..');

function runtimeImports(file: string): string[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const imports: string[] = [];
  for (const match of source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)) {
    if (match[1]) continue;
    const clause = match[0];
    // `import { type A, type B } from` is erased too.
    const names = /\{([^}]*)\}/.exec(clause)?.[1];
    if (names && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    imports.push(match[2] as string);
  }
  for (const match of source.matchAll(/require\(\s*'([^']+)'\s*\)/g)) imports.push(match[1] as string);
  return imports;
}

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    const imports = runtimeImports(file);
    seen.set(file, imports);
    for (const spec of imports) {
      if (spec.startsWith('.')) pending.push(path.normalize(path.join(path.dirname(file), `${spec}.ts`)));
    }
  }
  return seen;
}

describe('workflow sandbox safety', () => {
  it.each(WORKFLOW_ENTRY_POINTS)('%s imports only pure modules at run time', (entry) => {
    const graph = closure(entry);
    const external = [...graph.values()].flat().filter((spec) => !spec.startsWith('.'));
    expect(external).toEqual([]);
    for (const file of graph.keys()) {
      expect(file).toMatch(/^(strategies|domain)\//);
      expect(file).not.toMatch(/schema|validate|load|versions|cli|book-forecast/);
    }
  });

  it('the interpreter reads no clock and no randomness', () => {
    for (const file of closure('strategies/interpreter.ts').keys()) {
      const source = readFileSync(path.join(root, file), 'utf8');
      expect(source).not.toMatch(/Date\.now|new Date\(|Math\.random|performance\.now|setTimeout/);
    }
  });
});
