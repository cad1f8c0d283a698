import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// A certificate authority made at test time with openssl: nothing secret is
// committed, and every run has its own keys. Server certificates name
// 127.0.0.1 and localhost; client certificates carry clientAuth.

export interface IssuedCert {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export interface TestCa {
  caFile: string;
  ca: Buffer;
  issue(name: string, kind: 'server' | 'client'): IssuedCert;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

export function createTestCa(dir: string, name = 'ca'): TestCa {
  const caKey = path.join(dir, `${name}.key`);
  const caFile = path.join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', `/CN=Tracehouse test ${name}`], dir);
  let serial = 1;
  return {
    caFile,
    ca: readFileSync(caFile),
    issue(certName, kind) {
      const keyFile = path.join(dir, `${name}-${certName}.key`);
      const csr = path.join(dir, `${name}-${certName}.csr`);
      const certFile = path.join(dir, `${name}-${certName}.pem`);
      const ext = path.join(dir, `${name}-${certName}.ext`);
      writeFileSync(
        ext,
        kind === 'server'
          ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
          : 'extendedKeyUsage=clientAuth\n',
      );
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${certName}`], dir);
      openssl(['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-set_serial', String(serial++ + Date.now()), '-days', '2', '-extfile', ext, '-out', certFile], dir);
      return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
    },
  };
}
