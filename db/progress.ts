import { Presets, SingleBar } from 'cli-progress';

/**
 * Progress for long runs: a bar on a terminal, a plain line every few seconds otherwise (CI
 * logs, pipes), nothing when silenced. Rates are rows per second since start.
 */
export interface Progress {
  /** `done` out of `total` units (bytes, customers), with the rows handled so far. */
  update(done: number, rows: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** The unit of `total` for plain lines, e.g. 'bytes' or 'customers'. */
  unit: string;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines. */
  intervalSeconds?: number;
  silent?: boolean;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const started = performance.now();
  const rate = (rows: number) => Math.round(rows / Math.max(0.001, (performance.now() - started) / 1000));
  if (options.silent) return { update: () => undefined, stop: () => undefined };

  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {duration_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(1, options.total), 0, { rows: '0', rate: '0' });
    return {
      update: (done, rows) =>
        bar.update(Math.min(done, options.total), {
          rows: rows.toLocaleString('en-US'),
          rate: rate(rows).toLocaleString('en-US'),
        }),
      stop: () => bar.stop(),
    };
  }

  const interval = (options.intervalSeconds ?? 5) * 1000;
  let last = started;
  let lastLine = '';
  const line = (done: number, rows: number) =>
    `${options.label}: ${Math.floor((100 * Math.min(done, options.total)) / Math.max(1, options.total))}% ` +
    `(${done.toLocaleString('en-US')}/${options.total.toLocaleString('en-US')} ${options.unit}), ` +
    `${rows.toLocaleString('en-US')} rows, ${rate(rows).toLocaleString('en-US')} rows/s`;
  return {
    update: (done, rows) => {
      const now = performance.now();
      lastLine = line(done, rows);
      if (now - last >= interval) {
        last = now;
        stream.write(`${lastLine}\n`);
        lastLine = '';
      }
    },
    stop: () => {
      if (lastLine) stream.write(`${lastLine}\n`);
    },
  };
}
