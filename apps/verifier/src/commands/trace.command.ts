import { attributeLedger, ChainVerifier, formatAmount, type BookEntry, type Books, type GiftAttribution } from '@charity-ledger/ledger-core';
import type { Command } from 'commander';
import { LogClient } from '../log-client.js';
import { count, emit, progress, type Outcome } from '../report.js';
import { openLines } from '../sources.js';
import { FailureCode, UsageError } from '../verification.js';
import type { GlobalOptions } from './options.js';

interface TraceOptions {
  receipt: string;
}

/** What the service says about the gift (the fields this command recomputes). */
interface ServiceTrace {
  charityId: string;
  sequence: number;
  uses: Array<{ sequence: number; type: string; amount: { amount: string }; reversed: boolean }>;
  goods: Array<{ lotId: string; units: string; deliveredUnits: string; inStockUnits: string }>;
  deliveries: Array<{ sequence: number; itemCode: string; units: string; reversed: boolean }>;
  attributed: { amount: string };
  refunded: { amount: string };
  unspent: { amount: string };
}

const TRACE_QUERY = `query Trace($code: String!) { traceDonation(receiptCode: $code) {
  charityId sequence
  uses { sequence type amount { amount } reversed }
  goods { lotId units deliveredUnits inStockUnits }
  deliveries { sequence itemCode units reversed }
  attributed { amount } refunded { amount } unspent { amount } } }`;

export function registerTraceCommand(program: Command): void {
  program
    .command('trace')
    .argument('<url>', 'the log’s base URL, e.g. https://ledger.example.org')
    .requiredOption('--receipt <code>', 'the receipt code of the gift, e.g. RC-XXXX-XXXX-XXXX-XXXX-XXXX')
    .description(
      "Recompute where a gift went: fetch the service's trace and the charity's whole chain (its export), check every hash and link, run the attribution of libs/ledger-core over the entries, and report any difference from what the service said.",
    )
    .addHelpText(
      'after',
      `
Exit status: 0 the trace matches the chain, 1 it does not (or the chain is broken), 2 could not verify.
This checks the chain's own hashes and links; to check the chain against the log's signed checkpoints too, run \`verify export\` on the same charity.

Example:
  charity-ledger-verify trace https://ledger.example.org --receipt RC-7K2M-Q9TX-01AB-CDEF-GH3J`,
    )
    .action(async (url: string, options: TraceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      process.exitCode = emit(await verifyTrace(url.replace(/\/+$/, ''), options, globals), globals.json === true);
    });
}

async function verifyTrace(url: string, options: TraceOptions, globals: GlobalOptions): Promise<Outcome> {
  const client = new LogClient(url);
  const { data, errors } = await client.graphql<{ traceDonation: ServiceTrace }>(TRACE_QUERY, { code: options.receipt });
  if (!data?.traceDonation) {
    throw new UsageError(`the service did not trace this receipt: ${errors.map((error) => error.message).join('; ') || 'no answer'}`);
  }
  const trace = data.traceDonation;
  const charity = await client.graphql<{ charity: { currency: string; name: string } }>('query C($id: ID!) { charity(id: $id) { currency name } }', {
    id: trace.charityId,
  });
  if (!charity.data?.charity) throw new UsageError(`the service does not describe charity ${trace.charityId}`);
  const { currency } = charity.data.charity;

  const outcome = (ok: boolean, headline: string, failure: Outcome['failure'], extra: Partial<Outcome> = {}): Outcome => ({
    command: 'trace',
    ok,
    headline,
    failure,
    facts: [],
    details: { charityId: trace.charityId, sequence: trace.sequence },
    warnings: [],
    ...extra,
  });

  // the chain, from the charity's export, each entry checked as it comes
  const chain = new ChainVerifier(trace.charityId);
  const entries: BookEntry[] = [];
  const bar = progress(globals.progress);
  const source = await openLines(`${url}/export?charityId=${encodeURIComponent(trace.charityId)}`);
  bar.start(source.totalBytes ?? 0, 'reading the chain');
  let bytes = 0;
  for await (const batch of source.batches) {
    for (const line of batch) {
      bytes += Buffer.byteLength(line) + 1;
      const record = JSON.parse(line) as { kind: string; position?: number; sequence?: number; hash?: string; prevHash?: string; canonicalJson?: string };
      if (record.kind !== 'entry') continue;
      const broken = chain.push({
        sequence: record.sequence!,
        canonicalBytes: Buffer.from(record.canonicalJson!, 'utf8'),
        hash: record.hash!,
        prevHash: record.prevHash!,
      });
      if (broken) {
        bar.stop();
        return outcome(false, `the chain of charity ${trace.charityId} is broken`, {
          code: FailureCode.CHAIN_BROKEN,
          position: record.position ?? null,
          reason: `sequence ${broken.sequence}: ${broken.reason}`,
        });
      }
      const document = JSON.parse(record.canonicalJson!) as { sequence: number; type: string; occurredAt: string; payload: Record<string, unknown> };
      entries.push({ sequence: document.sequence, type: document.type, occurredAt: document.occurredAt, payload: document.payload });
    }
    bar.update(bytes);
  }
  bar.stop();

  const { books, gifts } = attributeLedger(currency, entries);
  const gift = gifts.get(trace.sequence);
  if (!gift) {
    return outcome(false, `gift ${trace.sequence} is not a gift on the chain`, { code: FailureCode.TRACE_MISMATCH, position: null, reason: 'no such gift in the chain' });
  }
  const differences = compare(trace, recompute(gift, books, currency));
  const facts: Array<[string, string]> = [
    ['charity', `${charity.data.charity.name} (${trace.charityId})`],
    ['gift', `sequence ${trace.sequence}`],
    ['entries checked', count(entries.length)],
    ['uses', count(gift.uses.length)],
    ['attributed / refunded / unspent', `${trace.attributed.amount} / ${trace.refunded.amount} / ${trace.unspent.amount} ${currency}`],
  ];
  if (differences.length > 0) {
    return outcome(false, `the service's trace of gift ${trace.sequence} differs from the chain`, { code: FailureCode.TRACE_MISMATCH, position: null, reason: differences[0] }, {
      facts,
      details: { charityId: trace.charityId, sequence: trace.sequence, entries: entries.length, differences },
    });
  }
  return outcome(true, `the trace of gift ${trace.sequence} matches its charity's chain (${count(entries.length)} entries recomputed)`, null, {
    facts,
    details: { charityId: trace.charityId, sequence: trace.sequence, entries: entries.length, differences: [] },
  });
}

