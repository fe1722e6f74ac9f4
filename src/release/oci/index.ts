export * from './oci-reference';
export * from './registry-credentials';
export * from './registry-client';
export * from './helm-oci-manifest';
export * from './push-chart';
export * from './pull-chart';
