/**
 * Seals the session token at rest. The app uses Electron's safeStorage
 * (OS keychain-backed) where the platform offers it; elsewhere the token is
 * stored as is, and `encrypted` says so (the UI shows it).
 */
export interface SecretBox {
  readonly encrypted: boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

export const plainSecretBox: SecretBox = {
  encrypted: false,
  seal: (plain) => `plain:${plain}`,
  open: (sealed) => (sealed.startsWith("plain:") ? sealed.slice(6) : sealed),
};
