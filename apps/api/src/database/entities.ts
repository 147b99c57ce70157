import { ApiKeyEntity } from '../auth/api-key.entity.js';
import { BENEFICIARY_RECORD_ENTITIES } from '../beneficiary-records/beneficiary-records.entities.js';
import { BOOK_ENTITIES } from '../books/book.entities.js';
import { CharityEntity } from '../charities/charity.entity.js';
import { DonorIdentityEntity } from '../donations/donor-identity.entity.js';
import { LedgerFactDayEntity, LedgerFactMonthEntity, LedgerReachDayEntity } from '../figures/ledger-fact-rollup.entity.js';
import { LedgerFactEntity } from '../figures/ledger-fact.entity.js';
import { LedgerEntryEntity } from '../ledger/ledger-entry.entity.js';
import { MEDIA_ENTITIES } from '../media/media.entities.js';
import { ProgressReportEntity } from '../reports/progress-report.entity.js';
import { ReceiptCodeEntity } from '../tracing/receipt-code.entity.js';
import { TRANSPARENCY_ENTITIES } from '../transparency/transparency.entities.js';

/** Every entity, listed as classes so that any bundling keeps them. */
export const ENTITIES = [
  CharityEntity,
  ApiKeyEntity,
  LedgerEntryEntity,
  DonorIdentityEntity,
  ...BOOK_ENTITIES,
  ReceiptCodeEntity,
  ...TRANSPARENCY_ENTITIES,
  ...MEDIA_ENTITIES,
  LedgerFactEntity,
  LedgerFactDayEntity,
  LedgerFactMonthEntity,
  LedgerReachDayEntity,
  ...BENEFICIARY_RECORD_ENTITIES,
  ProgressReportEntity,
];
