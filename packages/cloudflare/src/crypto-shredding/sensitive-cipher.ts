import type { EventEnvelope } from '@escf/core';

/** How a sealed value starts: a string, so stored envelopes keep their JSON shape. */
const SEALED = 'escf:enc:v1:';

/**
 * Encrypts an aggregate's sensitive event fields at rest with a key of its
 * own (AES-GCM 256 from WebCrypto, kept in the aggregate's Durable Object):
 * events are sealed before they are written to the object's SQLite and so
 * reach the D1 log sealed. Deleting the key ({@link shred}) erases those
 * fields everywhere at once, including archives and the D1 log
 * (crypto-shredding, e.g. for GDPR erasure). Without a key, sealed fields
 * read as absent.
 */
export class SensitiveCipher {
  private key: Promise<CryptoKey | null> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly sensitiveFields: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Events with their sensitive fields encrypted (the key is created on first use). */
  async seal(events: readonly EventEnvelope[]): Promise<EventEnvelope[]> {
    if (!events.some((e) => this.sensitiveFields.has(e.type))) return [...events];
    const key = (await this.loadKey()) ?? (await this.createKey());
    return Promise.all(events.map((event) => this.map(event, async (value) => seal(key, value))));
  }

  /** Events with their sensitive fields decrypted; without the key (shredded), those fields are left out. */
  async open(events: readonly EventEnvelope[]): Promise<EventEnvelope[]> {
    if (!events.some((e) => this.sensitiveFields.has(e.type))) return [...events];
    const key = await this.loadKey();
    return Promise.all(
      events.map((event) =>
        this.map(event, async (value) =>
          typeof value === 'string' && value.startsWith(SEALED) ? (key ? open(key, value) : undefined) : value,
        ),
      ),
    );
  }

  /** Deletes the key: every sealed field of this aggregate, wherever it was copied, becomes unreadable. */
  shred(): void {
    if (this.tableExists()) this.sql.exec('DELETE FROM escf_keys');
    this.key = Promise.resolve(null);
  }

  private async map(event: EventEnvelope, transform: (value: unknown) => Promise<unknown>): Promise<EventEnvelope> {
    const fields = this.sensitiveFields.get(event.type);
    if (!fields || typeof event.payload !== 'object' || event.payload === null) return event;
    const payload = { ...(event.payload as Record<string, unknown>) };
    for (const field of fields) {
      if (!(field in payload)) continue;
      const value = await transform(payload[field]);
      if (value === undefined) delete payload[field];
      else payload[field] = value;
    }
    return { ...event, payload };
  }

  private loadKey(): Promise<CryptoKey | null> {
    this.key ??= (async () => {
      if (!this.tableExists()) return null;
      const row = this.sql.exec<{ key: string }>('SELECT key FROM escf_keys WHERE id = 1').toArray()[0];
      return row ? crypto.subtle.importKey('raw', fromBase64(row.key), 'AES-GCM', false, ['encrypt', 'decrypt']) : null;
    })();
    return this.key;
  }

  private async createKey(): Promise<CryptoKey> {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    this.sql.exec('CREATE TABLE IF NOT EXISTS escf_keys (id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT NOT NULL)');
    this.sql.exec('INSERT INTO escf_keys (id, key) VALUES (1, ?)', toBase64(raw));
    const key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    this.key = key;
    return key;
  }

  private tableExists(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escf_keys'").toArray().length > 0
    );
  }
}

async function seal(key: CryptoKey, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value))),
  );
  return `${SEALED}${toBase64(iv)}:${toBase64(ciphertext)}`;
}

async function open(key: CryptoKey, sealed: string): Promise<unknown> {
  const [iv, ciphertext] = sealed.slice(SEALED.length).split(':');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv!) }, key, fromBase64(ciphertext!));
  return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
