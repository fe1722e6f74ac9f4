export * from './helm-runner';
export * from './manifests';
