/**
 * Identity documents of beneficiaries: how their numbers are normalized and
 * checked. Messages never repeat the number: it is personal data, and error
 * messages end up in clients' logs.
 */

export enum IdDocumentType {
  /** 居民身份证, GB 11643-1999: 18 characters, the last a check character. */
  RESIDENT_ID = 'RESIDENT_ID',
  /** 港澳台居民居住证: a GB 11643 number (region 810000, 820000 or 830000). */
  RESIDENCE_PERMIT = 'RESIDENCE_PERMIT',
  /** 外国人永久居留身份证. */
  FOREIGN_PERMANENT_RESIDENT_ID = 'FOREIGN_PERMANENT_RESIDENT_ID',
  PASSPORT = 'PASSPORT',
  /** 出生医学证明, for children without a resident ID yet. */
  BIRTH_CERTIFICATE = 'BIRTH_CERTIFICATE',
  OTHER = 'OTHER',
}

/** Document types whose numbers are GB 11643 citizen identification numbers. */
const GB_11643_TYPES = new Set<IdDocumentType>([IdDocumentType.RESIDENT_ID, IdDocumentType.RESIDENCE_PERMIT]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/**
 * The form a number is compared and hashed in: Unicode NFKC (full-width digits
 * and letters become ASCII), every space removed, letters upper-case (so a
 * trailing check character x becomes X).
 */
export function normalizeIdNumber(number: string): string {
  return number.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** GB 11643-1999 check character over the first 17 digits (ISO 7064 MOD 11-2). */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += Number(first17[index]) * WEIGHTS[index];
  return CHECK_CHARACTERS[sum % 11];
}

/** The date of birth in a GB 11643 number, YYYY-MM-DD. */
export function residentIdBirthDate(normalized: string): string {
  return `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Why a normalized GB 11643 number is not valid, or null. */
export function residentIdProblem(normalized: string): string | null {
  if (!/^\d{17}[\dX]$/.test(normalized)) return 'must be 18 characters: 17 digits and a check digit or X';
  if (!isCalendarDate(residentIdBirthDate(normalized))) return 'does not hold a valid date of birth (characters 7–14)';
  if (normalized[17] !== residentIdCheckCharacter(normalized)) return 'has a wrong check character (GB 11643): please check the number';
  return null;
}

/** Why a normalized number is not valid for its document type, or null. */
export function idNumberProblem(type: IdDocumentType, normalized: string): string | null {
  if (GB_11643_TYPES.has(type)) return residentIdProblem(normalized);
  if (!/^[A-Z0-9-]{4,32}$/.test(normalized)) return 'must be 4 to 32 letters, digits or hyphens';
  return null;
}

/** Whether the document's number states the date of birth (GB 11643 numbers do). */
export function statesBirthDate(type: IdDocumentType): boolean {
  return GB_11643_TYPES.has(type);
}

/**
 * The namespace a number is unique in, which goes into the pseudonym: a resident
 * ID and a residence permit share the GB 11643 number space; every other type is
 * its own, so that equal numbers of different documents never collide.
 */
export function idNumberNamespace(type: IdDocumentType): string {
  return GB_11643_TYPES.has(type) ? 'GB11643' : type;
}
