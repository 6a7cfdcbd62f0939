import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, Repository } from 'typeorm';
import { CorporateGroup } from './groups/corporate-group.entity';
import { Organisation } from './organisations/organisation.entity';
import { Sector } from './sectors/sector.entity';

export interface IdentityLoaderSet {
  sector: DataLoader<string, Sector>;
  group: DataLoader<string, CorporateGroup>;
  organisation: DataLoader<string, Organisation>;
}

function byKey<K, V>(rows: V[], keyOf: (v: V) => K, keys: readonly K[]): (V | Error)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? new Error(`missing ${String(k)}`));
}

/**
 * Fresh DataLoaders per request (so nothing is cached across principals), kept on the request
 * object: `loaders.of(req).sector.load(code)`.
 */
@Injectable()
export class IdentityLoaders {
  private readonly perRequest = new WeakMap<object, IdentityLoaderSet>();

  constructor(
    @InjectRepository(Sector) private readonly sectors: Repository<Sector>,
    @InjectRepository(CorporateGroup) private readonly groups: Repository<CorporateGroup>,
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
  ) {}

  of(req: object): IdentityLoaderSet {
    let set = this.perRequest.get(req);
    if (!set) {
      set = {
        sector: new DataLoader(async (codes) =>
          byKey(await this.sectors.findBy({ code: In([...codes]) }), (s) => s.code, codes),
        ),
        group: new DataLoader(async (ids) =>
          byKey(await this.groups.findBy({ id: In([...ids]) }), (g) => g.id, ids),
        ),
        organisation: new DataLoader(async (ids) =>
          byKey(await this.organisations.findBy({ id: In([...ids]) }), (o) => o.id, ids),
        ),
      };
      this.perRequest.set(req, set);
    }
    return set;
  }
}
