import { IdDocumentType, idNumberNamespace, idNumberProblem, normalizeIdNumber, residentIdBirthDate, residentIdCheckCharacter, residentIdProblem } from './identity-documents.js';

describe('identity documents', () => {
  describe('normalizeIdNumber', () => {
    it.each([
      ['  11010519491231002x ', '11010519491231002X'],
      ['110105 1949 1231 002X', '11010519491231002X'],
      ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
      ['\t110105\u300019491231002X\n', '11010519491231002X'],
      ['e1234 5678', 'E12345678'],
    ])('normalizes %j to %s', (raw, normalized) => {
      expect(normalizeIdNumber(raw)).toBe(normalized);
    });
  });

  describe('GB 11643 check character', () => {
    it('computes the check characters of the standard’s examples', () => {
      // GB 11643-1999 appendix examples
      expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
      expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
    });

    it.each(['11010519491231002X', '440524188001010014'])('accepts %s', (number) => {
      expect(residentIdProblem(number)).toBeNull();
    });

    it.each([
      ['11010519491231002', 'must be 18 characters'],
      ['110105194912310021', 'wrong check character'],
      ['11010519491231002Y', 'must be 18 characters'],
      ['440524188002300014'.slice(0, 17) + residentIdCheckCharacter('44052418800230001'), 'valid date of birth'],
    ])('refuses %s', (number, reason) => {
      expect(residentIdProblem(number)).toContain(reason);
    });

    it('catches every single-digit typo and every swap of neighbours that changes the number', () => {
      const valid = '11010519491231002X';
      for (let index = 0; index < 17; index++) {
        for (let digit = 0; digit <= 9; digit++) {
          const typo = valid.slice(0, index) + digit + valid.slice(index + 1);
          if (typo !== valid && residentIdProblem(typo) === null) throw new Error(`typo ${typo} accepted`);
        }
      }
      for (let index = 0; index < 16; index++) {
        const swapped = valid.slice(0, index) + valid[index + 1] + valid[index] + valid.slice(index + 2);
        if (swapped !== valid) expect(residentIdProblem(swapped)).not.toBeNull();
      }
    });

    it('never repeats the number in its message', () => {
      expect(residentIdProblem('110105194912310021')).not.toContain('110105');
    });

    it('reads the date of birth', () => {
      expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    });
  });

  it('checks residence permits like resident IDs, and other documents by their characters', () => {
    expect(idNumberProblem(IdDocumentType.RESIDENCE_PERMIT, '810000199408230021')).toBe(
      residentIdProblem('810000199408230021'),
    );
    expect(idNumberProblem(IdDocumentType.PASSPORT, 'E12345678')).toBeNull();
    expect(idNumberProblem(IdDocumentType.PASSPORT, 'E1')).toContain('4 to 32');
    expect(idNumberProblem(IdDocumentType.OTHER, 'ABC/123')).toContain('letters, digits or hyphens');
  });

  it('puts resident IDs and residence permits in one namespace, every other type in its own', () => {
    expect(idNumberNamespace(IdDocumentType.RESIDENT_ID)).toBe(idNumberNamespace(IdDocumentType.RESIDENCE_PERMIT));
    expect(idNumberNamespace(IdDocumentType.PASSPORT)).not.toBe(idNumberNamespace(IdDocumentType.BIRTH_CERTIFICATE));
  });
});
