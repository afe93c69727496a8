import fs from 'node:fs';
import type { IntakeFormat, IntakeKind } from '../schema';
import { FIELD_SPECS, REQUIRED_COLUMNS } from './fields';

/**
 * Decides from the first bytes whether a file is CSV or NDJSON and whether it holds
 * customers, loans or payments. Anything else is refused with one sentence saying what the
 * file looks like and what was expected.
 */

export class IntakeRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntakeRefusal';
  }
}

export interface DetectedFile {
  format: IntakeFormat;
  kind: IntakeKind;
  /** CSV only. */
  delimiter: string;
  bytes: number;
}

const SAMPLE_BYTES = 64 * 1024;
const KINDS: IntakeKind[] = ['payments', 'loans', 'customers'];

const EXPECTED =
  'expected a CSV file with a header row, or NDJSON (one JSON object per line), of customers, loans or payments (see db/README.md)';

function signature(sample: Buffer): string | null {
  const head = sample.subarray(0, 8);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'a gzip archive';
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04')
    return 'a ZIP archive (an Excel .xlsx workbook?)';
  if (head.subarray(0, 4).toString('latin1') === '%PDF') return 'a PDF document';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    return 'an old Office document (.xls?)';
  if (head.subarray(0, 6).toString('latin1') === 'SQLite') return 'an SQLite database';
  if (head[0] === 0x89 && head.subarray(1, 4).toString('latin1') === 'PNG') return 'a PNG image';
  if (head[0] === 0xff && head[1] === 0xd8) return 'a JPEG image';
  if (head.includes(0)) return 'binary data';
  return null;
}

/** Kind named by the columns (CSV header or the first NDJSON object's keys). */
export function kindFromColumns(columns: readonly string[]): IntakeKind | null {
  const set = new Set(columns);
  for (const kind of KINDS) {
    if (REQUIRED_COLUMNS[kind].every((c) => set.has(c))) return kind;
  }
  if (set.has('payment_ref')) return 'payments';
  if (set.has('loan_number')) return 'loans';
  if (set.has('customer_number')) return 'customers';
  return null;
}

export function normaliseColumn(name: string): string {
  return name
    .trim()
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function pickDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function checkColumns(file: string, format: string, kind: IntakeKind, columns: readonly string[]): void {
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new IntakeRefusal(
      `${file} is ${format} but not a complete ${kind} file: it lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (see db/README.md)`,
    );
  }
}

export async function detectFile(file: string, requestedKind?: IntakeKind): Promise<DetectedFile> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new IntakeRefusal(`${file} does not exist or cannot be read`);
  }
  if (!stat.isFile()) throw new IntakeRefusal(`${file} is not a file`);
  if (stat.size === 0) throw new IntakeRefusal(`${file} is empty: ${EXPECTED}`);

  const handle = await fs.promises.open(file, 'r');
  const sample = Buffer.alloc(Math.min(SAMPLE_BYTES, stat.size));
  try {
    await handle.read(sample, 0, sample.length, 0);
  } finally {
    await handle.close();
  }
  const binary = signature(sample);
  if (binary)
    throw new IntakeRefusal(`${file} is not a CSV or NDJSON file: it looks like ${binary}; ${EXPECTED}`);
  let text: string;
  try {
    // A sample can end inside a multi-byte character: decode in streaming mode.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: sample.length < stat.size });
  } catch {
    throw new IntakeRefusal(`${file} is not a CSV or NDJSON file: it is not UTF-8 text; ${EXPECTED}`);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();

  if (firstLine.startsWith('[')) {
    throw new IntakeRefusal(
      `${file} is not a CSV or NDJSON file: it is a JSON array; NDJSON has one object per line`,
    );
  }
  if (firstLine.startsWith('<')) {
    throw new IntakeRefusal(`${file} is not a CSV or NDJSON file: it looks like XML or HTML; ${EXPECTED}`);
  }
  if (firstLine.startsWith('{')) {
    let first: unknown;
    try {
      first = JSON.parse(firstLine);
    } catch {
      throw new IntakeRefusal(
        `${file} is not a CSV or NDJSON file: its first line starts like JSON but is not one complete JSON object (NDJSON has one object per line)`,
      );
    }
    if (typeof first !== 'object' || first === null || Array.isArray(first)) {
      throw new IntakeRefusal(`${file} is not an NDJSON file: its first line is not a JSON object`);
    }
    const columns = Object.keys(first).map(normaliseColumn);
    const kind = requestedKind ?? kindFromColumns(columns);
    if (!kind) {
      throw new IntakeRefusal(
        `${file} is NDJSON but its objects are not customers, loans or payments: the first has no customer_number, loan_number or payment_ref (see db/README.md)`,
      );
    }
    if (requestedKind && kindFromColumns(columns) && kindFromColumns(columns) !== requestedKind) {
      throw new IntakeRefusal(`${file} holds ${kindFromColumns(columns)}, not ${requestedKind}`);
    }
    return { format: 'ndjson', kind, delimiter: ',', bytes: stat.size };
  }

  const delimiter = pickDelimiter(firstLine);
  const columns = firstLine.split(delimiter).map((c) => normaliseColumn(c.replace(/^"|"$/g, '')));
  const known = new Set(Object.values(FIELD_SPECS).flatMap((specs) => specs.map((s) => s.name)));
  if (columns.length < 2 || !columns.some((c) => known.has(c))) {
    throw new IntakeRefusal(
      `${file} is not a CSV or NDJSON file of customers, loans or payments: its first line is not a header with known column names; ${EXPECTED}`,
    );
  }
  const detected = kindFromColumns(columns);
  const kind = requestedKind ?? detected;
  if (!kind) {
    throw new IntakeRefusal(
      `${file} is CSV but neither customers, loans nor payments: the header has no customer_number, loan_number or payment_ref column (see db/README.md)`,
    );
  }
  if (requestedKind && detected && detected !== requestedKind) {
    throw new IntakeRefusal(`${file} holds ${detected}, not ${requestedKind}`);
  }
  checkColumns(file, 'CSV', kind, columns);
  return { format: 'csv', kind, delimiter, bytes: stat.size };
}
