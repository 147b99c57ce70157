import { DomainError } from '../common/domain-error.js';
import { chinaMidnight, dateInput } from '../common/input-values.js';
import type { AidPeriodInput } from './dto/aid-period.input.js';

export interface AidPeriod {
  from: string;
  to: string;
  /** Midnight starting `from`, China Standard Time. */
  start: Date;
  /** Midnight ending `to` (the start of the next day), China Standard Time. */
  end: Date;
}

/** A period of whole China Standard Time days, both ends included, or BAD_USER_INPUT. Pure. */
export function aidPeriod(input: AidPeriodInput): AidPeriod {
  const from = dateInput(input.from, 'period.from');
  const to = dateInput(input.to, 'period.to');
  if (to < from) throw DomainError.badInput('period.to', 'is before period.from');
  const end = chinaMidnight(to);
  end.setUTCDate(end.getUTCDate() + 1);
  return { from, to, start: chinaMidnight(from), end };
}
