import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CorporateGroup,
  OrganisationKind,
  OrganisationService,
  Role,
  SetupService,
  UserService,
} from '@renkei/identity';
import { DataSource } from 'typeorm';

interface DemoOrg {
  name: string;
  kind: OrganisationKind;
  sector: string;
  group?: string;
  ranges?: string[];
  domains?: string[];
  users: [local: string, name: string, role: Role][];
}

/** Fictional but believable: one sector CSIRT community, domains under .example, TEST-NET ranges. */
const GROUPS = ['Higashi Energy Group'];
const ORGS: DemoOrg[] = [
  {
    name: 'CI-CSIRT (demo coordinator)',
    kind: OrganisationKind.COORDINATOR,
    sector: 'other',
    domains: ['ci-csirt.example'],
    users: [
      ['admin', 'Hub Administrator', Role.HUB_ADMIN],
      ['coordinator', 'Aoi Tanaka', Role.ANALYST],
    ],
  },
  {
    name: 'Electric Power ISAC',
    kind: OrganisationKind.SECTOR_CSIRT,
    sector: 'electric-power',
    domains: ['ep-isac.example'],
    users: [['csirt', 'Kenji Mori', Role.ORG_ADMIN]],
  },
  {
    name: 'Higashi Denryoku',
    kind: OrganisationKind.OPERATOR,
    sector: 'electric-power',
    group: 'Higashi Energy Group',
    ranges: ['192.0.2.0/25'],
    domains: ['higashi-denryoku.example'],
    users: [
      ['soc-admin', 'Yui Sato', Role.ORG_ADMIN],
      ['analyst', 'Ren Kobayashi', Role.ANALYST],
    ],
  },
  {
    name: 'Higashi Gas',
    kind: OrganisationKind.OPERATOR,
    sector: 'gas',
    group: 'Higashi Energy Group',
    ranges: ['192.0.2.128/25'],
    domains: ['higashi-gas.example'],
    users: [['analyst', 'Haruto Ito', Role.ANALYST]],
  },
  {
    name: 'Kita Power',
    kind: OrganisationKind.OPERATOR,
    sector: 'electric-power',
    ranges: ['198.51.100.0/24'],
    domains: ['kita-power.example'],
    users: [['analyst', 'Mei Watanabe', Role.ANALYST]],
  },
  {
    name: 'Minami Grid',
    kind: OrganisationKind.OPERATOR,
    sector: 'electric-power',
    ranges: ['203.0.113.0/26'],
    domains: ['minami-grid.example'],
    users: [['viewer', 'Sota Yamamoto', Role.VIEWER]],
  },
  {
    name: 'Nishi Railway',
    kind: OrganisationKind.OPERATOR,
    sector: 'railways',
    ranges: ['2001:db8:100::/48'],
    domains: ['nishi-railway.example'],
    users: [['analyst', 'Hina Nakamura', Role.ANALYST]],
  },
  {
    name: 'Minato Water Works',
    kind: OrganisationKind.OPERATOR,
    sector: 'water',
    domains: ['minato-water.example'],
    users: [['analyst', 'Daiki Suzuki', Role.ANALYST]],
  },
  {
    name: 'Sakura Bank',
    kind: OrganisationKind.OPERATOR,
    sector: 'finance',
    domains: ['sakura-bank.example'],
    users: [['analyst', 'Rina Takahashi', Role.ANALYST]],
  },
  {
    name: 'SecureOT Systems',
    kind: OrganisationKind.VENDOR,
    sector: 'other',
    domains: ['secureot.example'],
    users: [['analyst', 'Takumi Kato', Role.ANALYST]],
  },
];

/** `--demo`: fills an empty hub with a sample community for the README tour. */
@Injectable()
export class DemoSeeder {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organisations: OrganisationService,
    private readonly users: UserService,
    private readonly setup: SetupService,
  ) {}

  async seed(): Promise<{ password: string; logins: string[] } | undefined> {
    const [{ count }] = await this.db.query('SELECT count(*)::int AS count FROM organisation');
    if (count > 0) {
      process.stdout.write(
        '\n  --demo: the hub already holds organisations; nothing was added.\n\n',
      );
      return undefined;
    }
    // One random password for every demo user: there is no default password, even in a demo.
    const password = `demo-${randomBytes(12).toString('base64url')}`;
    const logins: string[] = [];
    await this.db.transaction(async (tx) => {
      const groups = new Map<string, string>();
      for (const name of GROUPS) {
        const g = await tx.getRepository(CorporateGroup).save({ name });
        groups.set(name, g.id);
      }
      for (const o of ORGS) {
        const org = await this.organisations.create(
          {
            name: o.name,
            kind: o.kind,
            sectorCode: o.sector,
            groupId: o.group ? groups.get(o.group) : undefined,
            addressRanges: o.ranges,
            domains: o.domains,
          },
          tx,
        );
        for (const [local, displayName, role] of o.users) {
          const email = `${local}@${o.domains![0]}`;
          await this.users.create(
            'setup',
            { organisationId: org.id, email, displayName, role, initialPassword: password },
            tx,
          );
          logins.push(`${email.padEnd(36)} ${role.padEnd(10)} ${o.name}`);
        }
      }
      await this.setup.markComplete(tx);
    });
    process.stdout.write(
      [
        '',
        `  Demo data added: ${ORGS.length} organisations, ${logins.length} users. Every demo user's password is`,
        '',
        `      ${password}`,
        '',
        ...logins.map((l) => `    ${l}`),
        '',
        '',
      ].join('\n'),
    );
    return { password, logins };
  }
}
