import type { ProjectCategory } from '@charity-ledger/ledger-core';
import { residentIdCheckCharacter } from '../beneficiary-records/identity-documents.js';
import { SHENZHEN_DISTRICTS } from '../regions/shenzhen-regions.js';
import { DemoRandom } from './demo-random.js';

/**
 * The people the demo helps. The demo makes up their personal data (a name, a
 * resident ID number with a valid check character, a date of birth, why they are
 * supported, where they live) and enrols each with `enrollBeneficiary`, as a
 * charity would: the service keeps the data off the ledger, encrypted, and answers
 * the pseudonym and commitment the ledger then carries. The same synthetic person
 * enrolled by two charities has the same ID number, so the same pseudonym: that is
 * what the planted cross-charity duplicates rely on.
 *
 * Everything is drawn from the seed and the person's id, so a person is the same in
 * every run. The numbers are random, not anybody's: never publish them anyway.
 */

/** Where a reference to a person stands in a planned input, until the runner puts the enrolled pseudonym (or commitment) there. */
export const PERSON_REFERENCE = /^person:(.+)$/;

export function personReference(personId: string): string {
  return `person:${personId}`;
}

export interface DemoPerson {
  personId: string;
  /** The input of `enrollBeneficiary`, without the charity. */
  enrollment: {
    name: string;
    idDocument: { type: 'RESIDENT_ID'; number: string };
    dateOfBirth: string;
    categories: Array<{ kind: string; disabilityLevel?: number; description?: string }>;
    region: { code: string };
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '邓', '冯', '韩', '曹', '曾'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '兰', '建', '国', '文', '辉', '婷', '欣', '宇', '浩', '梓', '涵', '子', '轩'];

/** Who a project helps: ages in 2024 and the categories of their enrollment. */
const PROFILES: Record<ProjectCategory, { ages: [number, number]; categories: (random: DemoRandom) => DemoPerson['enrollment']['categories'] }> = {
  MEDICAL_AID: { ages: [18, 80], categories: (random) => [{ kind: 'SERIOUS_ILLNESS' }, { kind: random.chance(0.5) ? 'LOW_INCOME' : 'MINIMUM_LIVING_SUPPORT' }] },
  DISABILITY_SUPPORT: { ages: [3, 85], categories: (random) => [{ kind: 'DISABILITY', disabilityLevel: random.int(1, 4) }] },
  ELDERLY_CARE: { ages: [70, 95], categories: (random) => [{ kind: 'ELDERLY_ALONE' }, ...(random.chance(0.4) ? [{ kind: 'MINIMUM_LIVING_SUPPORT' }] : [])] },
  CHILD_WELFARE: { ages: [6, 17], categories: (random) => [{ kind: random.chance(0.3) ? 'UNSUPPORTED_CHILD' : 'LOW_INCOME' }] },
  POVERTY_RELIEF: { ages: [25, 85], categories: (random) => [{ kind: random.chance(0.6) ? 'MINIMUM_LIVING_SUPPORT' : 'LOW_INCOME' }] },
  DISASTER_RELIEF: { ages: [18, 85], categories: () => [{ kind: 'OTHER', description: '台风受灾家庭' }] },
  EDUCATION: { ages: [6, 12], categories: () => [{ kind: 'LOW_INCOME' }] },
  OTHER: { ages: [18, 85], categories: () => [{ kind: 'OTHER', description: '其他困难群众' }] },
};

/** GB/T 2260 codes of Shenzhen's districts, and the city's own (440300) for Dapeng. */
const AREA_CODES = SHENZHEN_DISTRICTS.map((district) => district.gbCode ?? '440300');

/** A synthetic person helped by a project of `category`, living in `street` (a Shenzhen street code). */
export function demoPerson(seed: string, personId: string, category: ProjectCategory, street: string): DemoPerson {
  const random = DemoRandom.stream(seed, `person/${personId}`);
  const profile = PROFILES[category];
  const age = random.int(profile.ages[0], profile.ages[1]);
  const born = new Date(Date.UTC(2024 - age, 0, 1) - random.int(0, 364) * 86_400_000);
  const dateOfBirth = born.toISOString().slice(0, 10);
  // where the number was issued, not where the person lives now: the same person has the same number at every charity
  const first17 = `${random.pick(AREA_CODES)}${dateOfBirth.replaceAll('-', '')}${random.int(1, 999).toString().padStart(3, '0')}`;
  const givenName = random.chance(0.7) ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return {
    personId,
    enrollment: {
      name: random.pick(SURNAMES) + givenName,
      idDocument: { type: 'RESIDENT_ID', number: first17 + residentIdCheckCharacter(first17) },
      dateOfBirth,
      categories: profile.categories(random),
      region: { code: street },
    },
  };
}
