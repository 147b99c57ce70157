import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalize } from '@charity-ledger/ledger-core';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { DomainError } from '../common/domain-error.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import type { Connection } from '../common/paginated.type.js';
import { commitmentFor, open, pseudonymFor, randomSecret, recordContext, seal, SealedDataError, wrapContext } from './beneficiary-crypto.js';
import { decideEnrollment, pseudonymArgument, reasonArgument, type PersonalRecord } from './beneficiary-records.decide.js';
import type { BeneficiaryAccessLogFilter } from './dto/access-log-filter.input.js';
import { AccessAction, AccessOutcome, type BeneficiaryAccessLogEntry } from './dto/access-log.type.js';
import type { BeneficiaryEnrollment } from './dto/beneficiary-enrollment.type.js';
import type { BeneficiaryErasure, BeneficiaryRecord } from './dto/beneficiary-record.type.js';
import type { EnrollBeneficiaryInput } from './dto/enroll-beneficiary.input.js';
import { idNumberNamespace } from './identity-documents.js';
import { PlatformKeysService } from './platform-keys.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_CURSOR = 'log';

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

interface AccessEvent {
  action: AccessAction;
  outcome: AccessOutcome;
  charityId: string;
  pseudonym: string;
  enrollmentId?: string | null;
  reason?: string | null;
}

interface EnrollmentRow {
  id: string;
  charity_id: string;
  pseudonym: string;
  commitment: string;
  sealed_record: Buffer;
  enrolled_at: Date;
  erased_at: Date | null;
  kek_id: string | null;
  wrapped_key: Buffer | null;
  wrapped_salt: Buffer | null;
}

interface AccessLogRow {
  id: string;
  at: Date;
  actor_key_id: string;
  actor_role: string;
  actor_charity_id: string | null;
  action: AccessAction;
  outcome: AccessOutcome;
  charity_id: string;
  pseudonym: string;
  enrollment_id: string | null;
  reason: string | null;
}

const ENROLLMENT_COLUMNS = `e.id, e.charity_id, e.pseudonym, e.commitment, e.sealed_record, e.enrolled_at, e.erased_at, k.kek_id, k.wrapped_key, k.wrapped_salt`;
const ENROLLMENT_FROM = `beneficiary_enrollment e LEFT JOIN beneficiary_key k ON k.enrollment_id = e.id`;

/**
 * Beneficiaries' personal data, off the ledger (docs/privacy.md): enrollment
 * (sealed per person), reads by the enrolling charity and regulators, erasure by
 * crypto-shredding, and the access log that records each of them — refused
 * attempts included. Nothing here touches the ledger.
 */
