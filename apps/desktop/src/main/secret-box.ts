import { safeStorage } from "electron";
import { plainSecretBox, type SecretBox } from "../core/session/secret-box.js";

/** The session token sealed by the OS keychain through safeStorage, where the platform offers it. */
export function electronSecretBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return plainSecretBox;
  return {
    encrypted: true,
    seal: (plain) => `safe:${safeStorage.encryptString(plain).toString("base64")}`,
    open: (sealed) =>
      sealed.startsWith("safe:") ? safeStorage.decryptString(Buffer.from(sealed.slice(5), "base64")) : plainSecretBox.open(sealed),
  };
}
