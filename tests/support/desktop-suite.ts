import { afterAll, afterEach, beforeAll } from "vitest";
import { createDevice, removeDeviceFiles, type Device, type DeviceOptions } from "./device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "./people.js";
import { startTestServer, type TestServer } from "./server.js";

export interface DesktopSuite {
  readonly server: TestServer;
  readonly acme: Company;
  readonly employee: Person;
  /** A device signed in as `person` (default: the employee) in Acme, after its first sync; closed after the test. */
  signedInDevice(opts?: Partial<DeviceOptions>, person?: Person): Promise<Device>;
}

/**
 * A suite's real server with one company (Acme, rate limits out of the way) and an employee,
 * and devices that are closed and deleted after each test. `env`: the server's extra settings.
 */
export function desktopSuite(env: Record<string, string> = {}): DesktopSuite {
  let server: TestServer | undefined;
  let acme: Company | undefined;
  let employee: Person | undefined;
  const devices: Device[] = [];
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("The suite's server is not started yet (use it inside a test)");
    return v;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000", ...env } });
    acme = await createCompany(server, "Acme");
    await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    employee = await acme.hire("EMPLOYEE");
  });
  afterEach(() => {
    for (const d of devices.splice(0)) {
      d.close();
      removeDeviceFiles(d);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  return {
    get server() {
      return ready(server);
    },
    get acme() {
      return ready(acme);
    },
    get employee() {
      return ready(employee);
    },
    async signedInDevice(opts = {}, person) {
      const url = ready(server).url;
      const device = createDevice({ serverUrl: url, ...opts });
      devices.push(device);
      await device.core.logIn({ serverUrl: url, email: (person ?? ready(employee)).email, password: TEST_PASSWORD });
      device.core.selectWorkspace(ready(acme).workspaceId);
      await device.core.syncNow();
      return device;
    },
  };
}
