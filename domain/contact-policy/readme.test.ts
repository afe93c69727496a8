import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTACT_POLICY_PACKS } from './packs';

describe('README', () => {
  const readme = readFileSync(path.join(__dirname, 'README.md'), 'utf8');

  test.each(CONTACT_POLICY_PACKS.flatMap((pack) => pack.rules.map((rule) => `${pack.id}/${rule.name}`)))(
    'documents %s',
    (id) => {
      expect(readme).toContain(`\`${id}\``);
    },
  );

  test.each(CONTACT_POLICY_PACKS.map((pack) => `${pack.id}\` ${pack.version}`))(
    'names the version of `%s',
    (text) => {
      expect(readme).toContain(`\`${text}`);
    },
  );
});
