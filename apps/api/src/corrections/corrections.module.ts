import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CorrectionsResolver } from './corrections.resolver.js';

@Module({ imports: [LedgerModule], providers: [CorrectionsResolver] })
export class CorrectionsModule {}
