import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Members only synthesis uses are `@internal` (stripped from the published declarations) or not public:
// the API report, which is what users see, does not list them.
// `new Values(...)` being refused (a private constructor) is checked by `npm run api`, which compiles the
// published declarations as a user does.
const REPORT = readFileSync(join(__dirname, '..', '..', 'etc', 'helm-synth.api.md'), 'utf8').replace(/\r\n/g, '\n');

/** The member lines of one class of the report. */
function members(name: string): string[] {
  const body = new RegExp(`^export (?:declare )?(?:abstract )?class ${name}\\b[^\\n]*\\{\\n([\\s\\S]*?)^\\}`, 'm').exec(REPORT);
  if (!body) throw new Error(`no class ${name} in the report`);
  return body[1].split('\n').map((line) => line.trim());
}

test.each([
  ['Values', /^(?:public )?constructor\(/],
  ['Values', /^checkJson\(/],
  ['Values', /^passthroughBoolean\(/],
  ['Condition', /^preview\(/],
  ['Condition', /^implies\(/],
  ['Condition', /\bowners\b/],
  ['Hook', /^static forObject\(/],
  ['Hook', /\bownedOnly\b/],
  ['Token', /\bidText\b/],
])('%s does not publish %s', (name, member) => {
  const lines = members(name);
  expect(lines.length).toBeGreaterThan(3);
  expect(lines.filter((line) => member.test(line))).toEqual([]);
});
