//! The sample applications the bundled scenarios run, built into the binary so `ferry demo`
//! analyses them from any directory (`[account] sample_app` names one).

use crate::analyze::AppFiles;

/// A bundled sample app: its name and its files (path, text).
type SampleApp = (&'static str, &'static [(&'static str, &'static str)]);

/// Every bundled sample app but node-shop, whose scenario reads user data alone.
pub const SAMPLE_APPS: [SampleApp; 2] = [
    (
        "python-shop",
        &[
            (".python-version", include_str!("../../../assets/apps/python-shop/.python-version")),
            ("README.md", include_str!("../../../assets/apps/python-shop/README.md")),
            ("requirements.txt", include_str!("../../../assets/apps/python-shop/requirements.txt")),
            ("app/__init__.py", include_str!("../../../assets/apps/python-shop/app/__init__.py")),
            ("app/main.py", include_str!("../../../assets/apps/python-shop/app/main.py")),
            ("app/settings.py", include_str!("../../../assets/apps/python-shop/app/settings.py")),
        ],
    ),
    (
        "java-shop",
        &[
            (".java-version", include_str!("../../../assets/apps/java-shop/.java-version")),
            ("README.md", include_str!("../../../assets/apps/java-shop/README.md")),
            ("pom.xml", include_str!("../../../assets/apps/java-shop/pom.xml")),
            (
                "src/main/java/com/example/shop/Order.java",
                include_str!("../../../assets/apps/java-shop/src/main/java/com/example/shop/Order.java"),
            ),
            (
                "src/main/java/com/example/shop/OrderController.java",
                include_str!("../../../assets/apps/java-shop/src/main/java/com/example/shop/OrderController.java"),
            ),
            (
                "src/main/java/com/example/shop/OrderRepository.java",
                include_str!("../../../assets/apps/java-shop/src/main/java/com/example/shop/OrderRepository.java"),
            ),
            (
                "src/main/java/com/example/shop/OrdersApplication.java",
                include_str!("../../../assets/apps/java-shop/src/main/java/com/example/shop/OrdersApplication.java"),
            ),
            (
                "src/main/resources/application.properties",
                include_str!("../../../assets/apps/java-shop/src/main/resources/application.properties"),
            ),
        ],
    ),
];

/// A bundled sample app's files, by name.
pub fn sample_app(name: &str) -> Option<AppFiles> {
    SAMPLE_APPS.iter().find(|(n, _)| *n == name).map(|(_, files)| AppFiles::from_pairs(files.iter().copied()))
}

/// The source folder a scenario's `sample_app` names: a bundled sample app (shown as
/// `assets/apps/NAME`), or a folder relative to the scenario file's own folder.
pub fn for_scenario(
    name: &str,
    scenario_file: Option<&std::path::Path>,
) -> std::io::Result<(std::path::PathBuf, AppFiles)> {
    if let Some(files) = sample_app(name) {
        return Ok((std::path::Path::new("assets/apps").join(name), files));
    }
    let base = scenario_file.and_then(|f| f.parent()).unwrap_or(std::path::Path::new("."));
    let dir = base.join(name);
    let files = AppFiles::read(&dir)?;
    Ok((std::fs::canonicalize(&dir).unwrap_or(dir), files))
}
