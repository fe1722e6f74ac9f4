import { HelmSynthError } from '../errors';

/**
 * A jest snapshot serializer: jest's `expect.addSnapshotSerializer` plugin (or an entry of the
 * `snapshotSerializers` setting).
 */
export interface SnapshotSerializer {
  /** True for the values this serializer prints. */
  test(value: unknown): boolean;
  /** The snapshot text of a value `test` accepted. */
  serialize(value: any): string;
}

/** The part of jest's global `expect` helm-synth/testing calls. */
export interface JestExpect {
  /** `expect(actual)`: the matchers of a value. */
  (actual: unknown): {
    /** Compares the value with its stored snapshot. */
    toMatchSnapshot(hint?: string): void;
  };
  /** Adds a serializer for the snapshots of this test file. */
  addSnapshotSerializer(serializer: SnapshotSerializer): void;
}

/**
 * One of jest's globals, looked up when called, so helm-synth needs jest only in the tests that use
 * these helpers. Throws a HelmSynthError naming `caller` outside a jest test file.
 */
export function jestGlobal<T>(name: 'expect', caller: string): T {
  const value = (globalThis as Record<string, unknown>)[name];
  if (typeof value !== 'function') throw new HelmSynthError(caller, `needs jest's global ${name}: call it from a jest test file`);
  return value as T;
}
