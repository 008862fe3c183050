// pkijs needs a WebCrypto engine before it can verify certificate signatures or hash; Node's
// global WebCrypto is that engine. Importing this module installs it once.

import * as pkijs from "pkijs";

pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: globalThis.crypto }));
