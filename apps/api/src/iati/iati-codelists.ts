import type { ProjectCategory } from '@charity-ledger/ledger-core';
import { CharityKind } from '../charities/charity.entity.js';

/**
 * The IATI 2.03 codelist values the export uses, each with the list it comes from
 * (https://iatistandard.org/en/iati-standard/203/codelists/). Nothing here is made
 * up: where no code fits, the export leaves the element out. docs/iati.md explains
 * each choice.
 */

/**
 * OrganisationRegistrationAgency (org-id.guide): CN-USCI, China's unified social
 * credit identifier (统一社会信用代码, GB 32100-2015), issued to every registered
 * organisation, companies and charities alike. An organisation identifier is
 * `CN-USCI-<the 18-character code>`.
 */
export const REGISTRATION_AGENCY = 'CN-USCI';

export function organisationIdentifier(creditCode: string): string {
  return `${REGISTRATION_AGENCY}-${creditCode}`;
}

/**
 * Suffix of the activity that holds a charity's unrestricted and purpose-restricted
 * gifts and its costs as a whole. A project id starts with a letter or digit, so
 * no project can ever take it.
 */
export const GENERAL_ACTIVITY_SUFFIX = '_GENERAL';

/** OrganisationType: 60 Foundation; 22 National NGO for 社会团体 and 社会服务机构. */
export const ORGANISATION_TYPE: Readonly<Record<CharityKind, string>> = {
  [CharityKind.PUBLIC_FUNDRAISING_FOUNDATION]: '60',
  [CharityKind.NON_PUBLIC_FUNDRAISING_FOUNDATION]: '60',
  [CharityKind.SOCIAL_ORGANISATION]: '22',
  [CharityKind.SOCIAL_SERVICE_AGENCY]: '22',
};

/** OrganisationRole. */
export const ROLE = { ACCOUNTABLE: '2', IMPLEMENTING: '4' } as const;

/** ActivityStatus. */
export const ACTIVITY_STATUS = { PIPELINE: '1', IMPLEMENTATION: '2', FINALISATION: '3', CLOSED: '4' } as const;

/** ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end. */
export const ACTIVITY_DATE = { PLANNED_START: '1', ACTUAL_START: '2', PLANNED_END: '3', ACTUAL_END: '4' } as const;

/** ActivityScope 7: sub-national, a single second-level administrative area (Shenzhen, a prefecture-level city). */
export const SCOPE_SINGLE_SECOND_LEVEL_AREA = '7';

/** TransactionType (2.03). */
export const TRANSACTION_TYPE = { INCOMING_FUNDS: '1', DISBURSEMENT: '3', EXPENDITURE: '4' } as const;

/** BudgetType 1 original; BudgetStatus 1 indicative (a project's budget is a plan, not a commitment). */
export const BUDGET = { ORIGINAL: '1', INDICATIVE: '1' } as const;

/** SectorVocabulary 1: OECD DAC CRS purpose codes (5 digits). */
export const SECTOR_VOCABULARY_DAC5 = '1';

/**
 * ProjectCategory → DAC 5-digit purpose code.
 * - MEDICAL_AID 12191 Medical services: treatment of serious illness (大病救助), not primary care.
 * - DISABILITY_SUPPORT, ELDERLY_CARE, CHILD_WELFARE, POVERTY_RELIEF 16010 Social protection:
 *   the DAC code for social assistance and care of people with disabilities, the elderly,
 *   children and low-income households.
 * - DISASTER_RELIEF 72010 Material relief assistance and services.
 * - EDUCATION 11120 Education facilities and training (materials, subsidiary services;
 *   the level of schooling is not recorded).
 * - OTHER 99810 Sectors not specified.
 */
export const DAC_SECTOR: Readonly<Record<ProjectCategory, string>> = {
  MEDICAL_AID: '12191',
  DISABILITY_SUPPORT: '16010',
  ELDERLY_CARE: '16010',
  CHILD_WELFARE: '16010',
  POVERTY_RELIEF: '16010',
  DISASTER_RELIEF: '72010',
  EDUCATION: '11120',
  OTHER: '99810',
};

/** The general activity's sector: its money serves every project. */
export const SECTOR_NOT_SPECIFIED = '99810';

/** GeographicLocationReach 1: where the activity is carried out. */
export const LOCATION_REACH_ACTIVITY = '1';
/** GeographicLocationClass 1: an administrative region. */
export const LOCATION_CLASS_ADMINISTRATIVE = '1';
/** GeographicVocabulary A4: ISO 3166-1 alpha-2 country codes. */
export const GEOGRAPHIC_VOCABULARY_ISO_COUNTRY = 'A4';
/**
 * LocationType (GeoNames feature codes): a Shenzhen district (区) is a county-level
 * division, ADM3 (province ADM1, prefecture-level city ADM2); a street (街道) ADM4.
 */
export const FEATURE_DESIGNATION = { DISTRICT: 'ADM3', STREET: 'ADM4' } as const;

/** ResultType 1: output (what a progress report's indicators count: people reached, items delivered). */
export const RESULT_TYPE_OUTPUT = '1';
/** IndicatorMeasure 1 unit, 5 qualitative. */
export const INDICATOR_MEASURE = { UNIT: '1', QUALITATIVE: '5' } as const;
/** DocumentCategory A08: results, outcomes and outputs (the photos and videos of a progress report). */
export const DOCUMENT_CATEGORY_RESULTS = 'A08';

/** ISO 639-1 language of every narrative. */
export const NARRATIVE_LANGUAGE = 'zh';
