import { HelmSynthError } from '../../src';

/** Runs `action` and expects a HelmSynthError at `path` whose message holds every fragment. */
export function expectHelmSynthError(action: () => unknown, path: string, ...fragments: string[]): HelmSynthError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HelmSynthError);
  const error = caught as HelmSynthError;
  expect(error.constructPath).toBe(path);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}
