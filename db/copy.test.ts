import { copyLine, copyText } from './copy';

describe('COPY text format', () => {
  it('escapes backslashes, tabs and line breaks and leaves other text alone', () => {
    expect(copyText('plain Núñez')).toBe('plain Núñez');
    expect(copyText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
  });

  it('writes nulls, booleans and numbers the way COPY reads them', () => {
    expect(copyLine(['x', null, true, false, 42, undefined])).toBe('x\t\\N\tt\tf\t42\t\\N');
  });
});
