import { Module } from '@nestjs/common';
import { RegionsResolver } from './regions.resolver.js';

@Module({ providers: [RegionsResolver] })
export class RegionsModule {}
