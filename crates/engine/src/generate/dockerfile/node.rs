//! Node.js images: the detected major version, dependencies from the lockfile with the package
//! manager that wrote it, a build stage when the app builds.

use super::{COPY_SOURCE, LIBRARY, tail, version};
use crate::model::{AppProfile, PackageManager};

/// Commands that differ between package managers.
struct Manager {
    /// Files that pin the dependencies, copied before the source.
    manifests: &'static str,
    /// Set-up before installing (corepack for yarn berry and pnpm, bun itself).
    setup: Option<&'static str>,
    install_all: &'static str,
    install_production: &'static str,
    /// After a build: drop the development dependencies again.
    prune: &'static str,
}

fn manager(pm: PackageManager) -> Manager {
    match pm {
        PackageManager::Yarn => Manager {
            manifests: "package.json yarn.lock",
            setup: None,
            install_all: "yarn install --frozen-lockfile",
            install_production: "yarn install --frozen-lockfile --production && yarn cache clean",
            prune: "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline",
        },
        PackageManager::YarnBerry | PackageManager::YarnPnp => Manager {
            manifests: "package.json yarn.lock .yarnrc.yml",
            setup: Some("corepack enable"),
            install_all: "yarn install --immutable",
            install_production: "yarn workspaces focus --all --production",
            prune: "yarn workspaces focus --all --production",
        },
        PackageManager::Pnpm => Manager {
            manifests: "package.json pnpm-lock.yaml",
            setup: Some("corepack enable"),
            install_all: "pnpm install --frozen-lockfile",
            install_production: "pnpm install --frozen-lockfile --prod",
            prune: "pnpm prune --prod",
        },
        PackageManager::Bun => Manager {
            manifests: "package.json bun.lock*",
            setup: Some("npm install --global bun@1"),
            install_all: "bun install --frozen-lockfile",
            install_production: "bun install --frozen-lockfile --production",
            prune: "rm -rf node_modules && bun install --frozen-lockfile --production",
        },
        // npm, and the fallback for a profile that names no Node.js package manager.
        _ => Manager {
            manifests: "package.json package-lock.json",
            setup: None,
            install_all: "npm ci",
            install_production: "npm ci --omit=dev",
            prune: "npm prune --omit=dev",
        },
    }
}

/// Runs as uid 1000, the official Node images' unprivileged `node` user.
pub fn dockerfile(profile: &AppProfile) -> String {
    let base = format!("{LIBRARY}/node:{}-slim", version(profile, "24"));
    let mut m = manager(profile.package_manager);
    // No lockfile in the build context (none at all, or the workspace's above the folder): a
    // frozen install would refuse to run.
    let unlocked = !profile.install_files.is_empty()
        && !profile.install_files.iter().any(|f| {
            ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"].contains(&f.as_str())
        });
    let npm_instead = profile.package_manager_source.starts_with("default: no lockfile") || unlocked;
    if npm_instead {
        // Nothing pins the dependencies: install from package.json, and say so in the image.
        m = Manager {
            manifests: "package.json",
            setup: None,
            install_all: "npm install --no-audit --no-fund",
            install_production: "npm install --omit=dev --no-audit --no-fund",
            prune: "npm prune --omit=dev",
        };
    }
    let run = |command: &str| match m.setup {
        Some(setup) => format!("RUN {setup} && {command}"),
        None => format!("RUN {command}"),
    };
    let tail = tail(profile);
    // corepack keeps the package manager it downloads in a folder every user can read, so
    // the unprivileged user finds it at start without going to the network.
    let corepack = m.setup.is_some_and(|setup| setup.starts_with("corepack"));
    let mut home = if corepack { "ENV COREPACK_HOME=/usr/local/share/corepack\n" } else { "" }.to_string();
    if profile.package_manager == PackageManager::YarnPnp {
        // Plug'n'Play loads packages from the zip cache: keep it in the app folder, not in the
        // builder's home, so it is copied with the app.
        home.push_str("ENV YARN_ENABLE_GLOBAL_CACHE=false\n");
    }
    // The final stage needs the package manager only when the app is started through it.
    let starts_with_manager = profile.start_command.first().is_some_and(|program| program != "node");
    let runtime_setup = match (starts_with_manager, corepack, m.setup) {
        (true, true, _) => {
            "COPY --from=build /usr/local/share/corepack /usr/local/share/corepack\nRUN corepack enable\n".to_string()
        }
        (true, false, Some(setup)) => format!("RUN {setup}\n"),
        _ => String::new(),
    };
    // Each extra install file keeps its path: yarn looks for its release where .yarnrc.yml says.
    // With the source read, exactly the install files that exist; otherwise the usual ones.
    let manifests = if profile.install_files.is_empty() {
        format!("COPY {} ./\n", m.manifests)
    } else {
        let (root, nested): (Vec<&String>, Vec<&String>) = profile.install_files.iter().partition(|f| !f.contains('/'));
        let root: Vec<&str> = root.iter().map(|f| f.as_str()).collect();
        std::iter::once(format!("COPY {} ./\n", root.join(" ")))
            .chain(nested.iter().map(|file| format!("COPY {file} ./{file}\n")))
            .collect()
    };
    // A lifecycle script that needs development tools would fail the production install:
    // the image's copy of package.json goes without it.
    let skip: String =
        profile.skipped_install_scripts.iter().map(|s| format!("npm pkg delete scripts.{s} && ")).collect();
    match &profile.build_command {
        None => format!(
            "FROM {base}\nENV NODE_ENV=production\n{home}WORKDIR /app\n{manifests}{}\n{COPY_SOURCE}\n{tail}",
            run(&format!("{skip}{}", m.install_production)),
        ),
        Some(build) => format!(
            "FROM {base} AS build\n{home}WORKDIR /app\n{manifests}{}\nCOPY . .\nRUN {} && {}\n\n\
             FROM {base}\nENV NODE_ENV=production\n{home}WORKDIR /app\n{runtime_setup}COPY --from=build --chown=1000:1000 /app ./\n{tail}",
            run(m.install_all),
            build_words(build, npm_instead).join(" "),
            m.prune,
        ),
    }
}

/// The build command, run through npm when npm installed the dependencies: the image has no
/// other package manager set up (`yarn run build` → `npm run build`).
fn build_words(build: &[String], npm_instead: bool) -> Vec<String> {
    match build {
        [manager, run, rest @ ..]
            if npm_instead && ["yarn", "pnpm", "bun"].contains(&manager.as_str()) && run == "run" =>
        {
            ["npm", "run"].iter().map(|w| w.to_string()).chain(rest.iter().cloned()).collect()
        }
        _ => build.to_vec(),
    }
}
