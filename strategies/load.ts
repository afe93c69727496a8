/**
 * Reading strategy documents: YAML (or JSON, which YAML reads too) text → validated plan, with
 * each issue located at a line and column of the file. Used by the CLI and the API; pure.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import {
  validateStrategy,
  type Path,
  type ValidationIssue,
  type ValidationOptions,
  type ValidationResult,
} from './validate';

export interface LocatedIssue extends ValidationIssue {
  /** 1-based; absent when the path does not exist in the file (e.g. a missing field's parent is used). */
  readonly line?: number;
  readonly column?: number;
}

export type SourceResult =
  | (Extract<ValidationResult, { ok: true }> & { readonly warnings: readonly LocatedIssue[] })
  | {
      readonly ok: false;
      readonly errors: readonly LocatedIssue[];
      readonly warnings: readonly LocatedIssue[];
    };

/** Parses and validates a strategy file's text. YAML syntax errors are reported like other errors. */
export function validateStrategySource(text: string, options: ValidationOptions = {}): SourceResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((e) => {
        const position = lineCounter.linePos(e.pos[0]);
        return {
          code: 'invalid_type' as const,
          severity: 'error' as const,
          path: [],
          pathText: '(document)',
          message: `the file is not valid YAML: ${e.message.split('\n')[0]}`,
          ...(position ? { line: position.line, column: position.col } : {}),
        };
      }),
      warnings: [],
    };
  }
  const result = validateStrategy(document.toJS(), options);
  const locate = (issue: ValidationIssue): LocatedIssue => {
    const offset = offsetOf(document, issue.path);
    if (offset === undefined) return issue;
    const { line, col } = lineCounter.linePos(offset);
    return { ...issue, line, column: col };
  };
  if (result.ok) return { ...result, warnings: byPosition(result.warnings.map(locate)) };
  return {
    ok: false,
    errors: byPosition(result.errors.map(locate)),
    warnings: byPosition(result.warnings.map(locate)),
  };
}

/** Document order, so a designer can fix the file top to bottom; stable for equal positions. */
function byPosition(issues: LocatedIssue[]): LocatedIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
        a.i - b.i,
    )
    .map(({ issue }) => issue);
}

/** The source offset of the deepest node along `path` (the parent, when the field is missing). */
function offsetOf(document: Document, path: Path): number | undefined {
  let node: unknown = document.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) return offset;
      const keyNode = pair.key as YamlNode | null;
      node = pair.value;
      offset = (node as YamlNode | null)?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** Parses strategy text to a plain object without validating (for diffs of drafts). */
export function parseStrategyText(text: string): unknown {
  return parseDocument(text).toJS();
}
