import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  generateNoteKeyPair,
  parseSignerKey,
  parseVerifierKey,
  SignedNoteError,
  type NoteSigner,
  type NoteVerifier,
} from '@charity-ledger/ledger-core';
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../config/app-config.js';

/** A published checkpoint key. */
export interface PublishedKey {
  /** C2SP verifier key: `<name>+<key id>+<base64(0x01 ‖ public key)>`. */
  verifierKey: string;
  name: string;
  keyId: string;
  activatedAt: Date;
  /** Whether this service signs new checkpoints with it. */
  current: boolean;
}

export const SIGNING_KEY_FILE_NAME = 'checkpoint-signing-key';

/**
 * The Ed25519 key that signs checkpoints, and the list of every key that ever did.
 *
 * The key comes from CHECKPOINT_SIGNING_KEY, or from a file (CHECKPOINT_SIGNING_KEY_FILE,
 * default DATA_DIR/checkpoint-signing-key) that is generated with mode 0600 on first
 * start. Rotation is giving the service another key: on start it is registered in
 * `checkpoint_key` and signs from then on, while the older keys stay published so
 * the checkpoints they signed stay verifiable.
 */
@Injectable()
export class CheckpointKeysService implements OnModuleInit {
  private readonly logger = new Logger(CheckpointKeysService.name);
  private currentSigner: NoteSigner | null = null;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const signer = await this.loadSigner();
    const keyId = signer.keyId.toString(16).padStart(8, '0');
    // keys are append-only: a key seen before keeps its first activation time
    await this.dataSource.query(
      'INSERT INTO checkpoint_key (verifier_key, name, key_id) VALUES ($1, $2, $3) ON CONFLICT (verifier_key) DO NOTHING',
      [signer.verifierKey, signer.name, keyId],
    );
    this.currentSigner = signer;
  }

  /** The key new checkpoints are signed with. */
  get signer(): NoteSigner {
    if (!this.currentSigner) throw new Error('the checkpoint signing key is not loaded yet');
    return this.currentSigner;
  }

  /** Every key that has signed for this log: this service's current key first, then newest first. */
  async list(): Promise<PublishedKey[]> {
    const rows = (await this.dataSource.query(
      'SELECT verifier_key, name, key_id, activated_at FROM checkpoint_key ORDER BY activated_at DESC, verifier_key',
    )) as Array<{ verifier_key: string; name: string; key_id: string; activated_at: Date }>;
    const current = this.signer.verifierKey;
    const keys = rows.map((row) => ({
      verifierKey: row.verifier_key,
      name: row.name,
      keyId: row.key_id,
      activatedAt: row.activated_at,
      current: row.verifier_key === current,
    }));
    return [...keys.filter((key) => key.current), ...keys.filter((key) => !key.current)];
  }

  /** The published keys as verifiers (a stored key that does not parse is skipped and logged). */
  async verifiers(): Promise<NoteVerifier[]> {
    const verifiers: NoteVerifier[] = [];
    for (const key of await this.list()) {
      try {
        verifiers.push(parseVerifierKey(key.verifierKey));
      } catch (error) {
        this.logger.error(`stored checkpoint key ${key.verifierKey} does not parse: ${String(error)}`);
      }
    }
    return verifiers;
  }

  private async loadSigner(): Promise<NoteSigner> {
    const origin = this.config.checkpointOrigin;
    if (this.config.checkpointSigningKey) {
      return checkedName(parseConfigured(this.config.checkpointSigningKey, 'CHECKPOINT_SIGNING_KEY'), origin, 'CHECKPOINT_SIGNING_KEY');
    }
    const file = path.resolve(this.config.checkpointSigningKeyFile ?? path.join(this.config.dataDir, SIGNING_KEY_FILE_NAME));
    const setting = `CHECKPOINT_SIGNING_KEY_FILE (${file})`;
    let text = await readKeyFile(file, setting);
    if (text === null) {
      text = await createKeyFile(file, generateNoteKeyPair(origin).signerKey);
      const signer = parseConfigured(text, setting);
      this.logger.log(`generated a checkpoint signing key in ${file}; its verifier key is ${signer.verifierKey}`);
    }
    return checkedName(parseConfigured(text, setting), origin, setting);
  }
}

function parseConfigured(signerKey: string, setting: string): NoteSigner {
  try {
    return parseSignerKey(signerKey.trim());
  } catch (error) {
    const reason = error instanceof SignedNoteError ? error.message : String(error);
    throw new ConfigError([`${setting}: not a usable C2SP signer key (${reason})`]);
  }
}

function checkedName(signer: NoteSigner, origin: string, setting: string): NoteSigner {
  if (signer.name !== origin) {
    throw new ConfigError([
      `${setting}: the key is named "${signer.name}" but CHECKPOINT_ORIGIN is "${origin}"; a log signs its checkpoints with a key of its own name ` +
        `(set CHECKPOINT_ORIGIN=${signer.name}, or give a key made for this origin)`,
    ]);
  }
  return signer;
}

/** The key file's text, or null when there is none yet. Refuses a file others can read. */
export async function readKeyFile(file: string, setting: string): Promise<string | null> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError([`${setting}: cannot read the key file (${(error as Error).message})`]);
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError([
      `${setting}: the private key file is accessible to other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${file}`,
    ]);
  }
  return readFile(file, 'utf8');
}

/**
 * Writes a new key file with mode 0600, atomically: the key goes to a temporary
 * file that is then hard-linked into place, which fails if another process got
 * there first; then that process's key is the one used.
 */
export async function createKeyFile(file: string, signerKey: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return signerKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFile(file, 'utf8');
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
