import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputDisk, NODE_FILE_SYSTEM } from '../../src/output/output-fs';
import { OutputLock } from '../../src/output/output-lock';
import { cleanup, tempFolder } from './output-fixtures';

const ROOT = join(__dirname, '..', '..');
const WAITERS = 6;
const ROUNDS = 8;

/**
 * The child: waits for a common start time, takes the output lock through a file system that sleeps
 * a random 0-3 ms around every call (so the waiters interleave at every step of a takeover), logs
 * `enter` and `exit` around 15 ms of holding it, and releases it.
 */
const CHILD = `
const { appendFileSync } = require('node:fs');
const { OutputLock } = require(${JSON.stringify(join(ROOT, 'lib', 'src', 'output', 'output-lock.js'))});
const { OutputDisk, NODE_FILE_SYSTEM } = require(${JSON.stringify(join(ROOT, 'lib', 'src', 'output', 'output-fs.js'))});
const [out, log, start] = process.argv.slice(2);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const jittery = Object.fromEntries(Object.entries(NODE_FILE_SYSTEM).map(([name, call]) => [name, (...args) => {
  sleep(Math.random() * 3);
  try { return call(...args); } finally { sleep(Math.random() * 3); }
}]));
const disk = new OutputDisk(jittery, (p) => p);
while (Date.now() < Number(start)) {}
const lock = OutputLock.acquire(out, disk, { timeoutMs: 60000, pollMs: 2 });
appendFileSync(log, 'enter ' + process.pid + '\\n');
sleep(15);
appendFileSync(log, 'exit ' + process.pid + '\\n');
lock.release();
`;

afterAll(cleanup);

function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

test(`${WAITERS} synths waiting on a dead holder's lock, ${ROUNDS} rounds: one holder at a time, every one gets it, no file left`, async () => {
  const work = tempFolder('helm-synth-lock-race-');
  const child = join(work, 'child.js');
  writeFileSync(child, CHILD);
  for (let round = 0; round < ROUNDS; round++) {
    const out = join(work, `dist-${round}`);
    mkdirSync(out);
    writeFileSync(join(out, '.helm-synth.lock'), JSON.stringify({ pid: deadPid() }));
    const log = join(work, `log-${round}`);
    writeFileSync(log, '');
    const start = Date.now() + 300;
    const exits = await Promise.all(
      Array.from(
        { length: WAITERS },
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const process_ = spawn(process.execPath, [child, out, log, String(start)], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            process_.stderr.on('data', (data) => (stderr += data));
            process_.on('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(exits).toEqual(Array.from({ length: WAITERS }, () => ({ code: 0, stderr: '' })));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2 * WAITERS);
    for (let i = 0; i < lines.length; i += 2) {
      const pid = lines[i].split(' ')[1];
      expect([lines[i], lines[i + 1]]).toEqual([`enter ${pid}`, `exit ${pid}`]);
    }
    expect(new Set(lines.map((line) => line.split(' ')[1])).size).toBe(WAITERS);
    expect(readdirSync(out)).toEqual([]);
  }
}, 120000);

test("a takeover lock left by a waiter that died is moved aside and removed; the next synth takes over the dead holder's lock", () => {
  const out = join(tempFolder('helm-synth-lock-left-'), 'dist');
  mkdirSync(out);
  const dead = JSON.stringify({ pid: deadPid() });
  writeFileSync(join(out, '.helm-synth.lock'), dead);
  writeFileSync(join(out, '..helm-synth.lock.takeover.helm-synth.tmp'), dead);
  writeFileSync(join(out, `..helm-synth.lock.takeover.dead-${deadPid()}-0a1b2c.helm-synth.tmp`), dead);
  const lock = OutputLock.acquire(out, new OutputDisk(NODE_FILE_SYSTEM, (p) => p), { timeoutMs: 2000, pollMs: 5 });
  expect(readdirSync(out)).toEqual(['.helm-synth.lock']);
  expect(JSON.parse(readFileSync(join(out, '.helm-synth.lock'), 'utf8')).pid).toBe(process.pid);
  lock.release();
  expect(readdirSync(out)).toEqual([]);
});
