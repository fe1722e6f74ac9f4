const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A position in a file: 1-based line and column, as stack traces print them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Where a generated position came from, by a v3 source map's `mappings` (one source): the last
 * mapping at or before the column on that line; undefined when the line has none.
 */
export function originalPosition(mappings: string, generated: Position): Position | undefined {
  const state = [0, 0, 0, 0];
  let found: Position | undefined;
  const lines = mappings.split(';');
  for (let index = 0; index < lines.length && index < generated.line; index++) {
    state[0] = 0;
    for (const segment of lines[index].split(',').filter(Boolean)) {
      const fields = decodeVlq(segment);
      for (let i = 0; i < Math.min(fields.length, 4); i++) state[i] += fields[i];
      if (index === generated.line - 1 && fields.length >= 4 && state[0] <= generated.column - 1) {
        found = { line: state[2] + 1, column: state[3] + 1 };
      }
    }
  }
  return found;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
