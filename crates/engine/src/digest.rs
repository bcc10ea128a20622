//! sha256 as lower-case hex: plan hashes, stable sandbox ids; and HMAC-SHA256 for secret
//! fingerprints, which must not be guessable from a file without their key.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// sha256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// HMAC-SHA256 of `bytes` under `key`, as lower-case hex. Without the key, a weak value
/// cannot be confirmed by hashing guesses, as it could against a plain sha256.
pub fn keyed_sha256_hex(key: &[u8], bytes: &[u8]) -> String {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(bytes);
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digest() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn known_hmac() {
        // RFC 4231, test case 2.
        assert_eq!(
            super::keyed_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(super::keyed_sha256_hex(b"k1", b"pw"), super::keyed_sha256_hex(b"k2", b"pw"));
    }
}
