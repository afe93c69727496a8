import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from './config';

describe('.env.example', () => {
  it('lists every configuration variable, and nothing the configuration does not read', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    const listed = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(configSchema.shape).sort());
  });
});
