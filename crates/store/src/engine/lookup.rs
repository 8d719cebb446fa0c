//! Finding one row by whichever of its keys a caller gave (an id, a number, a reference).

/// `select` narrowed by `scope` (e.g. `"client_id = $1 AND "`, or empty) and each of `keys` in
/// turn, as one statement answering the first match: a `UNION ALL` of lookups that each use
/// their own index. The plain `scope AND (k1 OR k2 ...)` is answered by SQLite, when it has no
/// statistics yet, by walking the scope's index: a seller's whole history per lookup.
pub(crate) fn first_by_any_key(select: &str, scope: &str, keys: &[&str]) -> String {
    let arms: Vec<String> = keys.iter().map(|k| format!("{select} WHERE {scope}{k}")).collect();
    format!("{} LIMIT 1", arms.join(" UNION ALL "))
}

#[cfg(test)]
mod tests {
    use super::first_by_any_key;

    #[test]
    fn each_key_is_its_own_arm() {
        let q = first_by_any_key("SELECT id FROM t", "c = $1 AND ", &["id = $2", "number = $2"]);
        assert_eq!(
            q,
            "SELECT id FROM t WHERE c = $1 AND id = $2 UNION ALL SELECT id FROM t WHERE c = $1 AND number = $2 LIMIT 1"
        );
    }
}
