//! Whether a file belongs to the running app or to its tooling: scripts, migrations, seeds,
//! build and test configuration, and files only a developer runs.

use crate::model::VariableScope;

/// Folders whose files the server never loads.
const TOOLING_FOLDERS: [&str; 31] = [
    // Load tests and benchmarks run against the app from elsewhere (a locust suite's
    // `LOAD_TEST_HOST`), never by it.
    "load_tests",
    "load-tests",
    "loadtests",
    "loadtest",
    "locust",
    "benchmarks",
    // Content the server hands out as files (`data/static/codefixes/*.ts`, snippets a page
    // shows): code kept there is read as text or sent to browsers, never run by the server.
    "static",
    // Test harnesses and helpers beside the code they test (`internal/testutil`,
    // `src/utils/testing`, `__mocks__`).
    "testutil",
    "testutils",
    "test-utils",
    "test_utils",
    "testing",
    "__mocks__",
    "test-setup",
    // Perl's and tap's name for the test folder (`t/lib/build_driver.js`).
    "t",
    "scripts",
    // Entrypoint and probe scripts for the maintainers' own image.
    "docker",
    "script",
    "tools",
    "tooling",
    "hack",
    "migrations",
    "migration",
    "alembic",
    "seeds",
    "seeders",
    "seed",
    "e2e",
    "cypress",
    "fixtures",
    ".github",
];

/// Top folders of stand-alone examples and demos beside the app (`bonus/error-handling/`):
/// each is a program of its own, with its own port and settings.
const EXAMPLE_FOLDERS: [&str; 10] =
    ["example", "examples", "_example", "_examples", "samples", "sample", "demo", "demos", "bonus", "extras"];

/// File names of build, lint and test configuration, and developer-only entry points.
const TOOLING_FILES: [&str; 53] = [
    // Test setup files a test runner loads before the tests.
    "jest.setup",
    "jest.base-setup",
    "test-setup",
    "setuptests",
    "vitest.setup",
    // Code generators' configuration (an OpenAPI client's).
    "orval.config",
    "openapi-ts.config",
    // Release and maintenance scripts run by hand beside the server.
    "update-version",
    "bump-version",
    "reset-password",
    // Release and commit tooling run by CI (semantic-release, commitlint, lint-staged,
    // renovate): the `GITHUB_*` they read are the CI runner's, never the server's.
    "release.config",
    ".releaserc",
    "commitlint.config",
    ".commitlintrc",
    "lint-staged.config",
    ".lintstagedrc",
    "renovate.config",
    ".versionrc",
    // A development server plugged in only with `--dev`.
    "dev-server",
    "devserver",
    "webpack.config",
    "vite.config",
    // A framework's build configuration: what it reads is baked into the bundle at build.
    // (`next start` loads next.config again for headers and rewrites, so that one is the app's.)
    "svelte.config",
    "astro.config",
    "vitest.config",
    "jest.config",
    "babel.config",
    "rollup.config",
    "playwright.config",
    "cypress.config",
    "eslint.config",
    ".eslintrc",
    "prettier.config",
    "postcss.config",
    "tailwind.config",
    "gulpfile",
    "gruntfile",
    "knexfile",
    "drizzle.config",
    // Monitoring-as-code, bundlers and linters run from the repository, never by the server.
    "checkly.config",
    "tsup.config",
    "esbuild.config",
    "stylelint.config",
    "knip.config",
    // Browser test runners' configuration (Nightwatch, Karma, Protractor, WebdriverIO,
    // Mocha): the `SAUCE_*` and CI build numbers they read belong to the test run.
    "nightwatch",
    "karma.conf",
    "protractor.conf",
    "wdio.conf",
    ".mocharc",
    "conftest",
    "noxfile",
    "fabfile",
    // A tunnel a developer opens to show a local server (`ngrok.js`, `config/ngrok.js`): the
    // port it starts the server on is the laptop's, never the service's.
    "ngrok",
];

/// Whether a CI runner or a test runner sets `name` (`CI`, `GITHUB_ACTIONS`, `COVERAGE` for a
/// coverage run, pytest's `PYTEST_XDIST_WORKER`, Jest's `JEST_WORKER_ID`): the code reads it to
/// behave differently under test, and no service ever sets it.
pub fn set_by_a_ci_runner(name: &str) -> bool {
    if name.starts_with("PYTEST_") || ["JEST_WORKER_ID", "VITEST_WORKER_ID", "VITEST_POOL_ID"].contains(&name) {
        return true;
    }
    const RUNNERS: [&str; 11] = [
        "CI",
        "GITHUB_ACTIONS",
        "GITHUB_RUN_ID",
        "GITHUB_WORKFLOW",
        "GITLAB_CI",
        "TRAVIS",
        "CIRCLECI",
        "BUILDKITE",
        "JENKINS_URL",
        "TF_BUILD",
        "COVERAGE",
    ];
    RUNNERS.contains(&name)
}

