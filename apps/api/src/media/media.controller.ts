import { Controller, Get, HttpStatus, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { MediaHttpErrorFilter } from './media-http.filter.js';
import { sendMedia } from './media-response.js';
import { MEDIA_STORE, type MediaStore } from './media-store.js';
import { MediaService } from './media.service.js';

/**
 * Evidence media over plain HTTP (docs/api.md, "Media"): a charity uploads a file
 * as multipart/form-data and gets its SHA-256 to name in ledger entries; anyone
 * reads it by that hash once an entry references it. Errors are JSON with the
 * same codes as GraphQL.
 */
@Controller('media')
@UseFilters(MediaHttpErrorFilter)
export class MediaController {
  constructor(
    private readonly media: MediaService,
    @Inject(MEDIA_STORE) private readonly store: MediaStore,
  ) {}

  /** Stores one file (part "file"), streamed; answers `{ sha256, contentType, sizeBytes }`. */
  @Post()
  @Allow(Role.CHARITY)
  async upload(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const uploaded = await this.media.upload(actor, request);
    response.status(HttpStatus.CREATED).setHeader('Location', `/media/${uploaded.sha256}`).json(uploaded);
  }

  /** The file's bytes, with ranges; NOT_FOUND unless it is public or the caller may see it. */
  @Get(':sha256')
  @AllowPublic()
  async read(@CurrentActor() actor: Actor, @Param('sha256') sha256: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const media = await this.media.readable(actor, sha256);
    await sendMedia(request, response, this.store, media);
  }
}
