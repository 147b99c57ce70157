import fc from 'fast-check';
import { BENEFICIARY_PSEUDONYM, commitmentFor, open, platformKeyId, pseudonymFor, randomSecret, recordContext, seal, SealedDataError, wrapContext } from './beneficiary-crypto.js';
import { createHash } from 'node:crypto';

const ENROLLMENT = '6f1c2b1e-8a53-4bb1-9d61-2f8e1f0c9a10';
const CHARITY = '534fddad-54e5-4aa9-bfbb-e2f52cad7531';

describe('beneficiary cryptography', () => {
  describe('seal and open (AES-256-GCM)', () => {
    it('round-trips any bytes under the same key and context', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (bytes, context) => {
          const key = randomSecret();
          const sealed = seal(key, Buffer.from(bytes), context);
          expect(open(key, sealed, context).equals(Buffer.from(bytes))).toBe(true);
        }),
        { numRuns: 200 },
      );
    });

    it('uses a fresh IV each time: the same plaintext seals to different bytes', () => {
      const key = randomSecret();
      const plaintext = Buffer.from('{"name":"李小梅"}');
      expect(seal(key, plaintext, 'c').equals(seal(key, plaintext, 'c'))).toBe(false);
    });

    it('does not contain the plaintext', () => {
      const plaintext = Buffer.from('李小梅 11010519491231002X');
      expect(seal(randomSecret(), plaintext, 'c').includes(plaintext)).toBe(false);
    });

    it('detects any changed byte (GCM authentication)', () => {
      const key = randomSecret();
      const sealed = seal(key, Buffer.from('personal data of one person'), 'context');
      for (let index = 0; index < sealed.length; index++) {
        const tampered = Buffer.from(sealed);
        tampered[index] ^= 0x01;
        expect(() => open(key, tampered, 'context')).toThrow(SealedDataError);
      }
      expect(() => open(key, sealed.subarray(0, sealed.length - 1), 'context')).toThrow(SealedDataError);
    });

    it('refuses another key, and another context: bytes moved to another row do not open', () => {
      const key = randomSecret();
      const sealed = seal(key, Buffer.from('x'), recordContext(ENROLLMENT, CHARITY, 'bnf_a'));
      expect(() => open(randomSecret(), sealed, recordContext(ENROLLMENT, CHARITY, 'bnf_a'))).toThrow(SealedDataError);
      expect(() => open(key, sealed, recordContext(ENROLLMENT, CHARITY, 'bnf_b'))).toThrow(SealedDataError);
      const wrapped = seal(key, randomSecret(), wrapContext(ENROLLMENT, 'data-key'));
      expect(() => open(key, wrapped, wrapContext(ENROLLMENT, 'salt'))).toThrow(SealedDataError);
    });

    it('refuses keys that are not 256 bits', () => {
      expect(() => seal(Buffer.alloc(16), Buffer.from('x'), 'c')).toThrow('32 bytes');
    });
  });

  describe('pseudonym', () => {
    const key = Buffer.alloc(32, 7);

    it('is the same for the same number, and differs by key, namespace and number', () => {
      const pseudonym = pseudonymFor(key, 'GB11643', '11010519491231002X');
      expect(pseudonymFor(key, 'GB11643', '11010519491231002X')).toBe(pseudonym);
      expect(pseudonymFor(Buffer.alloc(32, 8), 'GB11643', '11010519491231002X')).not.toBe(pseudonym);
      expect(pseudonymFor(key, 'PASSPORT', '11010519491231002X')).not.toBe(pseudonym);
      expect(pseudonymFor(key, 'GB11643', '440524188001010014')).not.toBe(pseudonym);
    });

    it('has the bnf_ form, which selectBeneficiaries accepts and never reads as an ID number', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 32 }), (number) => {
          const pseudonym = pseudonymFor(key, 'OTHER', number);
          expect(pseudonym).toMatch(BENEFICIARY_PSEUDONYM);
          // the ledger's own rules (beneficiaries/dto/select-beneficiaries.input.ts, beneficiaries.decide.ts)
          expect(pseudonym).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
          expect(pseudonym).not.toMatch(/\d{17}[\dXx]/);
        }),
        { numRuns: 500 },
      );
    });
  });

  it('commits to the number with the salt: SHA-256(salt ‖ number), lowercase hex', () => {
    const salt = Buffer.alloc(32, 1);
    const expected = createHash('sha256').update(Buffer.concat([salt, Buffer.from('11010519491231002X')])).digest('hex');
    expect(commitmentFor(salt, '11010519491231002X')).toBe(expected);
    expect(commitmentFor(Buffer.alloc(32, 2), '11010519491231002X')).not.toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fingerprints platform keys by purpose', () => {
    const key = randomSecret();
    expect(platformKeyId('PSEUDONYM', key)).toMatch(/^[0-9a-f]{16}$/);
    expect(platformKeyId('PSEUDONYM', key)).not.toBe(platformKeyId('KEY_ENCRYPTION', key));
  });
});
