import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ```ts block of README.md. */
export interface ReadmeSnippet {
  /** `readme-<line>`: where the block starts, as a file name. */
  readonly name: string;
  /** The block's first line in README.md. */
  readonly line: number;
  readonly code: string;
}

/** Every ```ts block of the repository's README.md, in order. */
export function readmeSnippets(): ReadmeSnippet[] {
  const lines = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').split('\n');
  const snippets: ReadmeSnippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    snippets.push({ name: `readme-${i + 2}`, line: i + 2, code: `${lines.slice(i + 1, end).join('\n')}\n` });
    i = end;
  }
  return snippets;
}
