import { addMonths, disclosureSchedule, isPeriodic, type ScheduleProject, type ScheduleReport } from './disclosure-schedule.js';

const report = (sequence: number, periodStart: string, periodEnd: string, publishedOn: string, reversedOn: string | null = null): ScheduleReport => ({
  sequence,
  periodStart,
  periodEnd,
  publishedOn,
  reversedOn,
});
const project = (overrides: Partial<ScheduleProject>): ScheduleProject => ({
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  publicFundraising: true,
  closing: null,
  ...overrides,
});
const brief = (schedule: ReturnType<typeof disclosureSchedule>) =>
  schedule.obligations.map((obligation) => [obligation.kind, obligation.dueOn, obligation.status, obligation.satisfiedBy, obligation.late]);

describe('disclosure schedule', () => {
  it('adds calendar months, keeping to the month’s last day', () => {
    expect(addMonths('2026-01-01', 3)).toBe('2026-04-01');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-12-15', 1)).toBe('2028-01-15');
  });

  describe('given a public fundraising project over a year', () => {
    it('asks for a disclosure every three months, each counted from the last one; a late one is met but marked late', () => {
      const reports = [report(10, '2026-02-01', '2026-02-28', '2026-03-20'), report(20, '2026-04-01', '2026-06-30', '2026-07-05')];
      expect(brief(disclosureSchedule(project({}), reports, '2026-11-01'))).toEqual([
        ['PERIODIC', '2026-04-01', 'MET', 10, false],
        // three months after the first report, met five days late
        ['PERIODIC', '2026-06-20', 'MET', 20, true],
        ['PERIODIC', '2026-10-05', 'OVERDUE', null, false],
        // the next would fall after the end (2027-01-05): the final report takes over
        ['FINAL_REPORT', '2027-03-31', 'DUE', null, false],
        ['LEFTOVER_HANDLING', '2027-03-31', 'DUE', null, false],
      ]);
    });

    it('is overdue when no report came for more than three months, and not after a report', () => {
      expect(brief(disclosureSchedule(project({}), [], '2026-04-02'))[0]).toEqual(['PERIODIC', '2026-04-01', 'OVERDUE', null, false]);
      expect(brief(disclosureSchedule(project({}), [], '2026-04-01'))[0]).toEqual(['PERIODIC', '2026-04-01', 'DUE', null, false]);
      const after = disclosureSchedule(project({}), [report(5, '2026-01-01', '2026-03-31', '2026-05-10')], '2026-05-10');
      expect(after.obligations.filter((obligation) => obligation.status === 'OVERDUE')).toEqual([]);
      expect(brief(after).slice(0, 2)).toEqual([
        ['PERIODIC', '2026-04-01', 'MET', 5, true],
        ['PERIODIC', '2026-08-10', 'DUE', null, false],
      ]);
    });

    it('lists every missed three months until today', () => {
      expect(brief(disclosureSchedule(project({}), [], '2026-08-15')).slice(0, 3)).toEqual([
        ['PERIODIC', '2026-04-01', 'OVERDUE', null, false],
        ['PERIODIC', '2026-07-01', 'OVERDUE', null, false],
        ['PERIODIC', '2026-10-01', 'DUE', null, false],
      ]);
    });

    it('does not count a report reversed by then, nor one published after the day judged', () => {
      const reports = [report(7, '2026-01-01', '2026-03-31', '2026-03-31', '2026-04-15'), report(9, '2026-04-01', '2026-04-30', '2026-05-20')];
      expect(brief(disclosureSchedule(project({}), reports, '2026-05-01'))[0]).toEqual(['PERIODIC', '2026-04-01', 'OVERDUE', null, false]);
      expect(brief(disclosureSchedule(project({}), reports, '2026-04-10'))[0]).toEqual(['PERIODIC', '2026-04-01', 'MET', 7, false]);
    });
  });

  it('asks a project of more than six months to disclose every three months even without public fundraising', () => {
    const longer = project({ publicFundraising: false, endDate: '2026-09-30' });
    expect(isPeriodic(longer)).toBe(true);
    expect(brief(disclosureSchedule(longer, [], '2026-05-01'))).toEqual([
      ['PERIODIC', '2026-04-01', 'OVERDUE', null, false],
      ['PERIODIC', '2026-07-01', 'DUE', null, false],
      // three months from 30 September is 30 December (the corresponding day, as 民法典 Art. 202 counts months)
      ['FINAL_REPORT', '2026-12-30', 'DUE', null, false],
      ['LEFTOVER_HANDLING', '2026-12-30', 'DUE', null, false],
    ]);
  });

  it('asks a short project without public fundraising only for the final report and the leftovers', () => {
    // 2026-01-01 to 2026-06-30 is six months, not longer
    const short = project({ publicFundraising: false, endDate: '2026-06-30' });
    expect(isPeriodic(short)).toBe(false);
    expect(isPeriodic({ ...short, endDate: '2026-07-01' })).toBe(true);
    expect(brief(disclosureSchedule(short, [], '2026-09-01'))).toEqual([
      ['FINAL_REPORT', '2026-09-30', 'DUE', null, false],
      ['LEFTOVER_HANDLING', '2026-09-30', 'DUE', null, false],
    ]);
    expect(brief(disclosureSchedule(short, [], '2026-10-01'))).toEqual([
      ['FINAL_REPORT', '2026-09-30', 'OVERDUE', null, false],
      ['LEFTOVER_HANDLING', '2026-09-30', 'OVERDUE', null, false],
    ]);
  });

  it('runs the final deadlines from an early closing: a report reaching the end is the final one, the closing entry states the leftovers', () => {
    const closed = project({ publicFundraising: false, endDate: '2026-06-30', closing: { sequence: 30, closedOn: '2026-05-15', recordedOn: '2026-05-20' } });
    const reports = [report(25, '2026-03-01', '2026-03-31', '2026-04-02'), report(40, '2026-05-01', '2026-05-31', '2026-06-10')];
    const schedule = disclosureSchedule(closed, reports, '2026-07-01');
    expect(schedule.end).toBe('2026-05-15');
    expect(brief(schedule)).toEqual([
      ['FINAL_REPORT', '2026-08-15', 'MET', 40, false],
      ['LEFTOVER_HANDLING', '2026-08-15', 'MET', 30, false],
    ]);
    // before the closing was recorded, the planned end counts
    expect(disclosureSchedule(closed, reports, '2026-05-18').end).toBe('2026-06-30');
  });

  it('marks a final report and a closing that came more than three months after the end as late', () => {
    const closed = project({ publicFundraising: false, endDate: '2026-03-31', closing: { sequence: 8, closedOn: '2026-03-31', recordedOn: '2026-08-01' } });
    expect(brief(disclosureSchedule(closed, [report(9, '2026-01-01', '2026-03-31', '2026-08-02')], '2026-09-01'))).toEqual([
      ['FINAL_REPORT', '2026-06-30', 'MET', 9, true],
      ['LEFTOVER_HANDLING', '2026-06-30', 'MET', 8, true],
    ]);
  });

  it('asks no leftover disclosure of projects that ended before Order No. 81 came into force', () => {
    const old = project({ startDate: '2025-06-01', endDate: '2025-10-31', publicFundraising: false });
    expect(disclosureSchedule(old, [], '2026-02-01').obligations.map((obligation) => obligation.kind)).toEqual(['FINAL_REPORT']);
  });
});
