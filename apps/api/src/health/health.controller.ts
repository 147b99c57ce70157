import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

/** Liveness and readiness for load balancers and docker-compose: answers 200 only when the database does. */
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  async check(@Res() response: Response): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
      response.status(HttpStatus.OK).json({ status: 'ok' });
    } catch {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'database unavailable' });
    }
  }
}
