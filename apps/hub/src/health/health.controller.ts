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
import { liveness } from '@renkei/platform';
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

  /**
   * Liveness: the process answers and nothing it cannot recover from has happened. A database
   * outage alone does not fail it (a restart would not help); an embedded PostgreSQL that could
   * not be brought back does, so an orchestrator restarts the hub.
   */
  @Get('healthz')
  @HealthCheck()
  live(@Res({ passthrough: true }) res: Response) {
    return this.report(res, [
      () => {
        const check = this.indicators.check('process');
        const problems = liveness.problems();
        return Object.keys(problems).length ? check.down(problems) : check.up();
      },
    ]);
  }

  /**
   * Readiness: the database answers and every migration this build knows is applied. Down, it
   * is still Terminus's report with 503, the format orchestrators read, not a REST error body.
   */
  @Get('readyz')
  @HealthCheck()
  ready(@Res({ passthrough: true }) res: Response) {
    return this.report(res, [
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const check = this.indicators.check('migrations');
        // Unknown is not ready: a database that cannot be asked answers 503 like the ping.
        const pending = await this.dataSource.showMigrations().catch(() => undefined);
        if (pending === undefined) return check.down({ unknown: true });
        return pending ? check.down({ pending: true }) : check.up();
      },
    ]);
  }

  /** Terminus's report, with 503 when a check is down (not the REST error body of a 5xx). */
  private async report(res: Response, checks: Parameters<HealthCheckService['check']>[0]) {
    try {
      return await this.health.check(checks);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(503);
      return e.getResponse();
    }
  }
}
