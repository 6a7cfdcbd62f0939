import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@renkei/identity';
import { DataSource } from 'typeorm';

@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Liveness: the process answers. Nothing external, so a database outage does not restart us. */
  @Get('healthz')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the database answers and every migration this build knows is applied. Down, it
   * is still Terminus's report with 503, the format orchestrators read, not a REST error body.
   */
  @Get('readyz')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2000 }),
        async () => {
          const check = this.indicators.check('migrations');
          const pending = await this.dataSource.showMigrations();
          return pending ? check.down({ pending: true }) : check.up();
        },
      ]);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(503);
      return e.getResponse();
    }
  }
}
