/** PostgreSQL COPY text format: tab-separated, `\N` for null, backslash escapes. */

const SPECIAL = /[\\\t\n\r]/;

export function copyText(value: string): string {
  return SPECIAL.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

export type CopyValue = string | number | boolean | null | undefined;

/** One COPY text row (without the trailing newline). */
export function copyLine(values: readonly CopyValue[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += '\t';
    if (v === null || v === undefined) out += '\\N';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (typeof v === 'number') out += String(v);
    else out += copyText(v);
  }
  return out;
}
