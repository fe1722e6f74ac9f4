/**
 * Names of the environment variables read by {@link bootstrapScript}.
 * Any other libpq variable (PGSSLMODE, PGSSLROOTCERT, ...) is honoured by psql as usual.
 */
export const BootstrapEnv = {
  /** Server host name (required). */
  host: 'PGHOST',
  /** Server port (default 5432). */
  port: 'PGPORT',
  /** Admin role that creates roles, databases and extensions (required). */
  adminUser: 'PGUSER',
  /** Admin password; read by psql itself, never by the script. */
  adminPassword: 'PGPASSWORD',
  /** Seconds libpq waits for each connection (default 10), so a silent network cannot stall a wait attempt. */
  connectTimeout: 'PGCONNECT_TIMEOUT',
  /** Maintenance database the admin connects to (default `postgres`). */
  adminDatabase: 'ADMIN_DATABASE',
  /** Database to create, owned by the app role (required). */
  appDatabase: 'APP_DATABASE',
  /** Login role to create, or whose password to reset when it exists (required). */
  appUser: 'APP_USER',
  /** Password of the app role (required); read inside psql with `\getenv`. */
  appPassword: 'APP_PASSWORD',
  /** Name of the Helm release that owns the role and database (required); with the namespace it makes the owner marker. */
  releaseName: 'RELEASE_NAME',
  /** Namespace of that release (required). */
  releaseNamespace: 'RELEASE_NAMESPACE',
  /**
   * `true` to take over a role or database that exists without any release's owner marker (made
   * outside helm-synth): the run marks it as this release's and resets the role's password. One
   * marked by another release is never taken. Default `false`: such a run fails before changing anything.
   */
  adoptUnowned: 'ADOPT_UNOWNED',
  /** Space-separated extensions the admin creates in the app database, e.g. `pgcrypto citext`. */
  appExtensions: 'APP_EXTENSIONS',
  /** Directory whose `*.sql` files are applied once each, in byte-wise file-name order, as the app role. */
  stepsDir: 'STEPS_DIR',
  /** Connection attempts before giving up (default 30). */
  waitAttempts: 'WAIT_ATTEMPTS',
  /** Seconds between connection attempts (default 2). */
  waitIntervalSeconds: 'WAIT_INTERVAL_SECONDS',
} as const;

/** Defaults the script applies when an optional variable is unset or empty. */
export const BootstrapDefaults = {
  port: 5432,
  connectTimeoutSeconds: 10,
  adminDatabase: 'postgres',
  waitAttempts: 30,
  waitIntervalSeconds: 2,
} as const;

/**
 * Start of the owner marker the script writes as the comment of the role and the database it
 * manages: `helm-synth release <namespace>/<release>`. A run of another release refuses both.
 */
export const OWNER_MARKER_PREFIX = 'helm-synth release ';

/** The owner marker of a release: the comment `COMMENT ON ROLE` / `COMMENT ON DATABASE` give what it owns. */
export function ownerMarker(releaseNamespace: string, releaseName: string): string {
  return `${OWNER_MARKER_PREFIX}${releaseNamespace}/${releaseName}`;
}

/** Table in the app database recording applied steps: `name text primary key, sha256 text, applied_at timestamptz`. */
export const BOOTSTRAP_STEPS_TABLE = 'public.helm_synth_bootstrap_steps';

/**
 * Advisory lock key (the ASCII bytes of "helmsynt") serializing concurrent runs: held for the whole
 * session in the maintenance database, and per transaction in the app database.
 */
export const BOOTSTRAP_LOCK_KEY = '7522537969936854644';

/**
 * A static POSIX sh script (dash, busybox ash) for `["/bin/sh", "-c", script]` in a postgres:15+ image.
 * It waits for the server, checks that the app role and database, where they exist, carry this release's
 * owner marker (see {@link OWNER_MARKER_PREFIX}; ADOPT_UNOWNED takes over unmarked ones) and fails before
 * changing anything otherwise, then ensures the app role (password always reset to APP_PASSWORD), the app
 * database owned by it and its grants, both marked, creates APP_EXTENSIONS, then applies STEPS_DIR/*.sql once
 * each. All input comes from {@link BootstrapEnv}; nothing is spliced into the script and no secret is printed.
 */
export function bootstrapScript(): string {
  return SCRIPT;
}

