import { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the entities. Empty when the committed
 * migrations and the entities agree; the drift test fails otherwise, and `npm run
 * migration:draft` prints these statements as the start of the missing migration.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
