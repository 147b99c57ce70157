import { coveringSubtrees as verifierCovering } from '../../../verifier/src/merkle-root-builder.js';
import { coveringSubtrees } from './log-export.service.js';

describe('coveringSubtrees (how an export summarizes a run of positions)', () => {
  it('given any run, when covered, then the service lists the same subtrees the verifier expects, aligned and filling the run', () => {
    for (let begin = 0; begin < 80; begin++) {
      for (let end = begin; end < 160; end++) {
        const ids = coveringSubtrees(begin, end);
        expect(ids).toEqual(verifierCovering(begin, end));
        let position = begin;
        for (const { level, index } of ids) {
          expect(index * 2 ** level).toBe(position);
          position += 2 ** level;
        }
        expect(position).toBe(end);
      }
    }
  });

  it('given a long run, when covered, then it takes about two hashes per level at most', () => {
    expect(coveringSubtrees(1, 1_000_000).length).toBeLessThanOrEqual(2 * 20);
    expect(coveringSubtrees(0, 2 ** 20)).toEqual([{ level: 20, index: 0 }]);
  });
});
