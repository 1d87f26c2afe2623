// Passkey unlock: the WebAuthn PRF extension gives a secret only this phone's authenticator (after fingerprint, face or screen lock) can produce.
export interface PasskeyRef {
  credentialId: Uint8Array;
  prfSalt: Uint8Array;
}

export type PasskeyProblem = 'unsupported' | 'cancelled';

interface PrfResults {
  prf?: { enabled?: boolean; results?: { first?: BufferSource } };
}

const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** WebAuthn needs a secure context and a domain name (not an IP address) as its relying party. */
export function passkeyPossible(): boolean {
  return typeof PublicKeyCredential !== 'undefined' && typeof navigator !== 'undefined' && !!navigator.credentials && isSecureContext && !/^[\d.]+$|:/.test(location.hostname);
}

function toBytes(b: BufferSource): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
}

/** The PRF secret for a credential, or a reason why there is none. */
export async function passkeySecret(ref: PasskeyRef): Promise<Uint8Array | PasskeyProblem> {
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.get({
      publicKey: {
        // Nothing is sent to a server: the challenge only has to be fresh; the PRF output is what matters.
        challenge: bytes(32),
        allowCredentials: [{ type: 'public-key', id: ref.credentialId as BufferSource }],
        userVerification: 'required',
        extensions: { prf: { eval: { first: ref.prfSalt as BufferSource } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch {
    return 'cancelled';
  }
  const first = ((cred as PublicKeyCredential | null)?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results?.first;
  return first ? toBytes(first) : 'unsupported';
}

/** Registers a passkey for this app on this phone and returns it with its first PRF secret. */
export async function createPasskey(label: string): Promise<{ ref: PasskeyRef; secret: Uint8Array } | PasskeyProblem> {
  if (!passkeyPossible()) return 'unsupported';
  const prfSalt = bytes(32);
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.create({
      publicKey: {
        challenge: bytes(32),
        rp: { name: 'Luisterkring' },
        user: { id: bytes(16) as BufferSource, name: label, displayName: label },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { userVerification: 'required', residentKey: 'discouraged' },
        extensions: { prf: { eval: { first: prfSalt as BufferSource } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch {
    return 'cancelled';
  }
  const pk = cred as PublicKeyCredential | null;
  if (!pk) return 'cancelled';
  const results = pk.getClientExtensionResults() as PrfResults;
  if (!results.prf?.enabled && !results.prf?.results?.first) return 'unsupported';
  const ref = { credentialId: new Uint8Array(pk.rawId), prfSalt };
  // Some authenticators evaluate the PRF only on a sign-in, not at creation.
  const secret = results.prf.results?.first ? toBytes(results.prf.results.first) : await passkeySecret(ref);
  return typeof secret === 'string' ? secret : { ref, secret };
}
