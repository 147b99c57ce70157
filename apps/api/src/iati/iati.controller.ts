import { Controller, Get, HttpStatus, Logger, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AllowPublic } from '../auth/access.decorators.js';
import { DomainError } from '../common/domain-error.js';
import { streamResponse } from '../common/stream-response.js';
import { TransparencyHttpErrorFilter } from '../transparency/transparency-http.filter.js';
import { IatiService } from './iati.service.js';

/** `GET /iati/<charity id>.xml`: the charity's IATI 2.03 activity file, public, streamed. */
@Controller('iati')
@UseFilters(TransparencyHttpErrorFilter)
export class IatiController {
  private readonly logger = new Logger(IatiController.name);

  constructor(private readonly iati: IatiService) {}

  @Get(':file')
  @AllowPublic()
  async activities(@Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const match = /^(.+)\.xml$/.exec(file);
    if (!match) throw DomainError.badInput('charityId', 'the file is /iati/<charity id>.xml');
    const charity = await this.iati.charity(match[1]);
    response.status(HttpStatus.OK).type('application/xml; charset=utf-8');
    response.setHeader('Content-Disposition', `inline; filename="iati-activities-${charity.id}.xml"`);
    response.setHeader('Cache-Control', 'no-cache');
    // links (a report's media) point back at the address the document was asked from
    const baseUrl = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    await streamResponse(response, this.iati.document(charity, new Date(), baseUrl), (error) =>
      this.logger.error(`IATI export of ${charity.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }
}