/// The scope of a read at `path:line`.
pub fn of(source: &str) -> VariableScope {
    let path = source.rsplit_once(':').map_or(source, |(path, _)| path);
    let lower = path.to_ascii_lowercase();
    let folders: Vec<&str> = lower.split('/').collect();
    let (file, dirs) = folders.split_last().unwrap_or((&"", &[]));
    let stem = file.split('.').next().unwrap_or(file);
    let config_stem = file.rsplit_once('.').map_or(*file, |(stem, _)| stem);
    // Examples of how to use the app are not the app; only at the top, since `com/example/`
    // is where Java keeps the app itself.
    // `examples/` deeper down is a vendored package's (`packages/fork-sax/examples`).
    let examples = dirs.first().is_some_and(|top| EXAMPLE_FOLDERS.contains(top))
        || dirs.iter().any(|dir| dir.starts_with("_example") || *dir == "examples");
    // A test harness folder named for what it tests (`tests_frontend/`, `test_e2e/`).
    let test_folder = dirs.iter().any(|dir| dir.starts_with("tests_") || dir.starts_with("test_"));
    // A documentation site at the top (Sphinx's conf.py, an OpenAPI description) is built or
    // read by people, never loaded by the server.
    // The site may be a framework app of its own (`docs-website/docusaurus.config.ts`).
    let documentation = dirs.first().is_some_and(|top| documentation_folder(top));
    // Django's management commands (`management/commands/`) run beside the server, never in
    // it; a `management` package of views (a Flask blueprint) is the server's.
    let management_commands = dirs.windows(2).any(|pair| pair == ["management", "commands"]);
    let in_tooling_folder = examples
        || management_commands
        || evaluation_harness(dirs)
        || dirs.iter().any(|dir| TOOLING_FOLDERS.contains(dir));
    // `playwright.smoke.config.ts` is Playwright's configuration as much as `playwright.config.ts`.
    let tool_config = |name: &str| {
        name.ends_with(".config")
            && file.starts_with(&name[..name.len() - ".config".len() + 1])
            && file.contains(".config.")
    };
    // A Python script in `bin/` (`bin/release_manager.py`) is run by hand; the server is a
    // package. (Node's `bin/www` is the server, so only Python's.)
    let python_script = file.ends_with(".py") && dirs.contains(&"bin");
    // Prisma's seed (`prisma/seed.mjs`), run by its CLI: what it reads to connect is the
    // operator's, at the time they seed. A `seed.ts` elsewhere may be the app's own.
    let orm_seed = stem == "seed" && dirs.first() == Some(&"prisma");
    // The Maven or Gradle wrapper (`.mvn/wrapper/MavenWrapperDownloader.java`) fetches the
    // build tool on the builder's machine; the running app never loads it.
    let build_wrapper = dirs.windows(2).any(|pair| matches!(pair, [".mvn" | "gradle", "wrapper"]));
    let tooling_file = TOOLING_FILES.iter().any(|name| stem == *name || config_stem == *name || tool_config(name))
        || *file == "setup.py"
        || python_script
        || orm_seed
        || build_wrapper
        || development_file(dirs, file, stem);
    let elsewhere = in_tooling_folder || test_folder || documentation || tooling_file;
    if elsewhere || crate::analyze::source::is_test_path(path) {
        VariableScope::Tooling
    } else {
        VariableScope::Runtime
    }
}

/// An evaluation harness (`evals/run.ts` beside the app, `packages/agent/evals/`): scripts a
/// developer runs to score the app's answers, with their own tracing keys. Only at the top of
/// the app or of a workspace package: `app/api/evals/route.ts` is a route the server serves.
fn evaluation_harness(dirs: &[&str]) -> bool {
    const HARNESS: [&str; 2] = ["evals", "eval"];
    match dirs {
        [top, ..] if HARNESS.contains(top) => true,
        ["packages" | "apps", _, folder, ..] => HARNESS.contains(folder),
        _ => false,
    }
}

/// A documentation site's folder: `docs`, `website`, or a name with one of them as a word
/// (`docs-website`, `api_docs`), or a static site generator's own folder (`.vitepress`).
fn documentation_folder(folder: &str) -> bool {
    const WORDS: [&str; 4] = ["docs", "doc", "documentation", "website"];
    WORDS.contains(&folder)
        || folder.split(['-', '_', '.']).any(|word| WORDS.contains(&word))
        || matches!(folder, ".vitepress" | ".vuepress" | ".docusaurus")
}

