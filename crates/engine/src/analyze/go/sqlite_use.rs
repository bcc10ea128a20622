//! Whether the app uses an SQLite driver go.mod requires. A `// indirect` requirement is only
//! another module's dependency (gorm v1 requires go-sqlite3 for its optional sqlite dialect):
//! it is compiled in, and needs cgo, only when the app's own code imports the driver or a
//! dialect package that wraps it.

use super::EXTENSIONS;
use super::code::{literals, without_comment};
use super::modfile::{GoMod, Require};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// Packages that import an SQLite driver for the app that imports them.
/// (`github.com/glebarez/sqlite` wraps a pure-Go driver, so it is no use of go-sqlite3.)
const SQLITE_WRAPPERS: [&str; 3] =
    ["github.com/jinzhu/gorm/dialects/sqlite", "gorm.io/driver/sqlite", "github.com/go-gorm/sqlite"];

/// The requirement of the SQLite driver at `path` when the app uses it: a direct requirement,
/// or an indirect one the app's code imports (itself or through a wrapper).
pub(super) fn used_sqlite<'a>(files: &AppFiles, module: &'a GoMod, path: &str) -> Option<&'a Require> {
    let require = module.require(path)?;
    (!require.indirect || imports_sqlite(files, path)).then_some(require)
}

/// Whether the app's own Go files (not vendored code, not tests) import `driver` or a wrapper.
fn imports_sqlite(files: &AppFiles, driver: &str) -> bool {
    let own = files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path) && !vendored(path));
    own.flat_map(|(_, text)| text.lines()).any(|line| {
        literals(without_comment(line)).iter().any(|literal| {
            *literal == driver || literal.starts_with(&format!("{driver}/")) || SQLITE_WRAPPERS.contains(literal)
        })
    })
}

fn vendored(path: &str) -> bool {
    path.starts_with("vendor/") || path.contains("/vendor/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_MOD: &str = "module shop\n\ngo 1.13\n\nrequire (\n\tgithub.com/jinzhu/gorm v1.9.12\n\tgithub.com/mattn/go-sqlite3 v1.11.0 // indirect\n)\n";

    #[test]
    fn an_indirect_driver_counts_only_when_imported() {
        let module = GoMod::parse(GO_MOD);
        let mysql = AppFiles::from_pairs([
            ("go.mod", GO_MOD),
            ("models/db.go", "import _ \"github.com/jinzhu/gorm/dialects/mysql\"\n"),
            ("vendor/github.com/jinzhu/gorm/dialects/sqlite/sqlite.go", "import _ \"github.com/mattn/go-sqlite3\"\n"),
        ]);
        assert!(used_sqlite(&mysql, &module, "github.com/mattn/go-sqlite3").is_none());
        let sqlite = AppFiles::from_pairs([
            ("go.mod", GO_MOD),
            ("models/db.go", "import _ \"github.com/jinzhu/gorm/dialects/sqlite\"\n"),
        ]);
        assert!(used_sqlite(&sqlite, &module, "github.com/mattn/go-sqlite3").is_some());
    }
}
