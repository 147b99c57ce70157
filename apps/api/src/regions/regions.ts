import { SHENZHEN_DISTRICTS } from './shenzhen-regions.js';

/** A region as entries record it: the code given, and the Shenzhen district and street it lies in. */
export interface RegionRecord {
  code: string;
  district?: string;
  street?: string;
}

export interface RegionInfo {
  code: string;
  name: string;
  nameEn: string;
  level: 'DISTRICT' | 'STREET';
  district: string;
  gbCode: string | null;
}

const BY_CODE = new Map<string, RegionInfo>();
for (const district of SHENZHEN_DISTRICTS) {
  BY_CODE.set(district.code, { code: district.code, name: district.name, nameEn: district.nameEn, level: 'DISTRICT', district: district.code, gbCode: district.gbCode });
  for (const [street, name, nameEn] of district.streets) {
    const code = `${district.code}-${street}`;
    BY_CODE.set(code, { code, name, nameEn, level: 'STREET', district: district.code, gbCode: null });
  }
}

export const SHENZHEN_REGIONS: readonly RegionInfo[] = [...BY_CODE.values()];

/** Codes outside Shenzhen: GB/T 2260 (6 digits), township codes (9 or 12 digits), ISO 3166-2, or similar. */
const OTHER_CODE = /^[A-Z0-9]{2,12}(?:-[A-Z0-9]{1,24}){0,3}$/;

/**
 * Resolves a region code: Shenzhen codes (SZ-…) must be in the codelist and gain
 * their district and street; other region codes are accepted as given.
 * Returns an error message, or the record.
 */
export function resolveRegion(code: string): RegionRecord | string {
  const normalized = code.trim().toUpperCase();
  if (normalized.startsWith('SZ-')) {
    const info = BY_CODE.get(normalized);
    if (!info) return `"${code}" is not a Shenzhen district or street code (see the regions query)`;
    return info.level === 'DISTRICT' ? { code: normalized, district: normalized } : { code: normalized, district: info.district, street: normalized };
  }
  if (!OTHER_CODE.test(normalized)) return `"${code}" is not a region code (e.g. SZ-FUTIAN-YUANLING, 440100, CN-GD)`;
  return { code: normalized };
}

export function regionInfo(code: string): RegionInfo | undefined {
  return BY_CODE.get(code);
}