@Injectable()
export class BeneficiaryRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: PlatformKeysService,
  ) {}

  /**
   * Seals a person's data for the charity and returns their pseudonym and a new
   * commitment. The same person enrolled again by the same charity: with the same
   * details, the existing enrollment is returned (a retry writes nothing new); with
   * other details, CONFLICT (there is no update yet: erase and enroll again).
   */
  async enroll(actor: Actor, input: EnrollBeneficiaryInput): Promise<BeneficiaryEnrollment> {
    if (actor.role !== Role.CHARITY || actor.charityId !== input.charityId) {
      throw DomainError.forbidden(`This key may not enroll people for charity ${input.charityId}; a CHARITY key enrolls only for its own charity.`);
    }
    const record = decideEnrollment(input, new Date());
    const normalizedNumber = record.idDocument.number;
    const pseudonym = pseudonymFor(this.keys.pseudonymKey.key, idNumberNamespace(record.idDocument.type), normalizedNumber);
    const plaintext = Buffer.from(canonicalize(record), 'utf8');
    const charityId = input.charityId;

    const result = await this.dataSource.transaction(async (manager) => {
      const query: Query = (sql, parameters) => manager.query(sql, parameters);
      await lockPerson(manager, charityId, pseudonym);
      const [existing] = (await manager.query(
        `SELECT ${ENROLLMENT_COLUMNS} FROM ${ENROLLMENT_FROM} WHERE e.charity_id = $1 AND e.pseudonym = $2 AND e.erased_at IS NULL`,
        [charityId, pseudonym],
      )) as EnrollmentRow[];
      if (existing) {
        const same = this.openRecord(existing).plaintext.equals(plaintext);
        const event = { action: AccessAction.ENROLL, charityId, pseudonym, enrollmentId: existing.id };
        if (!same) {
          // logged once the refusal is decided; thrown after the commit so the log entry stays
          await this.log(query, actor, { ...event, outcome: AccessOutcome.CONFLICT });
          return { conflict: existing };
        }
        await this.log(query, actor, { ...event, outcome: AccessOutcome.GRANTED });
        return { enrollment: { enrollmentId: existing.id, charityId, pseudonym, commitment: existing.commitment, enrolledAt: existing.enrolled_at, alreadyEnrolled: true } };
      }

      const enrollmentId = randomUUID();
      const dataKey = randomSecret();
      const salt = randomSecret();
      const commitment = commitmentFor(salt, normalizedNumber);
      const keyEncryption = this.keys.keyEncryptionKey;
      const [{ enrolled_at: enrolledAt }] = (await manager.query(
        `INSERT INTO beneficiary_enrollment (id, charity_id, pseudonym, commitment, sealed_record, enrolled_by_key_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING enrolled_at`,
        [enrollmentId, charityId, pseudonym, commitment, seal(dataKey, plaintext, recordContext(enrollmentId, charityId, pseudonym)), actor.keyId],
      )) as Array<{ enrolled_at: Date }>;
      await manager.query('INSERT INTO beneficiary_key (enrollment_id, kek_id, wrapped_key, wrapped_salt) VALUES ($1, $2, $3, $4)', [
        enrollmentId,
        keyEncryption.id,
        seal(keyEncryption.key, dataKey, wrapContext(enrollmentId, 'data-key')),
        seal(keyEncryption.key, salt, wrapContext(enrollmentId, 'salt')),
      ]);
      await this.log(query, actor, { action: AccessAction.ENROLL, outcome: AccessOutcome.GRANTED, charityId, pseudonym, enrollmentId });
      return { enrollment: { enrollmentId, charityId, pseudonym, commitment, enrolledAt, alreadyEnrolled: false } };
    });
    if (result.conflict) {
      throw DomainError.conflict(
        `Charity ${charityId} enrolled this person before (enrollment ${result.conflict.id}, pseudonym ${pseudonym}) with other details. ` +
          'Enrollments are not edited: erase the old one (eraseBeneficiary) and enroll again.',
      );
    }
    return result.enrollment;
  }

  /** The person's data as the charity enrolled them, for the enrolling charity or a regulator; logged with the reason, allowed or not. */
  async read(actor: Actor, pseudonymText: string, reasonText: string, charityIdText: string | undefined): Promise<BeneficiaryRecord> {
    const pseudonym = pseudonymArgument(pseudonymText);
    const reason = reasonArgument(reasonText);
    const charityId = targetCharity(actor, charityIdText);
    const event = { action: AccessAction.READ, charityId, pseudonym, reason };
    const query: Query = (sql, parameters) => this.dataSource.query(sql, parameters);

    const allowed = actor.role === Role.REGULATOR || (actor.role === Role.CHARITY && actor.charityId === charityId);
    if (!allowed) {
      await this.log(query, actor, { ...event, outcome: AccessOutcome.FORBIDDEN });
      throw DomainError.forbidden(
        actor.role === Role.CHARITY
          ? `A CHARITY key reads only the personal data of its own charity's people, not charity ${charityId}'s.`
          : `A ${actor.role} key may not read beneficiaries' personal data (the enrolling charity and REGULATOR keys may).`,
      );
    }
    const [row] = (await this.dataSource.query(
      `SELECT ${ENROLLMENT_COLUMNS} FROM ${ENROLLMENT_FROM} WHERE e.charity_id = $1 AND e.pseudonym = $2
        ORDER BY e.erased_at IS NULL DESC, e.enrolled_at DESC LIMIT 1`,
      [charityId, pseudonym],
    )) as EnrollmentRow[];
    if (!row) {
      await this.log(query, actor, { ...event, outcome: AccessOutcome.NOT_FOUND });
      throw DomainError.notFound(`Charity ${charityId} has not enrolled anyone with pseudonym ${pseudonym}.`);
    }
    if (row.erased_at) {
      await this.log(query, actor, { ...event, outcome: AccessOutcome.GONE, enrollmentId: row.id });
      throw erasedError(row);
    }
    const { record, salt } = this.openRecord(row);
    await this.log(query, actor, { ...event, outcome: AccessOutcome.GRANTED, enrollmentId: row.id });
    return toBeneficiaryRecord(row, record, salt);
  }

  /**
   * Crypto-shredding (PIPL Art. 47): deletes the person's wrapped data key and
   * salt, so the sealed record and the commitment can never be opened again, by
   * anyone. The ledger, which holds only the pseudonym and the commitment, is untouched.
   */
  async erase(actor: Actor, pseudonymText: string, reasonText: string, charityIdText: string | undefined): Promise<BeneficiaryErasure> {
    const pseudonym = pseudonymArgument(pseudonymText);
    const reason = reasonArgument(reasonText);
    const charityId = targetCharity(actor, charityIdText);
    const event = { action: AccessAction.ERASE, charityId, pseudonym, reason };

    if (actor.role !== Role.CHARITY || actor.charityId !== charityId) {
      await this.log((sql, parameters) => this.dataSource.query(sql, parameters), actor, { ...event, outcome: AccessOutcome.FORBIDDEN });
      throw DomainError.forbidden(
        `Only the enrolling charity erases its people's personal data (as the handler of that data under PIPL Art. 47); this ${actor.role} key may not erase charity ${charityId}'s.`,
      );
    }
    const result = await this.dataSource.transaction(async (manager) => {
      const query: Query = (sql, parameters) => manager.query(sql, parameters);
      await lockPerson(manager, charityId, pseudonym);
      const [row] = (await manager.query(
        `SELECT ${ENROLLMENT_COLUMNS} FROM ${ENROLLMENT_FROM} WHERE e.charity_id = $1 AND e.pseudonym = $2
          ORDER BY e.erased_at IS NULL DESC, e.enrolled_at DESC LIMIT 1`,
        [charityId, pseudonym],
      )) as EnrollmentRow[];
      if (!row) {
        await this.log(query, actor, { ...event, outcome: AccessOutcome.NOT_FOUND });
        return { refused: DomainError.notFound(`Charity ${charityId} has not enrolled anyone with pseudonym ${pseudonym}.`) };
      }
      if (row.erased_at) {
        await this.log(query, actor, { ...event, outcome: AccessOutcome.GONE, enrollmentId: row.id });
        return { refused: erasedError(row) };
      }
      await manager.query('DELETE FROM beneficiary_key WHERE enrollment_id = $1', [row.id]);
      // TypeORM answers an UPDATE with [rows, row count]
      const [[{ erased_at: erasedAt }]] = (await manager.query(
        'UPDATE beneficiary_enrollment SET erased_at = now(), erased_by_key_id = $2 WHERE id = $1 RETURNING erased_at',
        [row.id, actor.keyId],
      )) as [Array<{ erased_at: Date }>, number];
      await this.log(query, actor, { ...event, outcome: AccessOutcome.GRANTED, enrollmentId: row.id });
      return { erasure: { enrollmentId: row.id, charityId, pseudonym, erasedAt } };
    });
    if ('refused' in result) throw result.refused;
    return result.erasure;
  }

  /** The access log, newest first: everything for a regulator, accesses to its own people for a charity. */
  async accessLog(actor: Actor, filter: BeneficiaryAccessLogFilter | undefined, first: number | undefined, after: string | undefined): Promise<Connection<BeneficiaryAccessLogEntry>> {
    const size = pageSize(first);
    const before = after === undefined || after === null ? null : decodeCursor(LOG_CURSOR, after);
    let charityId = filter?.charityId;
    if (actor.role === Role.CHARITY) {
      if (charityId !== undefined && charityId !== actor.charityId) {
        throw DomainError.forbidden(`A CHARITY key reads the access log of its own charity's people only, not charity ${charityId}'s.`);
      }
      charityId = actor.charityId!;
    }
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    if (charityId !== undefined) where('charity_id = ?', charityId);
    if (filter?.pseudonym !== undefined) where('pseudonym = ?', filter.pseudonym);
    if (filter?.actorKeyId !== undefined) where('actor_key_id = ?', filter.actorKeyId);
    if (filter?.action !== undefined) where('action = ?', filter.action);
    if (filter?.outcome !== undefined) where('outcome = ?', filter.outcome);
    if (filter?.from !== undefined) where('at >= ?', filter.from);
    if (filter?.to !== undefined) where('at < ?', filter.to);
    if (before !== null) where('id < ?', before);
    parameters.push(size + 1);
    const rows = (await this.dataSource.query(
      `SELECT id, at, actor_key_id, actor_role, actor_charity_id, action, outcome, charity_id, pseudonym, enrollment_id, reason
         FROM beneficiary_access_log ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${parameters.length}`,
      parameters,
    )) as AccessLogRow[];
    const edges = rows.slice(0, size).map((row) => ({
      cursor: encodeCursor(LOG_CURSOR, Number(row.id)),
      node: {
        id: row.id,
        at: row.at,
        actorKeyId: row.actor_key_id,
        actorRole: row.actor_role,
        actorCharityId: row.actor_charity_id,
        action: row.action,
        outcome: row.outcome,
        charityId: row.charity_id,
        pseudonym: row.pseudonym,
        enrollmentId: row.enrollment_id,
        reason: row.reason,
      },
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** Unwraps the person's key and salt and opens the record. A failure here is a fault (wrong key, changed bytes), never the caller's. */
  private openRecord(row: EnrollmentRow): { record: PersonalRecord; plaintext: Buffer; salt: Buffer } {
    const keyEncryption = this.keys.keyEncryptionKey;
    if (!row.wrapped_key || !row.wrapped_salt) throw new Error(`beneficiary enrollment ${row.id} is not erased but has no key`);
    if (row.kek_id !== keyEncryption.id) {
      throw new Error(`beneficiary enrollment ${row.id}: its key is wrapped under key-encryption key ${row.kek_id}, not the configured ${keyEncryption.id}`);
    }
    try {
      const dataKey = open(keyEncryption.key, row.wrapped_key, wrapContext(row.id, 'data-key'));
      const salt = open(keyEncryption.key, row.wrapped_salt, wrapContext(row.id, 'salt'));
      const plaintext = open(dataKey, row.sealed_record, recordContext(row.id, row.charity_id, row.pseudonym));
      return { record: JSON.parse(plaintext.toString('utf8')) as PersonalRecord, plaintext, salt };
    } catch (error) {
      if (!(error instanceof SealedDataError)) throw error;
      // for the operators' log; the caller gets INTERNAL_SERVER_ERROR and no data
      throw new Error(`beneficiary enrollment ${row.id}: its sealed data do not open (${error.message}); restore the rows from a backup`);
    }
  }

  private async log(query: Query, actor: Actor, event: AccessEvent): Promise<void> {
    await query(
      `INSERT INTO beneficiary_access_log (actor_key_id, actor_role, actor_charity_id, action, outcome, charity_id, pseudonym, enrollment_id, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [actor.keyId, actor.role, actor.charityId, event.action, event.outcome, event.charityId, event.pseudonym, event.enrollmentId ?? null, event.reason ?? null],
    );
  }
}

/** The charity whose enrollment is meant: the argument, or a CHARITY key's own. */
function targetCharity(actor: Actor, charityId: string | undefined): string {
  if (charityId === undefined || charityId === null) {
    if (actor.role === Role.CHARITY) return actor.charityId!;
    throw DomainError.badInput('charityId', 'name the enrolling charity (a CHARITY key may leave it out for its own)');
  }
  if (!UUID.test(charityId)) throw DomainError.badInput('charityId', 'must be a charity id (UUID)');
  return charityId.toLowerCase();
}

/** One person at one charity at a time: enrollment and erasure do not interleave. */
async function lockPerson(manager: EntityManager, charityId: string, pseudonym: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`beneficiary:${charityId}:${pseudonym}`]);
}

function erasedError(row: EnrollmentRow): DomainError {
  return DomainError.gone(
    `The personal data of pseudonym ${row.pseudonym} at charity ${row.charity_id} were erased on ${row.erased_at!.toISOString()}: ` +
      'their key was destroyed, so nobody can read them any more.',
  );
}

function toBeneficiaryRecord(row: EnrollmentRow, record: PersonalRecord, salt: Buffer): BeneficiaryRecord {
  return {
    enrollmentId: row.id,
    charityId: row.charity_id,
    pseudonym: row.pseudonym,
    commitment: row.commitment,
    commitmentSalt: salt.toString('hex'),
    name: record.name,
    idDocument: record.idDocument,
    dateOfBirth: record.dateOfBirth,
    contact: record.contact
      ? { phone: record.contact.phone ?? null, address: record.contact.address ?? null, guardian: record.contact.guardian ?? null }
      : null,
    categories: record.categories.map((category) => ({
      kind: category.kind,
      disabilityLevel: category.disabilityLevel ?? null,
      description: category.description ?? null,
    })),
    region: { code: record.region.code, district: record.region.district ?? null, street: record.region.street ?? null },
    enrolledAt: row.enrolled_at,
  };
}
