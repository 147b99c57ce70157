import { mediaReferences } from './media-references.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('mediaReferences', () => {
  it('given a procurement, when read, then its invoice hash is referenced', () => {
    expect(mediaReferences('PROCUREMENT_RECORDED', { projectId: 'P-1', invoice: { sha256: A, uri: 'https://example.org/1.pdf' } })).toEqual([A]);
  });

  it('given an expense, when read, then its evidence hash is referenced', () => {
    expect(mediaReferences('EXPENSE_RECORDED', { costClass: 'MANAGEMENT', evidenceSha256: A })).toEqual([A]);
  });

  it('given a disbursement, when read, then its delivery evidence hash is referenced', () => {
    expect(mediaReferences('DISBURSEMENT_RECORDED', { beneficiary: 'ps-aaaaaaaa', deliveryEvidenceSha256: B })).toEqual([B]);
  });

  it('given a progress report, when read, then each media hash is referenced once, in order', () => {
    const payload = { media: [{ sha256: B, caption: 'Before' }, { sha256: A, caption: 'After' }, { sha256: B, caption: 'Again' }] };
    expect(mediaReferences('PROGRESS_REPORT_PUBLISHED', payload)).toEqual([B, A]);
  });

  it('given a progress report without media, when read, then nothing is referenced', () => {
    expect(mediaReferences('PROGRESS_REPORT_PUBLISHED', { narrative: '…' })).toEqual([]);
    expect(mediaReferences('PROGRESS_REPORT_PUBLISHED', { media: null })).toEqual([]);
  });

  it('given entry types that name no media, when read, then nothing is referenced', () => {
    expect(mediaReferences('CASH_DONATION', { evidenceSha256: A })).toEqual([]);
    expect(mediaReferences('ENTRY_REVERSED', { reversedSequence: 3, reason: '更正' })).toEqual([]);
    expect(mediaReferences('toString', {})).toEqual([]);
  });

  it('given values that are not lowercase SHA-256 hex, when read, then they are skipped', () => {
    expect(mediaReferences('EXPENSE_RECORDED', { evidenceSha256: A.toUpperCase() })).toEqual([]);
    expect(mediaReferences('EXPENSE_RECORDED', {})).toEqual([]);
    expect(mediaReferences('PROCUREMENT_RECORDED', { invoice: [A] })).toEqual([]);
    expect(mediaReferences('PROGRESS_REPORT_PUBLISHED', { media: [A, { sha256: 42 }, { sha256: B }] })).toEqual([B]);
  });
});
