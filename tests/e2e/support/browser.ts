/**
 * Headless Chromium for the e2e tests: Debian's `chromium` (installed by `./dev`,
 * local/lib/install.sh), driven by playwright-core.
 */
import { type Browser, chromium } from "playwright-core";

// The flags this machine needs: no sandbox as root, and no background network calls, which
// the closed network would refuse.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}
