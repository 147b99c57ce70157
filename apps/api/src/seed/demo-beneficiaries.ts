import { createHash, createHmac } from 'node:crypto';

/**
 * The people the demo helps, as the ledger sees them: a pseudonym and a salted
 * commitment, never a name or an ID number.
 *
 * This is the one place the demo makes them up. The platform will derive a
 * pseudonym when a charity enrols a person (`enrollBeneficiary`: a keyed HMAC of
 * the normalized ID number under the platform key, the same at every charity);
 * until the demo enrols people that way, `demoBeneficiary` imitates it with a key
 * derived from the seed and a synthetic person id, in the same form
 * (`bnf_` and four groups of 16 hex digits), so that the same person gets the
 * same pseudonym at every charity: that is what the planted cross-charity
 * duplicates rely on. Switching to enrolment means replacing this function.
 */
export interface DemoBeneficiary {
  /** Synthetic id of the person within the demo, e.g. `c1-17` or `city-3`: never written anywhere. */
  personId: string;
  pseudonym: string;
  commitment: string;
}

export function demoBeneficiary(seed: string, personId: string): DemoBeneficiary {
  const key = createHash('sha256').update(`charity-ledger/demo/pseudonym-key/v1\n${seed}`, 'utf8').digest();
  const digest = createHmac('sha256', key).update(`charity-ledger/demo/person/v1\n${personId}`, 'utf8').digest('hex');
  const salt = createHash('sha256').update(`charity-ledger/demo/salt/v1\n${seed}\n${personId}`, 'utf8').digest();
  return {
    personId,
    pseudonym: `bnf_${digest.match(/.{16}/g)!.join('_')}`,
    commitment: createHash('sha256').update(salt).update(personId, 'utf8').digest('hex'),
  };
}
