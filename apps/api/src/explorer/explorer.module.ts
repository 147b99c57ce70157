import { Module } from '@nestjs/common';
import path from 'node:path';

import { EXPLORER_DIRECTORY, ExplorerController } from './explorer.controller.js';

/**
 * The offline GraphQL explorer: GET / redirects to GET /explorer, which serves the
 * GraphiQL bundle that `npm run build` (tools/build-explorer.mjs) writes to dist/explorer.
 */
@Module({
  controllers: [ExplorerController],
  providers: [
    // Relative to the working directory, like `npm start` and the build script's output;
    // a provider rather than a setting, so that tests can point it at another folder.
    { provide: EXPLORER_DIRECTORY, useFactory: (): string => path.resolve(process.cwd(), 'dist', 'explorer') },
  ],
})
export class ExplorerModule {}
