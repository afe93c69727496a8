import { createProgress } from './progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  it('writes plain lines with counts and rates when not on a terminal', () => {
    const stream = fakeStream(false);
    const progress = createProgress({
      label: 'intake loans',
      total: 1000,
      unit: 'bytes',
      stream,
      intervalSeconds: 0,
    });
    progress.update(500, 12_000);
    progress.stop();
    expect(stream.text).toMatch(/^intake loans: 50% \(500\/1,000 bytes\), 12,000 rows, [\d,]+ rows\/s\n$/);
  });

  it('keeps quiet between intervals and prints the last state at the end', () => {
    const stream = fakeStream(false);
    const progress = createProgress({
      label: 'generate',
      total: 10,
      unit: 'customers',
      stream,
      intervalSeconds: 3600,
    });
    progress.update(3, 30);
    progress.update(10, 100);
    expect(stream.text).toBe('');
    progress.stop();
    expect(stream.text).toContain('generate: 100% (10/10 customers), 100 rows');
  });

  it('says nothing when silent', () => {
    const stream = fakeStream(false);
    const progress = createProgress({
      label: 'x',
      total: 1,
      unit: 'rows',
      stream,
      silent: true,
      intervalSeconds: 0,
    });
    progress.update(1, 1);
    progress.stop();
    expect(stream.text).toBe('');
  });
});
