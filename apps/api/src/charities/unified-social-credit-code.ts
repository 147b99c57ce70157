/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from
 * the 31-character set below (no I, O, S, V, Z); the last is a check character
 * over the first 17, modulo 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index++) {
    sum += ALPHABET.indexOf(first17[index]) * WEIGHTS[index];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Returns a reason the code is invalid, or null when it is well formed. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return `must be 18 characters (got ${code.length})`;
  for (const character of code) {
    if (!ALPHABET.includes(character)) {
      return `"${character}" is not allowed (digits and upper-case letters except I, O, S, V, Z)`;
    }
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) return `check character is ${code[17]}, expected ${expected}`;
  return null;
}