/// A file only a developer's run or a reader loads: an example of a file (`*.example.py`,
/// `config.sample.js`), a development entry point (`server-dev.ts`, `settings_dev.py`), or a
/// development settings module of a settings package (`settings/development.py`).
fn development_file(dirs: &[&str], file: &str, stem: &str) -> bool {
    // Only code: a sample configuration file (`.env.example`, `config.toml.sample`) may be
    // what the app or its image loads, which the env-file readers judge.
    let code = ["py", "js", "ts", "mjs", "cjs", "go", "java", "kt", "rb", "php"]
        .iter()
        .any(|ext| file.rsplit_once('.').is_some_and(|(_, e)| e == *ext));
    let example = code && [".example.", ".sample."].iter().any(|mark| file.contains(mark));
    // `server-dev.js`, and a development launcher (`devServerMain.ts`, `dev-server.js`) that
    // starts every server of the app on development ports.
    let dev_entry = ["-dev", "_dev"].iter().any(|suffix| stem.ends_with(suffix))
        || (code && stem.replace(['-', '_'], "").starts_with("devserver"));
    let settings_package = dirs.last().is_some_and(|dir| matches!(*dir, "settings" | "config" | "configs" | "conf"));
    let dev_settings = settings_package
        && file.ends_with(".py")
        && matches!(stem, "development" | "dev" | "local" | "test" | "testing" | "ci");
    example || dev_entry || dev_settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ci_runners_variables_are_no_services() {
        assert!(set_by_a_ci_runner("GITHUB_ACTIONS") && set_by_a_ci_runner("CI"));
        assert!(!set_by_a_ci_runner("GITHUB_CLIENT_SECRET") && !set_by_a_ci_runner("GITHUB_TOKEN"));
        assert_eq!(of("checkly.config.ts:11"), VariableScope::Tooling);
        assert_eq!(of("config/ngrok.js:25"), VariableScope::Tooling);
        assert_eq!(of("src/config/app.config.ts:11"), VariableScope::Runtime);
    }

    #[test]
    fn tooling_and_runtime_files() {
        for tooling in [
            "scripts/seed.js:1",
            "prisma/seed.mjs:23",
            "src/migrations/0001.ts:4",
            "webpack.config.js:2",
            "jest.config.ts:1",
            "playwright.smoke.config.ts:8",
            "bin/release_manager.py:11",
            "docs/conf.py:58",
            "data/static/codefixes/portChallenge_1.ts:13",
            "tests/test_app.py:3",
            "alembic/env.py:9",
            "knexfile.js:3",
            "babybuddy/settings/development.py:6",
            "configs/test.py:13",
            "babybuddy/settings/production.example.py:8",
            "src/server-dev.ts:19",
            "src/test-setup.ts:14",
            "jest.setup.js:13",
            "src/utils/testing/testUtils.ts:73",
            "internal/testutil/minio/server.go:43",
            "tests_frontend/run.py:26",
            "extra/update-version.ts:5",
            "packages/fork-sax/examples/get-products.js:57",
            "frontend/orval.config.ts:3",
            "svelte.config.js:8",
            "blog/management/commands/build_index.py:12",
            "docs-website/docusaurus.config.ts:7",
            "website/src/pages/index.js:4",
            "api_docs/server.js:2",
            "t/lib/build_driver.js:3",
            "bonus/error-handling/plugin-error.js:24",
            "samples/basic/server.js:3",
            "nightwatch.js:31",
            "nightwatch.conf.js:9",
            "test/karma.conf.js:4",
            "wdio.conf.ts:12",
            "evals/lib/otel.ts:18",
            "packages/agent/evals/score.ts:3",
        ] {
            assert_eq!(of(tooling), VariableScope::Tooling, "{tooling}");
        }
        for runtime in [
            "src/config/config.js:10",
            "bin/www:15",
            "app/settings.py:4",
            "cmd/api/main.go:7",
            "babybuddy/settings/base.py:30",
            "src/main/java/com/example/App.java:3",
            "src/devices.ts:3",
            "alerta/management/views.py:137",
            "src/docs/handlers.ts:9",
            "doctor/app.py:3",
            "app/api/evals/route.ts:9",
            "src/app/api/evals/[id]/route.ts:4",
        ] {
            assert_eq!(of(runtime), VariableScope::Runtime, "{runtime}");
        }
    }
}
