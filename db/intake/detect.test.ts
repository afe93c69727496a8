import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectFile, IntakeRefusal } from './detect';

describe('recognising a file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('tells customers, loans and payments apart by their columns, in CSV and NDJSON', async () => {
    expect(
      await detectFile(file('a.csv', 'customer_number,given_name,family_name,address_line1,city,country\n')),
    ).toMatchObject({ format: 'csv', kind: 'customers' });
    expect(
      await detectFile(
        file('b.txt', 'loan_number;customer_number;product;currency;principal;outstanding;as_of\n'),
      ),
    ).toMatchObject({ format: 'csv', kind: 'loans', delimiter: ';' });
    expect(await detectFile(file('c.jsonl', '{"payment_ref":"P1","loan_number":"L1"}\n'))).toMatchObject({
      format: 'ndjson',
      kind: 'payments',
    });
  });

  it.each([
    ['report.xlsx', Buffer.from('PK\x03\x04rest-of-zip', 'latin1'), /looks like a ZIP archive/],
    ['scan.pdf', '%PDF-1.7\n...', /looks like a PDF document/],
    ['data.bin', Buffer.from([1, 2, 0, 3, 4]), /looks like binary data/],
    ['latin1.csv', Buffer.from('customer_number,given_name\nC1,Jos\xe9\n', 'latin1'), /not UTF-8 text/],
    ['array.json', '[{"loan_number":"L1"}]', /is a JSON array/],
    ['page.html', '<html><body>hi</body></html>', /looks like XML or HTML/],
    [
      'prose.txt',
      'Dear team, please find the loans attached.\n',
      /not a CSV or NDJSON file of customers, loans or payments/,
    ],
    ['empty.csv', '', /is empty/],
  ])('refuses %s with one clear sentence', async (name, content, message) => {
    const p = file(name, content);
    await expect(detectFile(p)).rejects.toThrow(IntakeRefusal);
    await expect(detectFile(p)).rejects.toThrow(message);
  });

  it('names the missing columns of an incomplete header and a kind that does not match --kind', async () => {
    await expect(detectFile(file('partial.csv', 'loan_number,customer_number,product\n'))).rejects.toThrow(
      /not a complete loans file: it lacks the columns currency, principal, outstanding, as_of/,
    );
    await expect(
      detectFile(
        file('l.csv', 'loan_number,customer_number,product,currency,principal,outstanding,as_of\n'),
        'payments',
      ),
    ).rejects.toThrow(/holds loans, not payments/);
  });
});
