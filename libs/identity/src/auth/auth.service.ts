import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { UnauthenticatedError } from '@renkei/platform';
import { Repository } from 'typeorm';
import { User, UserStatus } from '../users/user.entity';
import { Organisation, OrganisationStatus } from '../organisations/organisation.entity';
import { PasswordHasher } from './password-hasher';
import { Principal } from './principal';
import { SessionService } from './session.service';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  /**
   * One answer for every failure (unknown e-mail, wrong password, suspended), so the response
   * never reveals whether an account exists.
   */
  async login(email: string, password: string, clientAddress?: string) {
    const user = await this.users.findOne({
      where: { email: email.toLowerCase() },
      relations: { organisation: true },
    });
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (
      !user ||
      !ok ||
      user.status !== UserStatus.ACTIVE ||
      (user.organisation as Organisation).status !== OrganisationStatus.ACTIVE
    ) {
      throw new UnauthenticatedError('Wrong e-mail address or password');
    }
    if (this.hasher.needsRehash(user.passwordHash as string)) {
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) });
    }
    const session = await this.sessions.create(user.id, clientAddress);
    return { ...session, user };
  }

  logout(principal: Principal): Promise<void> {
    return this.sessions.revoke(principal.sessionId);
  }

  currentUser(principal: Principal): Promise<User | null> {
    return this.users.findOneBy({ id: principal.userId });
  }
}
