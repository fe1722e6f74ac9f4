import { ProjectConfig } from './project-config';

/** `helm-synth plan`: not implemented yet. */
export function printPlan(config: ProjectConfig, args: string[]): number {
  void config;
  void args;
  console.error('plan: not implemented yet');
  return 1;
}
