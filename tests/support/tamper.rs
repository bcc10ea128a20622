//! Rewriting an audit log as someone who knows how its chain is made would: the checks that
//! must catch it are tested against this, not against a clumsy edit the chain already sees.

use ferry::audit::{AuditRecord, GENESIS};

/// Every record of the log `text` again, `edit` applied to 1-based `line` first, each hash and
/// link recomputed so the chain is whole.
pub fn recomputed(text: &str, line: usize, edit: impl Fn(&mut AuditRecord)) -> String {
    let mut previous = GENESIS.to_string();
    let mut out = String::new();
    for (index, text) in text.lines().enumerate() {
        let mut record: AuditRecord = serde_json::from_str(text).expect("a record");
        if index + 1 == line {
            edit(&mut record);
        }
        record.prev_hash = previous;
        record.hash = String::new();
        record.hash = ferry::digest::sha256_hex(&serde_json::to_vec(&record).expect("serializable"));
        previous = record.hash.clone();
        out += &(serde_json::to_string(&record).expect("serializable") + "\n");
    }
    out
}
