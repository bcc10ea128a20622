//! sha256 as lower-case hex: plan hashes, stable sandbox ids; HMAC-SHA256 for secret
//! fingerprints and approvals, which must not be guessable or forgeable without their key; and
//! the canonical JSON both are taken over.

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

/// Whether `mac_hex` is the HMAC-SHA256 of `bytes` under `key`, compared in constant time: a
/// comparison that stopped at the first wrong digit would tell a forger how many were right.
pub fn keyed_sha256_matches(key: &[u8], bytes: &[u8], mac_hex: &str) -> bool {
    let expected = mac_hex.trim();
    let decoded: Option<Vec<u8>> = (expected.len().is_multiple_of(2) && expected.is_ascii())
        .then(|| (0..expected.len() / 2).map(|i| u8::from_str_radix(&expected[i * 2..i * 2 + 2], 16).ok()).collect())
        .flatten();
    let Some(decoded) = decoded else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(bytes);
    mac.verify_slice(&decoded).is_ok()
}

/// Compact JSON with every object's keys sorted, written by hand: serde_json orders a map's
/// keys by insertion instead of sorting them when any crate in the build enables its
/// `preserve_order` feature, and a hash or MAC must not depend on what else was compiled in.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
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
        let mac = super::keyed_sha256_hex(b"k1", b"pw");
        assert!(super::keyed_sha256_matches(b"k1", b"pw", &mac));
        assert!(!super::keyed_sha256_matches(b"k2", b"pw", &mac), "another key");
        assert!(!super::keyed_sha256_matches(b"k1", b"pw2", &mac), "other bytes");
        assert!(!super::keyed_sha256_matches(b"k1", b"pw", "not hex"), "not a MAC");
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value: serde_json::Value = serde_json::from_str(r#"{"b": [{"z": 1, "a": "x\"y"}], "a": null}"#).unwrap();
        assert_eq!(super::canonical_json(&value), r#"{"a":null,"b":[{"a":"x\"y","z":1}]}"#);
    }
}
