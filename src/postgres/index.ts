/**
 * helm-synth/postgres: a release-scoped PostgreSQL (the bitnami/postgresql chart as a dependency,
 * or an external server) and the hook that creates an application's database, role and schema.
 */
export {
  BitnamiImage,
  BitnamiImageRole,
  BitnamiLayout,
  BitnamiPostgresqlVersion,
  InsecureImageCheck,
  PinnedBitnamiVersion,
} from './bitnami-postgresql';
export { DbBootstrapHook, DbBootstrapHookProps, SchemaStep } from './db-bootstrap-hook';
export {
  DatabasePlacement,
  ExternalPostgresOptions,
  ExternalPostgresProps,
  PostgresConnection,
  ReleaseScopedPostgresOptions,
  ReleaseScopedPostgresProps,
  SecretKeyRef,
} from './postgres-connection';
export { PostgresImage, PostgresImages, PostgresPersistence, PostgresRelease, PostgresReleaseProps } from './postgres-release';
