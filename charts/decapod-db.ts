import { Construct } from 'constructs';
import { PostgresRelease } from '../src/postgres';

/**
 * The seed's PostgreSQL: bitnami/postgresql 10.8.0, installed as release `postgresql` in namespace
 * `decapod-db`, admin user `postgres`, data on a 10Gi volume of storage class `rbd`. Its password
 * is given at install time (see the chart's README), never in values.yaml.
 */
export function decapodDb(scope: Construct): PostgresRelease {
  return PostgresRelease.standaloneChart(
    scope,
    'decapod-db',
    {
      version: '0.1.0',
      appVersion: '11.12.0',
      description: 'PostgreSQL (bitnami/postgresql 10.8.0) for the TKS services.',
      install: { releaseName: 'postgresql', namespace: 'decapod-db' },
      maintainers: [{ name: 'Platform team', email: 'platform@example.com' }],
    },
    {
      chartVersion: '10.8.0',
      persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
    },
  );
}
