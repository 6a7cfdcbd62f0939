import { Query, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Sector } from './sector.entity';

@Resolver(() => Sector)
export class SectorResolver {
  constructor(@InjectRepository(Sector) private readonly repository: Repository<Sector>) {}

  @Query(() => [Sector], { description: 'The sectors organisations belong to, in display order.' })
  sectors(): Promise<Sector[]> {
    return this.repository.find({ order: { position: 'ASC' } });
  }
}
