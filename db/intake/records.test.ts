import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectFile } from './detect';
import { KNOWN_COLUMNS } from './fields';
import { parseCsvRecord, readRecords, type SourceRecord } from './records';

describe('CSV records', () => {
  it('splits plain and quoted fields, with doubled quotes and delimiters inside quotes', () => {
    expect(parseCsvRecord('a,b,,c', ',')).toEqual({ fields: ['a', 'b', '', 'c'] });
    expect(parseCsvRecord('"a,1","say ""hi""",x,', ',')).toEqual({ fields: ['a,1', 'say "hi"', 'x', ''] });
    expect(parseCsvRecord('x;"y;z"', ';')).toEqual({ fields: ['x', 'y;z'] });
  });

  it('says when a quoted field continues on the next line, and when a closing quote is followed by junk', () => {
    expect(parseCsvRecord('a,"b', ',')).toEqual({ open: true });
    expect(parseCsvRecord('a,"b"c,d', ',')).toEqual({
      error: 'unexpected character after the closing quote of field 2',
    });
  });
});

describe('reading a file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'records-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function read(name: string, content: string): Promise<SourceRecord[]> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const detected = await detectFile(file);
    const out: SourceRecord[] = [];
    for await (const batch of readRecords(file, detected, KNOWN_COLUMNS[detected.kind])) out.push(...batch);
    return out;
  }

  it('numbers records by their line, across quoted line breaks, blank lines and broken rows', async () => {
    const records = await read(
      'loans.csv',
      '\uFEFFloan_number,customer_number,product,currency,principal,outstanding,as_of\r\n' +
        'L1,C1,bnpl,USD,1,1,2026-11-01\r\n' +
        '\r\n' +
        'L2,"C\n2",bnpl,USD,1,1,2026-11-01\n' +
        'L3,C3,bnpl\n' +
        'L4,"C4"x,bnpl,USD,1,1,2026-11-01\n' +
        'L5,C5,bnpl,USD,1,1,2026-11-01\n',
    );
    expect(records.map((r) => [r.line, 'error' in r ? r.error.reason : r.values.loan_number])).toEqual([
      [2, 'L1'],
      [4, 'L2'],
      [6, 'has 3 fields, the header has 7'],
      [7, 'unexpected character after the closing quote of field 2'],
      [8, 'L5'],
    ]);
  });

  it('reports a quote that never closes on its own line and reads on after it', async () => {
    const lines = [
      'loan_number,customer_number,product,currency,principal,outstanding,as_of',
      'L1,"C1,bnpl,USD,1,1,2026-11-01',
    ];
    for (let i = 2; i <= 60; i++) lines.push(`L${i},C${i},bnpl,USD,1,1,2026-11-01`);
    const records = await read('unclosed.csv', `${lines.join('\n')}\n`);
    expect(records[0]).toEqual({
      line: 2,
      error: { field: '(record)', reason: 'a quoted field opened on this line is never closed' },
    });
    expect(records).toHaveLength(60);
    expect(records[59]).toMatchObject({ line: 61, values: { loan_number: 'L60' } });
  });

  it('reads NDJSON values of any JSON type and reports lines that are not objects', async () => {
    const records = await read(
      'loans.ndjson',
      '{"loan_number":"L1","customer_number":"C1","dpd":3,"disputed":true,"overdue":null}\n' +
        'not json\n' +
        '[1,2]\n' +
        '{"loan_number":"L2","principal":{"amount":1}}\n',
    );
    expect(records[0]).toEqual({
      line: 1,
      values: { loan_number: 'L1', customer_number: 'C1', dpd: '3', disputed: 'true', overdue: undefined },
    });
    expect(records.slice(1).map((r) => ('error' in r ? [r.line, r.error.field] : null))).toEqual([
      [2, '(record)'],
      [3, '(record)'],
      [4, 'principal'],
    ]);
  });
});
