import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/api/src/database/entities.js';
import { InitialSchema1764316800000 } from './1764316800000-initial-schema.js';
import { LedgerAppendOnly1764316800001 } from './1764316800001-ledger-append-only.js';
import { ApplicationRole1764316800002 } from './1764316800002-application-role.js';
import { AppendContext1764316800003 } from './1764316800003-append-context.js';
import { SetBasedAppendCheck1764316800004 } from './1764316800004-set-based-append-check.js';
import { BookProjections1764316800005 } from './1764316800005-book-projections.js';
import { TransparencyLog1764316800100 } from './1764316800100-transparency-log.js';
import { EvidenceMedia1764316800200 } from './1764316800200-evidence-media.js';
import { LedgerFacts1764316800300 } from './1764316800300-ledger-facts.js';
import { ProgressReports1764316800310 } from './1764316800310-progress-reports.js';
import { BeneficiaryRecords1764316800400 } from './1764316800400-beneficiary-records.js';
import { LedgerFactRollups1764316800500 } from './1764316800500-ledger-fact-rollups.js';
import { LedgerFactMonthRollup1764316800600 } from './1764316800600-ledger-fact-month-rollup.js';

export { APPLICATION_ROLE } from './1764316800002-application-role.js';

/** Every migration in order, listed as classes so that bundling keeps them. */
export const MIGRATIONS = [
  InitialSchema1764316800000,
  LedgerAppendOnly1764316800001,
  ApplicationRole1764316800002,
  AppendContext1764316800003,
  SetBasedAppendCheck1764316800004,
  BookProjections1764316800005,
  TransparencyLog1764316800100,
  EvidenceMedia1764316800200,
  LedgerFacts1764316800300,
  ProgressReports1764316800310,
  BeneficiaryRecords1764316800400,
  LedgerFactRollups1764316800500,
  LedgerFactMonthRollup1764316800600,
];

/** A DataSource that applies migrations as the schema owner. `synchronize` is never on. */
export function createMigrationDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: ['error'],
  });
}
