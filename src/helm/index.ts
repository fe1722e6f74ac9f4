export * from './helm-runner';
export * from './manifests';
export * from './coalesce-values';
