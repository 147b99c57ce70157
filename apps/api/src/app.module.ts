import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APPLICATION_ROLE } from '../../../migrations/index.js';
import { AccessGuard } from './auth/access.guard.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { AuthModule } from './auth/auth.module.js';
import { BooksModule } from './books/books.module.js';
import { BeneficiariesModule } from './beneficiaries/beneficiaries.module.js';
import { BeneficiaryRecordsModule } from './beneficiary-records/beneficiary-records.module.js';
import { CharitiesModule } from './charities/charities.module.js';
import { ComplianceModule } from './compliance/compliance.module.js';
import { CorrectionsModule } from './corrections/corrections.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';
import { formatGraphQLError } from './common/graphql-errors.js';
import { InputValidationPipe } from './common/validation.js';
import { AppConfig } from './config/app-config.js';
import { ENTITIES } from './database/entities.js';
import { DisclosuresModule } from './disclosures/disclosures.module.js';
import { DonationsModule } from './donations/donations.module.js';
import { DuplicateAidModule } from './duplicate-aid/duplicate-aid.module.js';
import { ExplorerModule } from './explorer/explorer.module.js';
import { FiguresModule } from './figures/figures.module.js';
import { HealthModule } from './health/health.module.js';
import { IatiModule } from './iati/iati.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { LiveFeedModule } from './live-feed/live-feed.module.js';
import { graphqlContext, subscriptionServer } from './live-feed/subscription-server.js';
import { MediaModule } from './media/media.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { RegionsModule } from './regions/regions.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SpendingModule } from './spending/spending.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { TransparencyModule } from './transparency/transparency.module.js';

export interface AppSettings {
  config: AppConfig;
  /** Runtime database URL (DATABASE_URL or the embedded database). */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl }: AppSettings): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: databaseUrl,
          entities: ENTITIES,
          synchronize: false,
          migrationsRun: false,
          logging: ['error'],
          // every session runs as the least-privilege role: it can append to the
          // ledger but not update, delete or truncate it (docs/operations.md)
          extra: { max: config.databasePoolSize, options: `-c role=${APPLICATION_ROLE}` },
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule],
          inject: [ApiKeysService],
          useFactory: (apiKeys: ApiKeysService): ApolloDriverConfig => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            introspection: true,
            // the explorer is served offline from /explorer; Apollo's landing page would load a CDN
            playground: false,
            plugins: [ApolloServerPluginLandingPageDisabled()],
            // HTTP requests, and subscriptions over graphql-ws on the same path (the live feed)
            context: graphqlContext,
            subscriptions: { 'graphql-ws': subscriptionServer(apiKeys) },
            formatError: formatGraphQLError,
          }),
        }),
        AuthModule,
        CharitiesModule,
        LedgerModule,
        DonationsModule,
        BooksModule,
        FiguresModule,
        ComplianceModule,
        DisclosuresModule,
        RegionsModule,
        ProjectsModule,
        SpendingModule,
        BeneficiariesModule,
        BeneficiaryRecordsModule,
        DuplicateAidModule,
        CorrectionsModule,
        ReportsModule,
        TracingModule,
        TransparencyModule,
        LiveFeedModule,
        MediaModule,
        IatiModule,
        ExplorerModule,
        HealthModule,
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
      ],
      exports: [AppConfig],
    };
  }
}
