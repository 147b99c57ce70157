import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { createKeyFile, readKeyFile } from '../transparency/checkpoint-keys.service.js';
import { KEY_BYTES, platformKeyId, randomSecret } from './beneficiary-crypto.js';

export interface PlatformKey {
  key: Buffer;
  /** Public fingerprint, 16 hex digits. */
  id: string;
}

interface KeySetting {
  purpose: 'PSEUDONYM' | 'KEY_ENCRYPTION';
  value: string | undefined;
  variable: string;
  file: string | undefined;
  fileVariable: string;
  defaultFileName: string;
}

/**
 * The two platform keys of beneficiaries' personal data: the pseudonym key
 * (HMAC) and the key-encryption key that wraps each person's data key. Each comes
 * from its setting, or from a file in DATA_DIR generated with mode 0600 on first
 * start — never from the repository or the database. The database records each
 * key's fingerprint on first use, and the service refuses to start with another
 * key: other pseudonyms for the same people, or keys that no longer unwrap, would
 * break silently otherwise.
 */
@Injectable()
export class PlatformKeysService implements OnModuleInit {
  private readonly logger = new Logger(PlatformKeysService.name);
  private keys: { pseudonym: PlatformKey; keyEncryption: PlatformKey } | null = null;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const pseudonym = await this.load({
      purpose: 'PSEUDONYM',
      value: this.config.beneficiaryPseudonymKey,
      variable: 'BENEFICIARY_PSEUDONYM_KEY',
      file: this.config.beneficiaryPseudonymKeyFile,
      fileVariable: 'BENEFICIARY_PSEUDONYM_KEY_FILE',
      defaultFileName: 'beneficiary-pseudonym-key',
    });
    const keyEncryption = await this.load({
      purpose: 'KEY_ENCRYPTION',
      value: this.config.beneficiaryKeyEncryptionKey,
      variable: 'BENEFICIARY_KEY_ENCRYPTION_KEY',
      file: this.config.beneficiaryKeyEncryptionKeyFile,
      fileVariable: 'BENEFICIARY_KEY_ENCRYPTION_KEY_FILE',
      defaultFileName: 'beneficiary-key-encryption-key',
    });
    if (pseudonym.key.equals(keyEncryption.key)) {
      throw new ConfigError(['BENEFICIARY_PSEUDONYM_KEY and BENEFICIARY_KEY_ENCRYPTION_KEY are the same key; give each purpose its own random key']);
    }
    this.keys = { pseudonym, keyEncryption };
  }

  get pseudonymKey(): PlatformKey {
    return this.loaded().pseudonym;
  }

  get keyEncryptionKey(): PlatformKey {
    return this.loaded().keyEncryption;
  }

  private loaded(): { pseudonym: PlatformKey; keyEncryption: PlatformKey } {
    if (!this.keys) throw new Error('the beneficiary platform keys are not loaded yet');
    return this.keys;
  }

  private async load(setting: KeySetting): Promise<PlatformKey> {
    let key: Buffer;
    let source: string;
    if (setting.value) {
      key = decodeKey(setting.value, setting.variable);
      source = setting.variable;
    } else {
      const file = path.resolve(setting.file ?? path.join(this.config.dataDir, setting.defaultFileName));
      source = `${setting.fileVariable} (${file})`;
      let text = await readKeyFile(file, source);
      if (text === null) {
        text = await createKeyFile(file, randomSecret().toString('base64'));
        this.logger.log(`generated the beneficiary ${setting.purpose === 'PSEUDONYM' ? 'pseudonym' : 'key-encryption'} key in ${file}: back it up`);
      }
      key = decodeKey(text.trim(), source);
    }
    const id = platformKeyId(setting.purpose, key);
    await this.dataSource.query('INSERT INTO beneficiary_platform_key (purpose, key_id) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING', [
      setting.purpose,
      id,
    ]);
    const [registered] = (await this.dataSource.query('SELECT key_id FROM beneficiary_platform_key WHERE purpose = $1', [setting.purpose])) as Array<{
      key_id: string;
    }>;
    if (registered.key_id !== id) {
      throw new ConfigError([
        `${source}: this database's beneficiaries were enrolled under another key (key id ${registered.key_id}; the key given has id ${id}). ` +
          'Configure the original key: with another one, ' +
          (setting.purpose === 'PSEUDONYM' ? 'the same people would get other pseudonyms.' : 'no enrolled person’s data could be read.'),
      ]);
    }
    return { key, id };
  }
}

function decodeKey(text: string, source: string): Buffer {
  const key = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : null;
  if (!key || key.length !== KEY_BYTES) throw new ConfigError([`${source}: must be ${KEY_BYTES} bytes in base64 (44 characters, e.g. \`openssl rand -base64 32\`)`]);
  return key;
}
