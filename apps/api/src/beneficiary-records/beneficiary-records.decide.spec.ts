import { DomainError } from '../common/domain-error.js';
import { decideEnrollment, pseudonymArgument, reasonArgument } from './beneficiary-records.decide.js';
import { BeneficiaryCategoryKind, type EnrollBeneficiaryInput } from './dto/enroll-beneficiary.input.js';
import { IdDocumentType } from './identity-documents.js';

const NOW = new Date('2026-11-28T08:00:00.000Z');

function input(overrides: Partial<EnrollBeneficiaryInput> = {}): EnrollBeneficiaryInput {
  return {
    charityId: '534fddad-54e5-4aa9-bfbb-e2f52cad7531',
    name: ' 李小梅 ',
    idDocument: { type: IdDocumentType.RESIDENT_ID, number: ' 11010519491231002x ' },
    dateOfBirth: '1949-12-31',
    contact: { phone: '138-0013 8000' },
    categories: [{ kind: BeneficiaryCategoryKind.ELDERLY_ALONE }, { kind: BeneficiaryCategoryKind.DISABILITY, disabilityLevel: 2 }],
    region: { code: 'sz-futian-yuanling' },
    ...overrides,
  } as EnrollBeneficiaryInput;
}

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.field;
    throw error;
  }
  return undefined;
}

describe('decideEnrollment', () => {
  it('normalizes the record: trimmed name, normalized number, phone digits, categories in a fixed order, resolved region', () => {
    expect(decideEnrollment(input(), NOW)).toEqual({
      name: '李小梅',
      idDocument: { type: 'RESIDENT_ID', number: '11010519491231002X' },
      dateOfBirth: '1949-12-31',
      contact: { phone: '13800138000' },
      categories: [{ kind: 'DISABILITY', disabilityLevel: 2 }, { kind: 'ELDERLY_ALONE' }],
      region: { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' },
    });
  });

  it('gives equal records for the same details typed differently (so a retry is recognised)', () => {
    const again = input({
      name: '李小梅',
      idDocument: { type: IdDocumentType.RESIDENT_ID, number: '110105 19491231 002X' },
      contact: { phone: '13800138000' },
      categories: [{ kind: BeneficiaryCategoryKind.DISABILITY, disabilityLevel: 2 }, { kind: BeneficiaryCategoryKind.ELDERLY_ALONE }],
      region: { code: 'SZ-FUTIAN-YUANLING' },
    });
    expect(decideEnrollment(again, NOW)).toEqual(decideEnrollment(input(), NOW));
  });

  it.each([
    ['a wrong check digit', { idDocument: { type: IdDocumentType.RESIDENT_ID, number: '110105194912310021' } }, 'input.idDocument.number'],
    ['a date of birth other than the ID number’s', { dateOfBirth: '1949-12-30' }, 'input.dateOfBirth'],
    ['a date of birth in the future', { idDocument: { type: IdDocumentType.PASSPORT, number: 'E12345678' }, dateOfBirth: '2027-01-01' }, 'input.dateOfBirth'],
    ['a date that does not exist', { dateOfBirth: '1949-02-30' }, 'input.dateOfBirth'],
    ['DISABILITY without a level', { categories: [{ kind: BeneficiaryCategoryKind.DISABILITY }] }, 'input.categories[0].disabilityLevel'],
    ['a level on another category', { categories: [{ kind: BeneficiaryCategoryKind.ORPHAN, disabilityLevel: 1 }] }, 'input.categories[0].disabilityLevel'],
    ['OTHER without a description', { categories: [{ kind: BeneficiaryCategoryKind.OTHER }] }, 'input.categories[0].description'],
    ['a category twice', { categories: [{ kind: BeneficiaryCategoryKind.ORPHAN }, { kind: BeneficiaryCategoryKind.ORPHAN }] }, 'input.categories[1].kind'],
    ['an unknown Shenzhen region', { region: { code: 'SZ-NOWHERE' } }, 'input.region.code'],
  ])('refuses %s, naming the field', (_name, overrides, field) => {
    expect(fieldOf(() => decideEnrollment(input(overrides as Partial<EnrollBeneficiaryInput>), NOW))).toBe(field);
  });

  it('checks only the characters of a passport number, and no date in it', () => {
    const record = decideEnrollment(input({ idDocument: { type: IdDocumentType.PASSPORT, number: 'e1234 5678' }, dateOfBirth: '2001-05-06' }), NOW);
    expect(record.idDocument).toEqual({ type: 'PASSPORT', number: 'E12345678' });
  });

  it('accepts only pseudonyms the service derives, and a reason', () => {
    expect(pseudonymArgument(`bnf_${'0123456789abcdef_'.repeat(4).slice(0, -1)}`)).toMatch(/^bnf_/);
    expect(fieldOf(() => pseudonymArgument('11010519491231002X'))).toBe('pseudonym');
    expect(fieldOf(() => reasonArgument('   '))).toBe('reason');
    expect(reasonArgument(' case review ')).toBe('case review');
  });
});
