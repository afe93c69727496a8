import { randomUUID } from 'node:crypto';
import {
  type CustomerDocument,
  type SearchClient,
  aliasName,
  createIndex,
  createSearchClient,
  customerSearchQuery,
  dropSearchIndices,
  ensureSearchIndices,
  indexName,
  normalizePhone,
  swapAlias,
} from '../../lib/search';
import { testConfig } from '../helpers/config';

const people: CustomerDocument[] = [
  { customerId: 'c-1', fullName: 'Katherine Hoffmann', phones: [normalizePhone('(212) 555-0147')!], emails: ['K.Hoffmann@example.com'] },
  { customerId: 'c-2', fullName: 'José Núñez', phones: [normalizePhone('+1 305 555 0199')!] },
  { customerId: 'c-3', fullName: 'Hans Meyer', nationalId: '123-45-6789' },
  { customerId: 'c-4', fullName: 'Catherine Hofer', loanNumbers: ['LN-000042'] },
  { customerId: 'c-5', fullName: 'Jonathan Smith' },
  { customerId: 'c-6', fullName: 'Siobhán O’Connor' },
  { customerId: 'c-7', fullName: 'Zoë Schmidt' },
  { customerId: 'c-8', fullName: 'Mohammed Al-Rashid' },
];

describe('search module on the local Elasticsearch', () => {
  const prefix = `${testConfig().ES_INDEX_PREFIX}-${randomUUID().slice(0, 8)}`;
  let client: SearchClient;

  const find = async (search: Parameters<typeof customerSearchQuery>[0]) => {
    const response = await client.search<CustomerDocument>({ index: aliasName(prefix, 'customers'), ...customerSearchQuery(search) });
    return response.hits.hits.map((h) => h._source!.fullName);
  };

  beforeAll(async () => {
    client = createSearchClient(testConfig());
    await ensureSearchIndices(client, prefix);
    await client.bulk({
      refresh: 'wait_for',
      operations: people.flatMap((doc) => [{ index: { _index: aliasName(prefix, 'customers'), _id: doc.customerId } }, doc]),
    });
  });
  afterAll(async () => {
    await dropSearchIndices(client, prefix);
    await client.close();
  });

  it('creates versioned indices behind aliases', async () => {
    const aliases = await client.indices.getAlias({ name: aliasName(prefix, 'customers') });
    expect(Object.keys(aliases)).toEqual([indexName(prefix, 'customers', 1)]);
  });

  it('finds a name from the beginnings of its words ("kath hof")', async () => {
    expect((await find({ name: 'kath hof' }))[0]).toBe('Katherine Hoffmann');
  });

  it('finds accented names without the accents, and plain names with them', async () => {
    expect((await find({ name: 'Jose Nunez' }))[0]).toBe('José Núñez');
    expect((await find({ name: 'zoe schmidt' }))[0]).toBe('Zoë Schmidt');
    expect((await find({ name: 'Siobhan' }))[0]).toBe('Siobhán O’Connor');
  });

  it('finds a misspelt name (fuzzy)', async () => {
    expect((await find({ name: 'Katherin Hofman' }))[0]).toBe('Katherine Hoffmann');
    expect(await find({ name: 'Jonathon Smyth' })).toContain('Jonathan Smith');
  });

  it('finds a name by how it sounds (phonetic: Maier finds Meyer)', async () => {
    expect(await find({ name: 'Maier' })).toEqual(['Hans Meyer']);
    expect(await find({ name: 'Muhammad Al Rasheed' })).toContain('Mohammed Al-Rashid');
  });

  it('does not match unrelated names', async () => {
    expect(await find({ name: 'Wojciechowski' })).toEqual([]);
  });

  it('matches identifiers exactly: phone in any format, email in any case, national id, loan number', async () => {
    expect(await find({ phone: '212-555-0147' })).toEqual(['Katherine Hoffmann']);
    expect(await find({ phone: '+13055550199' })).toEqual(['José Núñez']);
    expect(await find({ email: 'k.hoffmann@EXAMPLE.com' })).toEqual(['Katherine Hoffmann']);
    expect(await find({ nationalId: '123-45-6789' })).toEqual(['Hans Meyer']);
    expect(await find({ loanNumber: 'LN-000042' })).toEqual(['Catherine Hofer']);
    expect(await find({ phone: '212-555-0148' })).toEqual([]);
  });

  it('moves the alias atomically to a new index version', async () => {
    const v2 = await createIndex(client, prefix, 'customers', 2);
    await client.index({ index: v2, id: 'c-9', document: { customerId: 'c-9', fullName: 'Ada Lovelace' }, refresh: 'wait_for' });
    await swapAlias(client, prefix, 'customers', v2);
    expect(await find({ name: 'ada' })).toEqual(['Ada Lovelace']);
    expect(Object.keys(await client.indices.getAlias({ name: aliasName(prefix, 'customers') }))).toEqual([v2]);
  });
});
