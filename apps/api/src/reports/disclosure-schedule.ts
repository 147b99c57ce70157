/**
 * A project's disclosure schedule (docs/reports.md, "Deadlines"): which disclosures
 * the law asks of it, when each is due, and which entry met it. A pure function of
 * the project, its reports and its closing, with the date to judge at passed in.
 */

export type ObligationKind = 'PERIODIC' | 'FINAL_REPORT' | 'LEFTOVER_HANDLING';
export type ObligationStatus = 'MET' | 'DUE' | 'OVERDUE';

export const LEGAL_BASIS: Record<ObligationKind, string> = {
  PERIODIC:
    '慈善法 Art. 79: public fundraising, or a project running longer than six months, is disclosed at least every three months',
  FINAL_REPORT: '慈善法 Art. 79: within three months of a project’s end, its implementation and the use of its funds are disclosed in full',
  LEFTOVER_HANDLING: 'MCA Order No. 81 (in force 2026-01-01): the handling of leftover property is disclosed within three months of the project’s end',
};

/** Order No. 81 applies to projects that end on or after the day it came into force. */
export const LEFTOVER_RULE_IN_FORCE = '2026-01-01';

export interface ScheduleProject {
  startDate: string;
  endDate: string;
  publicFundraising: boolean;
  /** The PROJECT_CLOSED entry, if the project is closed. */
  closing: { sequence: number; closedOn: string; recordedOn: string } | null;
}

export interface ScheduleReport {
  sequence: number;
  periodStart: string;
  /** Last day of the period. */
  periodEnd: string;
  /** Date (China Standard Time) the ledger recorded it. */
  publishedOn: string;
  /** Date its reversal was recorded, if any. */
  reversedOn: string | null;
}

export interface DisclosureObligation {
  kind: ObligationKind;
  /** The last day on which it is on time. */
  dueOn: string;
  status: ObligationStatus;
  /** Sequence of the report (or, for leftovers, the PROJECT_CLOSED entry) that met it. */
  satisfiedBy: number | null;
  satisfiedOn: string | null;
  /** Met, but after its due date. */
  late: boolean;
  basis: string;
}

export interface DisclosureSchedule {
  asOf: string;
  /** Whether the project discloses at least every three months. */
  periodic: boolean;
  /** The end the final deadlines run from: the closing date if closed, else the planned end. */
  end: string;
  obligations: DisclosureObligation[];
}

/**
 * `date` plus `months` calendar months: the corresponding day, or the month's last day
 * when there is none (民法典 Art. 202): 2026-09-30 + 3 = 2026-12-30, 2026-11-30 + 3 = 2027-02-28.
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString().slice(0, 10);
}

/** Whether the law asks for disclosures at least every three months. */
export function isPeriodic(project: Pick<ScheduleProject, 'startDate' | 'endDate' | 'publicFundraising'>): boolean {
  // runs longer than six months: past the last day of the six months from its start
  return project.publicFundraising || project.endDate >= addMonths(project.startDate, 6);
}

/**
 * The schedule as of `asOf` (YYYY-MM-DD), counting only reports published by then
 * and not reversed by then:
 * - periodic (if `isPeriodic`): the first disclosure is due three months after the
 *   start; each next one three months after the report that met the previous one
 *   (or, when that one was missed, after its due date). Each report meets at most one
 *   obligation, in order of publication. None falls due at or after the end: the
 *   final report takes over.
 * - final report: a report whose period reaches the end, due three months after it.
 * - leftover handling (projects ending from 2026-01-01): the PROJECT_CLOSED entry,
 *   which states what became of the leftovers, due three months after the end.
 */
export function disclosureSchedule(project: ScheduleProject, reports: readonly ScheduleReport[], asOf: string): DisclosureSchedule {
  const closing = project.closing && project.closing.recordedOn <= asOf ? project.closing : null;
  const end = closing ? closing.closedOn : project.endDate;
  const live = reports
    .filter((report) => report.publishedOn <= asOf && (report.reversedOn === null || report.reversedOn > asOf))
    .sort((a, b) => a.publishedOn.localeCompare(b.publishedOn) || a.sequence - b.sequence);
  const final = live.find((report) => report.periodStart <= end && report.periodEnd >= end) ?? null;
  const candidates = live.filter((report) => report !== final);

  const unmet = (dueOn: string) => (asOf > dueOn ? 'OVERDUE' : 'DUE');
  const obligations: DisclosureObligation[] = [];
  const periodic = isPeriodic(project);
  if (periodic) {
    let from = project.startDate;
    let next = 0;
    for (;;) {
      const dueOn = addMonths(from, 3);
      if (dueOn >= end) break;
      const report = candidates[next];
      if (report) {
        obligations.push(met('PERIODIC', dueOn, report.sequence, report.publishedOn));
        from = report.publishedOn;
        next += 1;
        continue;
      }
      const status = unmet(dueOn);
      obligations.push({ kind: 'PERIODIC', dueOn, status, satisfiedBy: null, satisfiedOn: null, late: false, basis: LEGAL_BASIS.PERIODIC });
      // the next one is set only once this one is due: it runs from the missed due date
      if (status === 'DUE') break;
      from = dueOn;
    }
  }

  const finalDue = addMonths(end, 3);
  obligations.push(
    final
      ? met('FINAL_REPORT', finalDue, final.sequence, final.publishedOn)
      : { kind: 'FINAL_REPORT', dueOn: finalDue, status: unmet(finalDue), satisfiedBy: null, satisfiedOn: null, late: false, basis: LEGAL_BASIS.FINAL_REPORT },
  );
  if (end >= LEFTOVER_RULE_IN_FORCE) {
    obligations.push(
      closing
        ? met('LEFTOVER_HANDLING', finalDue, closing.sequence, closing.recordedOn)
        : {
            kind: 'LEFTOVER_HANDLING',
            dueOn: finalDue,
            status: unmet(finalDue),
            satisfiedBy: null,
            satisfiedOn: null,
            late: false,
            basis: LEGAL_BASIS.LEFTOVER_HANDLING,
          },
    );
  }
  return { asOf, periodic, end, obligations };
}

function met(kind: ObligationKind, dueOn: string, sequence: number, on: string): DisclosureObligation {
  return { kind, dueOn, status: 'MET', satisfiedBy: sequence, satisfiedOn: on, late: on > dueOn, basis: LEGAL_BASIS[kind] };
}
