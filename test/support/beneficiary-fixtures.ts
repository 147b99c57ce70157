import { residentIdCheckCharacter } from '../../apps/api/src/beneficiary-records/identity-documents.js';
import type { TestApp } from './test-app.js';

// Helpers of the beneficiary privacy and duplicate-aid e2e tests: people with valid
// resident ID numbers, enrolled through the API.

export const ENROLL = `
  mutation Enroll($input: EnrollBeneficiaryInput!) {
    enrollBeneficiary(input: $input) { enrollmentId charityId pseudonym commitment enrolledAt alreadyEnrolled }
  }`;

export const ISSUE_KEY = `mutation Issue($input: IssueApiKeyInput!) { issueApiKey(input: $input) { id apiKey role charityId } }`;

export interface Person {
  name: string;
  idNumber: string;
  dateOfBirth: string;
  phone: string;
  address: string;
}

let serial = 0;

/** A valid GB 11643 resident ID number: region, date of birth, a sequence, the check character. */
export function residentIdNumber(region: string, dateOfBirth: string, sequence: number): string {
  const first17 = `${region}${dateOfBirth.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** A person nobody else in the test file has (a fresh ID number and contact details). */
export function newPerson(name: string, dateOfBirth = '1958-03-17'): Person {
  serial += 1;
  const sequence = serial % 1000;
  return {
    name,
    idNumber: residentIdNumber('440304', dateOfBirth, sequence),
    dateOfBirth,
    phone: `139${String(10_000_000 + serial * 7919).slice(-8)}`,
    address: `深圳市福田区园岭街道百花${serial}路${sequence}号`,
  };
}

export function enrollInput(charityId: string, person: Person, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    charityId,
    name: person.name,
    idDocument: { type: 'RESIDENT_ID', number: person.idNumber },
    dateOfBirth: person.dateOfBirth,
    contact: { phone: person.phone, address: person.address },
    categories: [{ kind: 'DISABILITY', disabilityLevel: 2 }, { kind: 'MINIMUM_LIVING_SUPPORT' }],
    region: { code: 'SZ-FUTIAN-YUANLING' },
    ...overrides,
  };
}

export interface Enrollment {
  enrollmentId: string;
  charityId: string;
  pseudonym: string;
  commitment: string;
  alreadyEnrolled: boolean;
}

/** Enrolls the person at the charity (with its key) and returns the enrollment, or throws with the errors. */
export async function enroll(app: TestApp, charity: { id: string; apiKey: string }, person: Person, overrides: Record<string, unknown> = {}): Promise<Enrollment> {
  const response = await app.gql<{ enrollBeneficiary: Enrollment }>(ENROLL, { input: enrollInput(charity.id, person, overrides) }, charity.apiKey);
  if (!response.data?.enrollBeneficiary) throw new Error(JSON.stringify(response.errors));
  return response.data.enrollBeneficiary;
}

/** A REGULATOR key issued by the admin. */
export async function regulatorKey(app: TestApp): Promise<string> {
  const response = await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR', label: 'civil affairs bureau' } }, app.adminKey);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiKey.apiKey as string;
}
