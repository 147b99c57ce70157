import type { CharityActions } from './charity-actions.js';

/**
 * A charity's first quarter of 2026, whose figures the figures and progress-report
 * tests compute by hand: project P-A in Futian, a restricted gift of 600.00 (dated
 * 2026-01-31 17:00 UTC, i.e. 1 February in Shenzhen), 1,000.00 unrestricted, ten bags
 * of rice given (500.00), two wheelchairs bought (a purchase, not spending), a
 * management cost (120.00), two people selected, a delivery of 50.00 and a wheelchair
 * to ps-aaaaaaaa in February, three bags of rice to ps-bbbbbbbb in March, 100.00 of the
 * restricted gift refunded and a fundraising cost of P-A (30.00).
 */
export async function recordFirstQuarter(charity: CharityActions): Promise<{ restricted: number; rice: number }> {
  await charity.openProject('P-A');
  const restricted = await charity.donate('600.00', '2026-01-31T17:00:00.000Z', { kind: 'PROJECT', projectId: 'P-A' });
  await charity.donate('1000.00', '2026-02-10T02:00:00.000Z');
  await charity.donateInKind([{ itemCode: 'RICE-5KG', quantity: 10 }], '500.00', '2026-02-11T02:00:00.000Z');
  await charity.procure('P-A', 'WHEELCHAIR', 2, '200.00', '2026-02-12T02:00:00.000Z');
  await charity.expense('MANAGEMENT', '120.00', '2026-02-13T02:00:00.000Z');
  await charity.select(
    'P-A',
    [
      { pseudonym: 'ps-aaaaaaaa', region: 'SZ-FUTIAN-XIANGMIHU' },
      { pseudonym: 'ps-bbbbbbbb', region: 'SZ-FUTIAN-YUANLING' },
    ],
    '2026-02-14',
  );
  await charity.disburse('P-A', 'ps-aaaaaaaa', '2026-02-20T02:00:00.000Z', { cash: '50.00', goods: [{ itemCode: 'WHEELCHAIR', quantity: 1 }] });
  const rice = await charity.disburse('P-A', 'ps-bbbbbbbb', '2026-03-02T02:00:00.000Z', { goods: [{ itemCode: 'RICE-5KG', quantity: 3 }] });
  await charity.refund(restricted, '100.00', '2026-03-05T02:00:00.000Z');
  await charity.expense('FUNDRAISING', '30.00', '2026-03-06T02:00:00.000Z', 'P-A');
  return { restricted, rice };
}
