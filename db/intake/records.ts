import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { DetectedFile } from './detect';
import { normaliseColumn } from './detect';
import type { FieldError, RecordValues } from './fields';

/**
 * Streams a CSV or NDJSON file as records with their line numbers, in constant memory. A
 * record that cannot even be read (wrong number of CSV fields, a broken quote, a line that
 * is not a JSON object) comes out as an error for that line, and reading goes on with the
 * next line: one bad line never costs the rest of the file.
 */

export type SourceRecord = { line: number; values: RecordValues } | { line: number; error: FieldError };

export interface ReaderHooks {
  /** Bytes of the file read so far (for progress). */
  onBytes?: (bytes: number) => void;
  /** Columns/keys no field spec knows (reported once, ignored). */
  onUnknownColumns?: (columns: string[]) => void;
}

/** A quoted CSV field may span lines, but not more than this many. */
const MAX_LINES_PER_RECORD = 50;

type CsvParse = { fields: string[] } | { open: true } | { error: string };

/** One CSV record (RFC 4180 quoting; a stray quote inside an unquoted field is kept as is). */
export function parseCsvRecord(text: string, delimiter: string): CsvParse {
  if (!text.includes('"')) return { fields: text.split(delimiter) };
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return { open: true };
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { fields };
      if (!text.startsWith(delimiter, i)) {
        return { error: `unexpected character after the closing quote of field ${fields.length}` };
      }
      i += delimiter.length;
      if (i === n) {
        fields.push('');
        return { fields };
      }
    } else {
      const next = text.indexOf(delimiter, i);
      if (next < 0) {
        fields.push(text.slice(i));
        return { fields };
      }
      fields.push(text.slice(i, next));
      i = next + delimiter.length;
      if (i === n) {
        fields.push('');
        return { fields };
      }
    }
  }
}

/**
 * The file's lines, without their line breaks (LF or CRLF), in batches of one read. Reads
 * only as fast as the records are consumed (readline's async iterator would buffer the
 * whole file while the consumer waits for the database).
 */
async function* lines(file: string, hooks: ReaderHooks): AsyncGenerator<string[]> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    hooks.onBytes?.(stream.bytesRead);
    const text = rest + decoder.write(chunk as Buffer);
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (batch.length) yield batch;
  }
  rest += decoder.end();
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** The file's records in batches (one per read of the file), in line order. */
export async function* readRecords(
  file: string,
  detected: DetectedFile,
  known: ReadonlySet<string>,
  hooks: ReaderHooks = {},
): AsyncGenerator<SourceRecord[]> {
  if (detected.format === 'ndjson') yield* readNdjson(file, known, hooks);
  else yield* readCsv(file, detected.delimiter, known, hooks);
}

async function* readCsv(
  file: string,
  delimiter: string,
  known: ReadonlySet<string>,
  hooks: ReaderHooks,
): AsyncGenerator<SourceRecord[]> {
  let header: string[] | null = null;
  let lineNo = 0;
  let pending: { start: number; lines: string[] } | null = null;
  const out: SourceRecord[] = [];

  const record = (start: number, fields: string[]) => {
    if (!header) {
      header = fields.map(normaliseColumn);
      const unknown = header.filter((c) => c !== '' && !known.has(c));
      if (unknown.length) hooks.onUnknownColumns?.(unknown);
      return;
    }
    if (fields.length !== header.length) {
      out.push({
        line: start,
        error: { field: '(record)', reason: `has ${fields.length} fields, the header has ${header.length}` },
      });
      return;
    }
    const values: Record<string, string | undefined> = {};
    for (let i = 0; i < header.length; i++) values[header[i]!] = fields[i];
    out.push({ line: start, values });
  };

  const feed = (no: number, raw: string): void => {
    if (pending) pending.lines.push(raw);
    else if (raw.trim() === '') return;
    else pending = { start: no, lines: [raw] };
    const parsed = parseCsvRecord(pending.lines.join('\n'), delimiter);
    if ('open' in parsed) {
      if (pending.lines.length >= MAX_LINES_PER_RECORD) unclosed();
      return;
    }
    const { start } = pending;
    pending = null;
    if ('error' in parsed) out.push({ line: start, error: { field: '(record)', reason: parsed.error } });
    else record(start, parsed.fields);
  };

  // A quote that never closes: report its line, then read the lines after it afresh.
  const unclosed = (): void => {
    const { start, lines: held } = pending!;
    pending = null;
    out.push({
      line: start,
      error: { field: '(record)', reason: 'a quoted field opened on this line is never closed' },
    });
    held.slice(1).forEach((raw, i) => feed(start + 1 + i, raw));
  };

  for await (const batch of lines(file, hooks)) {
    for (const raw of batch) {
      lineNo++;
      feed(lineNo, lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw);
    }
    if (out.length) yield out.splice(0);
  }
  while (pending) unclosed();
  if (out.length) yield out.splice(0);
}

async function* readNdjson(
  file: string,
  known: ReadonlySet<string>,
  hooks: ReaderHooks,
): AsyncGenerator<SourceRecord[]> {
  let lineNo = 0;
  const unknown = new Set<string>();
  for await (const batch of lines(file, hooks)) {
    const out: SourceRecord[] = [];
    for (const raw of batch) {
      lineNo++;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '').trim() : raw.trim();
      if (text === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        out.push({
          line: lineNo,
          error: { field: '(record)', reason: `is not valid JSON: ${(err as Error).message}` },
        });
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        out.push({ line: lineNo, error: { field: '(record)', reason: 'is not a JSON object' } });
        continue;
      }
      const values: Record<string, string | undefined> = {};
      let bad: FieldError | null = null;
      for (const [key, value] of Object.entries(parsed)) {
        const name = normaliseColumn(key);
        if (!known.has(name)) {
          if (unknown.size < 50 && !unknown.has(name)) {
            unknown.add(name);
            hooks.onUnknownColumns?.([name]);
          }
          continue;
        }
        if (value === null) values[name] = undefined;
        else if (typeof value === 'string') values[name] = value;
        else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
          values[name] = value.join('|');
        else bad = { field: name, reason: 'must be a string, number, boolean or list of strings' };
      }
      if (bad) out.push({ line: lineNo, error: bad });
      else out.push({ line: lineNo, values });
    }
    if (out.length) yield out;
  }
}
