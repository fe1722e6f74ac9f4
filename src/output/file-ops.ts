import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { errorCode } from './output-error';
import { NODE_FILE_SYSTEM, OutputFileSystem } from './output-fs';

/** One file-system step of a write: create a folder (an existing one is fine), create a new file, or rename over a target. */
export type FileOp =
  | { readonly kind: 'mkdir'; readonly path: string }
  | { readonly kind: 'write'; readonly path: string; readonly content: string }
  | { readonly kind: 'rename'; readonly from: string; readonly path: string };

/** What a batch of waves did: per wave, the indexes of the ops that took effect, and the first failure. */
export interface FileOpsOutcome {
  readonly done: ReadonlyArray<readonly number[]>;
  readonly failure?: { readonly wave: number; readonly index: number; readonly error: Error };
}

/** How long the rest of the ops may be expected to take one at a time before a worker thread is worth its start (~40 ms). */
const OFFLOAD_MS = 250;
/** Ops timed before deciding. */
const SAMPLE_OPS = 128;
const LANES = 8;
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;
/** The writer thread holds no more than the contents, which are handed over (transferred), not copied: small heaps keep the process's peak memory down. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 };

/** Tuning of runFileOps, for tests. */
export interface FileOpsTuning {
  /** Hand the remaining ops to a worker thread when they would take longer than this one at a time. @default 250 */
  readonly offloadMs?: number;
}

/**
 * Runs waves of ops: the ops of one wave in any order, a wave only after the previous one
 * succeeded. After the first failure no new op starts, and no further wave.
 *
 * With `fs` given, every op is one call through it. Without, Node's fs is called one op at a time
 * (the cheapest on an idle disk: about 40 µs per new file), timing the first ops; when the rest
 * would take longer than `offloadMs` (file creation waiting on a busy disk), the rest goes to a
 * worker thread that keeps several ops in flight while this thread waits, so the API stays synchronous.
 */
export function runFileOps(waves: ReadonlyArray<readonly FileOp[]>, fs?: OutputFileSystem, tuning: FileOpsTuning = {}): FileOpsOutcome {
  const total = waves.reduce((n, wave) => n + wave.length, 0);
  const offloadMs = fs === undefined ? (tuning.offloadMs ?? OFFLOAD_MS) : Infinity;
  const calls = fs ?? NODE_FILE_SYSTEM;
  const done: number[][] = [];
  const started = process.hrtime.bigint();
  let count = 0;
  for (const [w, wave] of waves.entries()) {
    const ok: number[] = [];
    done.push(ok);
    for (const [i, op] of wave.entries()) {
      if (count >= SAMPLE_OPS && count % 32 === 0 && total - count > SAMPLE_OPS) {
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        if ((total - count) * (elapsedMs / count) > offloadMs) return offload(waves, w, i, done);
      }
      count++;
      try {
        if (runOne(op, calls)) ok.push(i);
      } catch (error) {
        return { done, failure: { wave: w, index: i, error: error as Error } };
      }
    }
  }
  return { done };
}

/** Runs the ops from wave `w`, op `i` on in a worker thread and merges what it did into `done`. */
function offload(waves: ReadonlyArray<readonly FileOp[]>, w: number, i: number, done: number[][]): FileOpsOutcome {
  const rest = [waves[w].slice(i), ...waves.slice(w + 1)];
  const outcome = runInWorker(rest);
  outcome.done.forEach((indexes, k) => {
    if (k === 0) done[w].push(...indexes.map((j) => j + i));
    else done.push([...indexes]);
  });
  if (!outcome.failure) return { done };
  const { wave, index, error } = outcome.failure;
  return { done, failure: { wave: wave + w, index: wave === 0 ? index + i : index, error } };
}

/** Runs one op; returns whether it took effect (an existing folder is fine, and not counted). */
function runOne(op: FileOp, fs: OutputFileSystem): boolean {
  if (op.kind === 'mkdir') {
    try {
      fs.mkdirSync(op.path);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    }
  } else if (op.kind === 'write') {
    fs.writeFileSync(op.path, op.content, { flag: 'wx' });
  } else {
    fs.renameSync(op.from, op.path);
  }
  return true;
}

const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { waves, signal, port, lanes } = workerData;
const finish = (result) => { port.postMessage(result); Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); };
const call = (f, ...args) => new Promise((resolve, reject) => f(...args, (e) => (e ? reject(e) : resolve())));
process.on('uncaughtException', (e) => {
  finish({ done: [], failure: { wave: -1, index: -1, code: e && e.code, message: String(e && e.message) } });
});
(async () => {
  const done = [];
  for (let w = 0; w < waves.length; w++) {
    const ops = waves[w];
    const ok = [];
    done.push(ok);
    let next = 0;
    let failure;
    const lane = async () => {
      while (!failure && next < ops.length) {
        const i = next++;
        const op = ops[i];
        try {
          if (op.kind === 'mkdir') {
            try { await call(fs.mkdir, op.path); } catch (e) { if (e.code === 'EEXIST') continue; throw e; }
          } else if (op.kind === 'write') {
            await call(fs.writeFile, op.path, op.content, { flag: 'wx' });
          } else {
            await call(fs.rename, op.from, op.path);
          }
          ok.push(i);
        } catch (e) {
          failure = failure || { wave: w, index: i, code: e.code, message: e.message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, ops.length) }, lane));
    ok.sort((a, b) => a - b);
    if (failure) return finish({ done, failure });
  }
  finish({ done });
})();
`;

interface WorkerResult {
  done: number[][];
  failure?: { wave: number; index: number; code?: string; message: string };
}

/** Runs the waves on a worker thread while this thread waits: the caller's API stays synchronous. */
function runInWorker(waves: ReadonlyArray<readonly FileOp[]>): FileOpsOutcome {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const encoder = new TextEncoder();
  const transfer: ArrayBuffer[] = [];
  const encoded = waves.map((wave) =>
    wave.map((op) => {
      if (op.kind !== 'write') return op;
      const content = encoder.encode(op.content);
      transfer.push(content.buffer as ArrayBuffer);
      return { ...op, content };
    }),
  );
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { waves: encoded, signal, port: port2, lanes: LANES },
    transferList: [port2, ...transfer],
    resourceLimits: WORKER_LIMITS,
  });
  worker.unref();
  try {
    const started = Date.now();
    while (Atomics.wait(signal, 0, 0, 1000) === 'timed-out') {
      if (Date.now() - started > WORKER_TIMEOUT_MS) throw new Error('the file writer thread did not finish in 10 minutes');
    }
    const result = receiveMessageOnPort(port1)?.message as WorkerResult | undefined;
    if (!result) throw new Error('the file writer thread finished without a result');
    if (!result.failure) return { done: result.done };
    const { wave, index, code, message } = result.failure;
    if (wave < 0) throw new Error(`the file writer thread failed: ${message}`);
    return { done: result.done, failure: { wave, index, error: Object.assign(new Error(message), { code }) } };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
