import { Controller, Get, HttpStatus, Logger, Param, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AllowPublic } from '../auth/access.decorators.js';
import { DomainError } from '../common/domain-error.js';
import { streamResponse } from '../common/stream-response.js';
import { LogExportService } from './log-export.service.js';
import { TransparencyHttpErrorFilter } from './transparency-http.filter.js';
import { TransparencyService } from './transparency.service.js';

const TEXT = 'text/plain; charset=utf-8';

/**
 * What verifiers fetch over plain HTTP, in the layout the publish directory
 * mirrors: the latest checkpoint, each checkpoint by size, the key list, and the
 * export. Text answers are the exact bytes to verify; errors are JSON with the
 * same codes as GraphQL.
 */
@Controller()
@UseFilters(TransparencyHttpErrorFilter)
export class TransparencyController {
  private readonly logger = new Logger(TransparencyController.name);

  constructor(
    private readonly transparency: TransparencyService,
    private readonly exports: LogExportService,
  ) {}

  /** The latest signed checkpoint (C2SP tlog-checkpoint signed note). */
  @Get('checkpoint')
  @AllowPublic()
  async latest(@Res() response: Response): Promise<void> {
    const latest = await this.transparency.latestCheckpoint();
    if (!latest) throw DomainError.notFound('No checkpoint has been signed yet; the first one follows the first entries.');
    response.status(HttpStatus.OK).setHeader('Cache-Control', 'no-cache').type(TEXT).send(latest.note);
  }

  /** The checkpoint of one tree size; it never changes. */
  @Get('checkpoints/:treeSize')
  @AllowPublic()
  async bySize(@Param('treeSize') treeSize: string, @Res() response: Response): Promise<void> {
    if (!/^[1-9][0-9]{0,14}$/.test(treeSize)) throw DomainError.badInput('treeSize', 'must be a whole number, 1 or more');
    const checkpoint = await this.transparency.checkpointBySize(Number(treeSize));
    if (!checkpoint) throw DomainError.notFound(`No checkpoint was signed at tree size ${treeSize}.`);
    response.status(HttpStatus.OK).setHeader('Cache-Control', 'public, max-age=31536000, immutable').type(TEXT).send(checkpoint.note);
  }

  /** Every checkpoint key in C2SP verifier-key form, one per line, the current key first. */
  @Get('.well-known/charity-ledger/keys')
  @AllowPublic()
  async keys(@Res() response: Response): Promise<void> {
    const keys = await this.transparency.keys();
    response.status(HttpStatus.OK).setHeader('Cache-Control', 'no-cache').type(TEXT).send(keys.map((key) => `${key.verifierKey}\n`).join(''));
  }

  /** NDJSON export of the log, or of one charity, up to the latest checkpoint (docs/ledger-format.md, "Exports"). */
  @Get('export')
  @AllowPublic()
  async export(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const plan = await this.exports.plan(query);
    const name = `charity-ledger-${plan.charityId ?? 'log'}-${plan.fromPosition}-${plan.checkpoint.treeSize}.ndjson`;
    response.status(HttpStatus.OK).type('application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    response.setHeader('Cache-Control', 'no-cache');
    // a failure part-way cuts the stream: the verifier then sees no checkpoint line and fails
    await streamResponse(response, this.exports.lines(plan), (error) =>
      this.logger.error(`export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }
}
