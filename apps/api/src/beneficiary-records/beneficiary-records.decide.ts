import { DomainError } from '../common/domain-error.js';
import { chinaDate, dateInput } from '../common/input-values.js';
import { regionPayload } from '../regions/region-input.js';
import type { RegionRecord } from '../regions/regions.js';
import { BENEFICIARY_PSEUDONYM } from './beneficiary-crypto.js';
import { BeneficiaryCategoryKind, type EnrollBeneficiaryInput } from './dto/enroll-beneficiary.input.js';
import { IdDocumentType, idNumberProblem, normalizeIdNumber, residentIdBirthDate, statesBirthDate } from './identity-documents.js';

/** What is sealed for one person: the enrollment's personal data, normalized. */
export interface PersonalRecord {
  name: string;
  idDocument: { type: IdDocumentType; number: string };
  dateOfBirth: string;
  contact: { phone?: string; address?: string; guardian?: string } | null;
  categories: Array<{ kind: BeneficiaryCategoryKind; disabilityLevel?: number; description?: string }>;
  region: RegionRecord;
}

const CATEGORY_ORDER = Object.values(BeneficiaryCategoryKind);
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** The personal record an enrollment stores, or BAD_USER_INPUT naming the field. Pure; the clock is passed in. */
export function decideEnrollment(input: EnrollBeneficiaryInput, now: Date): PersonalRecord {
  const number = normalizeIdNumber(input.idDocument.number);
  const problem = idNumberProblem(input.idDocument.type, number);
  if (problem) throw DomainError.badInput('input.idDocument.number', problem);

  const dateOfBirth = dateInput(input.dateOfBirth, 'input.dateOfBirth');
  if (dateOfBirth > chinaDate(now)) throw DomainError.badInput('input.dateOfBirth', 'is in the future');
  if (dateOfBirth < EARLIEST_BIRTH_DATE) throw DomainError.badInput('input.dateOfBirth', `is before ${EARLIEST_BIRTH_DATE}`);
  if (statesBirthDate(input.idDocument.type) && residentIdBirthDate(number) !== dateOfBirth) {
    throw DomainError.badInput('input.dateOfBirth', 'is not the date of birth in the ID number (characters 7–14)');
  }

  const seen = new Set<BeneficiaryCategoryKind>();
  const categories = input.categories.map((category, index) => {
    const field = `input.categories[${index}]`;
    if (seen.has(category.kind)) throw DomainError.badInput(`${field}.kind`, `${category.kind} is listed twice`);
    seen.add(category.kind);
    const isDisability = category.kind === BeneficiaryCategoryKind.DISABILITY;
    if (isDisability && category.disabilityLevel === undefined) throw DomainError.badInput(`${field}.disabilityLevel`, 'is required for DISABILITY (1 to 4)');
    if (!isDisability && category.disabilityLevel !== undefined) throw DomainError.badInput(`${field}.disabilityLevel`, 'is only for DISABILITY');
    if (category.kind === BeneficiaryCategoryKind.OTHER && category.description === undefined) {
      throw DomainError.badInput(`${field}.description`, 'is required for OTHER');
    }
    return {
      kind: category.kind,
      ...(isDisability ? { disabilityLevel: category.disabilityLevel } : {}),
      ...(category.description !== undefined ? { description: category.description.trim() } : {}),
    };
  });
  categories.sort((a, b) => CATEGORY_ORDER.indexOf(a.kind) - CATEGORY_ORDER.indexOf(b.kind));

  const contact = input.contact
    ? {
        ...(input.contact.phone !== undefined ? { phone: input.contact.phone.replace(/[\s-]/g, '') } : {}),
        ...(input.contact.address !== undefined ? { address: input.contact.address.trim() } : {}),
        ...(input.contact.guardian !== undefined ? { guardian: input.contact.guardian.trim() } : {}),
      }
    : null;

  return {
    name: input.name.normalize('NFC').trim(),
    idDocument: { type: input.idDocument.type, number },
    dateOfBirth,
    contact: contact && Object.keys(contact).length > 0 ? contact : null,
    categories,
    region: regionPayload(input.region, 'input.region') as unknown as RegionRecord,
  };
}

/** A pseudonym this service derived (`bnf_…`), or BAD_USER_INPUT: anything else, an ID number above all, must not reach the access log. */
export function pseudonymArgument(pseudonym: string, field = 'pseudonym'): string {
  if (!BENEFICIARY_PSEUDONYM.test(pseudonym)) {
    throw DomainError.badInput(field, 'must be a beneficiary pseudonym as enrollBeneficiary returns it (bnf_ and four groups of 16 hex digits)');
  }
  return pseudonym;
}

/** The reason given for reading or erasing personal data: required, recorded in the access log. */
export function reasonArgument(reason: string, field = 'reason'): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw DomainError.badInput(field, 'must say why (it is recorded in the access log)');
  if (trimmed.length > 500) throw DomainError.badInput(field, 'must be at most 500 characters');
  return trimmed;
}
