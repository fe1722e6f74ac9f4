/**
 * helm-synth/postgres: a release-scoped PostgreSQL (the bitnami/postgresql chart as a dependency,
 * or an external server) and the hook that creates an application's database, role and schema.
 */
export { BitnamiImageRole, BitnamiLayout, InsecureImageCheck } from './bitnami-postgresql';
export type { BitnamiImage, BitnamiPostgresqlVersion, PinnedBitnamiVersion } from './bitnami-postgresql';
export { DbBootstrapHook } from './db-bootstrap-hook';
export type { DbBootstrapHookProps, SchemaStep } from './db-bootstrap-hook';
export { DatabasePlacement, PostgresConnection } from './postgres-connection';
export type {
  ExternalPostgresOptions,
  ExternalPostgresProps,
  ReleaseScopedPostgresOptions,
  ReleaseScopedPostgresProps,
  SecretKeyRef,
} from './postgres-connection';
export { PostgresRelease } from './postgres-release';
export type { PostgresImage, PostgresImages, PostgresPersistence, PostgresReleaseProps } from './postgres-release';