const SCRIPT = String.raw`LC_ALL=C
PGAPPNAME=helm-synth-bootstrap
export LC_ALL PGAPPNAME

log() {
  printf 'bootstrap: %s\n' "$*"
}

fail() {
  printf 'bootstrap: %s\n' "$*" >&2
  exit 1
}

psql_in() {
  PGDATABASE=$1 psql -X -w -q -v ON_ERROR_STOP=1
}

[ -n "$PGHOST" ] || fail "PGHOST is required"
[ -n "$PGUSER" ] || fail "PGUSER is required"
[ -n "$APP_DATABASE" ] || fail "APP_DATABASE is required"
[ -n "$APP_USER" ] || fail "APP_USER is required"
[ -n "$APP_PASSWORD" ] || fail "APP_PASSWORD is required"
[ -n "$RELEASE_NAME" ] || fail "RELEASE_NAME is required"
[ -n "$RELEASE_NAMESPACE" ] || fail "RELEASE_NAMESPACE is required"
[ -n "$ADOPT_UNOWNED" ] || ADOPT_UNOWNED=false
case $ADOPT_UNOWNED in
  true | false) ;;
  *) fail "ADOPT_UNOWNED must be true or false" ;;
esac
BOOTSTRAP_OWNER_MARKER="${OWNER_MARKER_PREFIX}$RELEASE_NAMESPACE/$RELEASE_NAME"
[ "$APP_USER" != "$PGUSER" ] || fail "APP_USER must differ from the admin user PGUSER"
[ -n "$PGPORT" ] || PGPORT=${BootstrapDefaults.port}
[ -n "$PGCONNECT_TIMEOUT" ] || PGCONNECT_TIMEOUT=${BootstrapDefaults.connectTimeoutSeconds}
[ -n "$ADMIN_DATABASE" ] || ADMIN_DATABASE=${BootstrapDefaults.adminDatabase}
[ -n "$WAIT_ATTEMPTS" ] || WAIT_ATTEMPTS=${BootstrapDefaults.waitAttempts}
[ -n "$WAIT_INTERVAL_SECONDS" ] || WAIT_INTERVAL_SECONDS=${BootstrapDefaults.waitIntervalSeconds}
case $WAIT_ATTEMPTS in
  *[!0-9]*) fail "WAIT_ATTEMPTS must be a positive integer" ;;
esac
[ "$WAIT_ATTEMPTS" -ge 1 ] || fail "WAIT_ATTEMPTS must be a positive integer"
case $WAIT_INTERVAL_SECONDS in
  *[!0-9]*) fail "WAIT_INTERVAL_SECONDS must be a whole number of seconds" ;;
esac
export PGHOST PGPORT PGUSER PGCONNECT_TIMEOUT APP_DATABASE APP_USER APP_PASSWORD BOOTSTRAP_OWNER_MARKER ADOPT_UNOWNED

psql_major=$(psql --version 2>/dev/null | sed -n 's/^psql (PostgreSQL) \([0-9][0-9]*\).*/\1/p')
[ -n "$psql_major" ] || fail "psql not found on PATH"
[ "$psql_major" -ge 15 ] || fail "psql 15 or newer is required for \getenv (found $psql_major)"

attempt=1
while :; do
  if connect_error=$(PGDATABASE=$ADMIN_DATABASE psql -X -w -q -At -c 'select 1' 2>&1 >/dev/null); then
    break
  fi
  case $connect_error in
    *"password authentication failed"*)
      fail "cannot log in as \"$PGUSER\": password authentication failed" ;;
    *"authentication failed"* | *"no password supplied"* | *"pg_hba.conf"* | *"does not exist"*)
      fail "cannot log in as \"$PGUSER\" to database \"$ADMIN_DATABASE\": $connect_error" ;;
  esac
  if [ "$attempt" -ge "$WAIT_ATTEMPTS" ]; then
    fail "gave up waiting for postgres at $PGHOST:$PGPORT after $WAIT_ATTEMPTS attempts: $connect_error"
  fi
  log "waiting for postgres at $PGHOST:$PGPORT ($attempt/$WAIT_ATTEMPTS)"
  sleep "$WAIT_INTERVAL_SECONDS"
  attempt=$((attempt + 1))
done

psql_in "$ADMIN_DATABASE" <<'SQL' || fail "could not ensure role \"$APP_USER\" and database \"$APP_DATABASE\" for release $RELEASE_NAMESPACE/$RELEASE_NAME"
\set VERBOSITY terse
\set SHOW_CONTEXT never
\getenv app_user APP_USER
\getenv app_database APP_DATABASE
\getenv app_password APP_PASSWORD
\getenv owner_marker BOOTSTRAP_OWNER_MARKER
\getenv adopt_unowned ADOPT_UNOWNED
SELECT count(set_config(name, CASE name WHEN 'log_statement' THEN 'none' WHEN 'log_min_error_statement' THEN 'panic' ELSE '-1' END, false)) AS quieted_log_settings
  FROM pg_settings
 WHERE name IN ('log_statement', 'log_min_error_statement', 'log_min_duration_statement', 'log_min_duration_sample')
   AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \gset
SELECT 1 AS bootstrap_lock FROM pg_advisory_lock(${BOOTSTRAP_LOCK_KEY}) \gset
SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') AS role_exists,
       coalesce((SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = :'app_user'), '') = :'owner_marker' AS role_marked \gset
BEGIN;
SELECT set_config('helm_synth.app_user', :'app_user', true) IS NOT NULL AS app_user_staged,
       set_config('helm_synth.app_database', :'app_database', true) IS NOT NULL AS app_database_staged,
       set_config('helm_synth.owner_marker', :'owner_marker', true) IS NOT NULL AS owner_marker_staged,
       set_config('helm_synth.adopt_unowned', :'adopt_unowned', true) IS NOT NULL AS adopt_unowned_staged \gset
DO $owner$
DECLARE
  marker text := current_setting('helm_synth.owner_marker');
  adopt boolean := current_setting('helm_synth.adopt_unowned') = 'true';
  prefix text := '${OWNER_MARKER_PREFIX}';
  this_release text := substr(marker, length(prefix) + 1);
  kind text;
  object_name text;
  found_oid oid;
  found_marker text;
BEGIN
  FOREACH kind IN ARRAY ARRAY['role', 'database'] LOOP
    IF kind = 'role' THEN
      object_name := current_setting('helm_synth.app_user');
      SELECT oid, shobj_description(oid, 'pg_authid') INTO found_oid, found_marker FROM pg_roles WHERE rolname = object_name;
    ELSE
      object_name := current_setting('helm_synth.app_database');
      SELECT oid, shobj_description(oid, 'pg_database') INTO found_oid, found_marker FROM pg_database WHERE datname = object_name;
    END IF;
    CONTINUE WHEN found_oid IS NULL OR found_marker IS NOT DISTINCT FROM marker;
    IF left(coalesce(found_marker, ''), length(prefix)) = prefix THEN
      RAISE EXCEPTION '% % belongs to release %, not to release %: nothing was changed. Give this release another %, or, once release % is gone, clear the marker (COMMENT ON % % IS NULL) and run with ADOPT_UNOWNED=true',
        kind, format('"%s"', replace(object_name, '"', '""')), substr(found_marker, length(prefix) + 1), this_release,
        CASE kind WHEN 'role' THEN 'user' ELSE 'database' END, substr(found_marker, length(prefix) + 1), upper(kind), format('"%s"', replace(object_name, '"', '""'));
    ELSIF NOT adopt THEN
      RAISE EXCEPTION '% % exists but no helm-synth release owns it (made outside helm-synth): nothing was changed. To make it release %''s (the run then resets the app role''s password), run once with ADOPT_UNOWNED=true',
        kind, format('"%s"', replace(object_name, '"', '""')), this_release;
    END IF;
  END LOOP;
END
$owner$;
SELECT set_config('helm_synth.app_password', :'app_password', true) IS NOT NULL AS app_password_staged \gset
\unset app_password
DO $role$
DECLARE
  app_user text := current_setting('helm_synth.app_user');
  app_password text := current_setting('helm_synth.app_password');
  marker text := current_setting('helm_synth.owner_marker');
  app_role pg_roles%ROWTYPE;
BEGIN
  SELECT * INTO app_role FROM pg_roles WHERE rolname = app_user;
  IF NOT FOUND THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I WITH LOGIN PASSWORD %L', app_user, app_password);
    EXCEPTION WHEN OTHERS THEN
      RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('cannot create role %I: %s', app_user, SQLERRM);
    END;
  ELSIF app_role.rolsuper THEN
    RAISE EXCEPTION 'role % is a superuser; refusing to manage its password', quote_ident(app_user);
  ELSE
    BEGIN
      EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', app_user, app_password);
    EXCEPTION WHEN OTHERS THEN
      RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('cannot update role %I: %s', app_user, SQLERRM);
    END;
  END IF;
  IF shobj_description((SELECT oid FROM pg_roles WHERE rolname = app_user), 'pg_authid') IS DISTINCT FROM marker THEN
    EXECUTE format('COMMENT ON ROLE %I IS %L', app_user, marker);
  END IF;
END
$role$;
COMMIT;
\if :role_exists
\if :role_marked
\else
\echo bootstrap: role :"app_user" adopted by :owner_marker
\endif
\echo bootstrap: role :"app_user" exists, password updated
\else
\echo bootstrap: role :"app_user" created
\endif
SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_database') AS database_missing,
       coalesce((SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :'app_database'), '') = :'owner_marker' AS database_marked \gset
\if :database_missing
CREATE DATABASE :"app_database" OWNER :"app_user";
COMMENT ON DATABASE :"app_database" IS :'owner_marker';
\echo bootstrap: database :"app_database" created
\else
\if :database_marked
\else
COMMENT ON DATABASE :"app_database" IS :'owner_marker';
\echo bootstrap: database :"app_database" adopted by :owner_marker
\endif
\echo bootstrap: database :"app_database" exists
\endif
GRANT ALL ON DATABASE :"app_database" TO :"app_user";
\echo bootstrap: all privileges on database :"app_database" granted to :"app_user"
SQL

unset APP_PASSWORD

set -f
for extension in $APP_EXTENSIONS; do
  BOOTSTRAP_EXTENSION=$extension
  export BOOTSTRAP_EXTENSION
  psql_in "$APP_DATABASE" <<'SQL' || fail "could not create extension \"$extension\" in database \"$APP_DATABASE\""
\getenv extension_name BOOTSTRAP_EXTENSION
BEGIN;
SELECT 1 AS bootstrap_lock FROM pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY}) \gset
SELECT EXISTS (SELECT FROM pg_extension WHERE extname = :'extension_name') AS extension_exists \gset
\if :extension_exists
\else
CREATE EXTENSION :"extension_name";
\endif
COMMIT;
\if :extension_exists
\echo bootstrap: extension :"extension_name" exists
\else
\echo bootstrap: extension :"extension_name" created
\endif
SQL
done
set +f

if [ -n "$STEPS_DIR" ]; then
  [ -d "$STEPS_DIR" ] || fail "STEPS_DIR $STEPS_DIR is not a directory"
  psql_in "$APP_DATABASE" <<'SQL' || fail "could not create ${BOOTSTRAP_STEPS_TABLE} in database \"$APP_DATABASE\""
\getenv app_user APP_USER
BEGIN;
SELECT 1 AS bootstrap_lock FROM pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY}) \gset
SELECT to_regclass('${BOOTSTRAP_STEPS_TABLE}') IS NULL AS steps_table_missing \gset
\if :steps_table_missing
SET LOCAL ROLE :"app_user";
CREATE TABLE ${BOOTSTRAP_STEPS_TABLE} (
  name text PRIMARY KEY,
  sha256 text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE ${BOOTSTRAP_STEPS_TABLE} IS 'Schema steps applied by the helm-synth bootstrap Job; steps are append-only';
\endif
COMMIT;
SQL

  for step_file in "$STEPS_DIR"/*.sql; do
    [ -f "$step_file" ] || continue
    BOOTSTRAP_STEP_FILE=$step_file
    BOOTSTRAP_STEP_NAME=$(basename "$step_file")
    BOOTSTRAP_STEP_SHA256=$(sha256sum < "$step_file" | cut -d ' ' -f 1)
    [ -n "$BOOTSTRAP_STEP_SHA256" ] || fail "cannot read step $BOOTSTRAP_STEP_NAME"
    export BOOTSTRAP_STEP_FILE BOOTSTRAP_STEP_NAME BOOTSTRAP_STEP_SHA256
    psql_in "$APP_DATABASE" <<'SQL' || fail "step $BOOTSTRAP_STEP_NAME failed; nothing from it was committed"
\getenv app_user APP_USER
\getenv step_file BOOTSTRAP_STEP_FILE
\getenv step_name BOOTSTRAP_STEP_NAME
\getenv step_sha256 BOOTSTRAP_STEP_SHA256
BEGIN;
SELECT 1 AS bootstrap_lock FROM pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY}) \gset
SELECT count(*) > 0 AS step_applied, coalesce(bool_or(sha256 <> :'step_sha256'), false) AS step_changed
  FROM ${BOOTSTRAP_STEPS_TABLE}
 WHERE name = :'step_name' \gset
\if :step_changed
SELECT set_config('helm_synth.step_name', :'step_name', true) IS NOT NULL AS step_name_staged,
       set_config('helm_synth.step_sha256', :'step_sha256', true) IS NOT NULL AS step_sha256_staged \gset
DO $changed$
DECLARE
  step_name text := current_setting('helm_synth.step_name');
BEGIN
  RAISE EXCEPTION 'step % was changed after it was applied (applied sha256 %, file sha256 %); applied steps are append-only, add a new step file instead',
    step_name,
    (SELECT sha256 FROM ${BOOTSTRAP_STEPS_TABLE} WHERE name = step_name),
    current_setting('helm_synth.step_sha256');
END
$changed$;
\endif
\if :step_applied
\else
SET LOCAL ROLE :"app_user";
\o /dev/null
\i :step_file
\o
SET LOCAL ROLE :"app_user";
INSERT INTO ${BOOTSTRAP_STEPS_TABLE} (name, sha256) VALUES (:'step_name', :'step_sha256');
\endif
COMMIT;
\if :step_applied
\echo bootstrap: step :step_name already applied
\else
\echo bootstrap: step :step_name applied
\endif
SQL
  done
fi

log done
`;
