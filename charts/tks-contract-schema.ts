import { SchemaStep } from '../src/postgres';

/**
 * The tks-contract schema, as the seed's hand-written hook created it, in steps the bootstrap Job
 * applies once each as the `tksuser` role. Every statement also tolerates objects that already
 * exist (a database the seed's hook prepared). PostgreSQL 11 compatible: `gen_random_uuid()` comes
 * from pgcrypto there, which the Job creates before the steps.
 */
export const TKS_CONTRACT_SCHEMA: readonly SchemaStep[] = [
  {
    name: '001-contracts',
    sql: `CREATE TABLE IF NOT EXISTS contracts (
  contractor_name varchar(50),
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  available_services varchar(50)[],
  updated_at timestamptz,
  created_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_contractor_name ON contracts (contractor_name);
ALTER TABLE contracts CLUSTER ON idx_contractor_name;
`,
  },
  {
    name: '002-contracts-tester',
    sql: `INSERT INTO contracts (contractor_name, id, available_services, updated_at, created_at)
VALUES ('tester', 'edcaa975-dde4-4c4d-94f7-36bc38fe7064', ARRAY['lma'], '2021-05-01 00:00:00+00', '2021-05-01 00:00:00+00')
ON CONFLICT (contractor_name) DO NOTHING;
CLUSTER contracts;
`,
  },
  {
    name: '003-resource-quota',
    sql: `CREATE TABLE IF NOT EXISTS resource_quota (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cpu bigint,
  memory bigint,
  block bigint,
  block_ssd bigint,
  fs bigint,
  fs_ssd bigint,
  contract_id uuid,
  updated_at timestamptz,
  created_at timestamptz
);
`,
  },
];
