//! Settings objects that pick a value per environment, as `confidence` does:
//! `uri: { $filter: 'env', production: process.env.MONGODB_URI, $default: 'mongodb://localhost' }`.
//! ferry's image runs with NODE_ENV=production, so only the `production` branch (or `$default`
//! when there is none) is what a task runs with; the `test` and development branches never run.

/// The branch key an environment filter selects in production among `siblings`, the keys of
/// one object holding a `$filter`; `None` when the object holds no filter.
fn selected<'a>(siblings: &[&'a str]) -> Option<&'a str> {
    if !siblings.contains(&"$filter") {
        return None;
    }
    Some(if siblings.contains(&"production") { "production" } else { "$default" })
}

/// Whether `key`, an entry of the object whose keys are `siblings`, is a branch of an
/// environment filter that production does not take (the filter's own `$filter` and `$meta`
/// are not values either).
fn not_taken_in_production(key: &str, siblings: &[&str]) -> bool {
    selected(siblings).is_some_and(|taken| key != taken)
}

/// The entries production runs with: each branch of an environment filter it does not take is
/// left out. `key` names an entry; `same_object` tells two entries of one object.
pub fn keep_taken<T>(all: Vec<T>, key: impl Fn(&T) -> &str, same_object: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let keep: Vec<bool> = all
        .iter()
        .map(|entry| {
            let siblings: Vec<&str> = all.iter().filter(|other| same_object(entry, other)).map(&key).collect();
            !not_taken_in_production(key(entry), &siblings)
        })
        .collect();
    all.into_iter().zip(keep).filter_map(|(entry, kept)| kept.then_some(entry)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_takes_its_own_branch_or_the_default() {
        let with_production = ["$filter", "production", "test", "$default"];
        assert!(!not_taken_in_production("production", &with_production));
        assert!(not_taken_in_production("$default", &with_production));
        assert!(not_taken_in_production("test", &with_production));
        let without = ["$filter", "test", "$default"];
        assert!(!not_taken_in_production("$default", &without));
        assert!(not_taken_in_production("test", &without));
        assert!(!not_taken_in_production("host", &["host", "port"]));
    }
}
