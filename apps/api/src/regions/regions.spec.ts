import { resolveRegion, SHENZHEN_REGIONS } from './regions.js';
import { SHENZHEN_DISTRICTS } from './shenzhen-regions.js';

describe('Shenzhen regions', () => {
  it('lists the 10 districts and their 74 streets, with unique codes', () => {
    expect(SHENZHEN_DISTRICTS).toHaveLength(10);
    expect(SHENZHEN_DISTRICTS.reduce((sum, district) => sum + district.streets.length, 0)).toBe(74);
    expect(new Set(SHENZHEN_REGIONS.map((region) => region.code)).size).toBe(84);
  });

  it('resolves a street to its district, and a district to itself', () => {
    expect(resolveRegion('SZ-FUTIAN-YUANLING')).toEqual({ code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' });
    expect(resolveRegion('sz-nanshan')).toEqual({ code: 'SZ-NANSHAN', district: 'SZ-NANSHAN' });
  });

  it('accepts other region codes as given and refuses unknown Shenzhen codes and junk', () => {
    expect(resolveRegion('440100')).toEqual({ code: '440100' });
    expect(resolveRegion('CN-GD')).toEqual({ code: 'CN-GD' });
    expect(resolveRegion('SZ-FUTIAN-NOWHERE')).toContain('not a Shenzhen district or street code');
    expect(resolveRegion('张三')).toContain('not a region code');
    expect(resolveRegion('')).toContain('not a region code');
  });
});