/** The service's answer, recomputed from the chain in the same shape and units. */
function recompute(gift: GiftAttribution, books: Books, currency: string): ServiceTrace {
  const amount = (minorUnits: number) => ({ amount: formatAmount({ currency, minorUnits }) });
  const live = gift.uses.filter((use) => !use.reversed);
  const refunded = live.filter((use) => use.type === 'DONATION_REFUNDED').reduce((sum, use) => sum + use.amount, 0);
  const attributed = live.filter((use) => use.type !== 'DONATION_REFUNDED').reduce((sum, use) => sum + use.amount, 0);
  const delivered = new Map<string, number>();
  for (const delivery of gift.deliveries) {
    if (!delivery.reversed) delivered.set(delivery.lotId, (delivered.get(delivery.lotId) ?? 0) + delivery.value);
  }
  const goods: ServiceTrace['goods'] = [];
  for (const lot of books.goodsLots.values()) {
    const slices = lot.slices.filter((slice) => slice.fundingSequence === gift.sequence);
    if (slices.length === 0) continue;
    const value = slices.reduce((sum, slice) => sum + slice.value, 0);
    const remaining = lot.reversed ? 0 : slices.reduce((sum, slice) => sum + slice.remaining, 0);
    goods.push({
      lotId: lot.lotId,
      units: units(value, lot.unitValue),
      deliveredUnits: units(delivered.get(lot.lotId) ?? 0, lot.unitValue),
      inStockUnits: units(remaining, lot.unitValue),
    });
  }
  return {
    charityId: '',
    sequence: gift.sequence,
    uses: gift.uses.map((use) => ({ sequence: use.sequence, type: use.type, amount: amount(use.amount), reversed: use.reversed })),
    goods,
    deliveries: gift.deliveries.map((delivery) => ({
      sequence: delivery.sequence,
      itemCode: delivery.itemCode,
      units: units(delivery.value, delivery.unitValue),
      reversed: delivery.reversed,
    })),
    attributed: amount(attributed),
    refunded: amount(refunded),
    unspent: amount(gift.kind === 'CASH' ? gift.unspent : 0),
  };
}

/** Units as the trace shows them (docs/attribution.md): whole, or to two decimals. */
function units(value: number, unitValue: number): string {
  return value % unitValue === 0 ? String(value / unitValue) : (value / unitValue).toFixed(2);
}

/** Differences between the service's answer and the recomputed one, in words. */
function compare(service: ServiceTrace, chain: ServiceTrace): string[] {
  const differences: string[] = [];
  const list = <Item>(name: string, items: Item[], key: (item: Item) => string) => [...items.map(key)].sort().join('\n') || `(no ${name})`;
  const sections: Array<[string, string, string]> = [
    ['uses', list('uses', service.uses, (use) => `${use.sequence} ${use.type} ${use.amount.amount}${use.reversed ? ' reversed' : ''}`), list('uses', chain.uses, (use) => `${use.sequence} ${use.type} ${use.amount.amount}${use.reversed ? ' reversed' : ''}`)],
    ['goods', list('goods', service.goods, goodsKey), list('goods', chain.goods, goodsKey)],
    ['deliveries', list('deliveries', service.deliveries, deliveryKey), list('deliveries', chain.deliveries, deliveryKey)],
  ];
  for (const [name, said, computed] of sections) {
    if (said !== computed) differences.push(`${name}: the service says\n${said}\nthe chain gives\n${computed}`);
  }
  for (const field of ['attributed', 'refunded', 'unspent'] as const) {
    if (service[field].amount !== chain[field].amount) {
      differences.push(`${field}: the service says ${service[field].amount}, the chain gives ${chain[field].amount}`);
    }
  }
  return differences;
}

const goodsKey = (item: ServiceTrace['goods'][number]) => `${item.lotId} units ${item.units} delivered ${item.deliveredUnits} in stock ${item.inStockUnits}`;
const deliveryKey = (item: ServiceTrace['deliveries'][number]) => `${item.sequence} ${item.itemCode} ${item.units}${item.reversed ? ' reversed' : ''}`;
