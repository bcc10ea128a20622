//! Node.js images: the detected major version, dependencies from the lockfile with the package
//! manager that wrote it, a build stage when the app builds.

use super::{COPY_SOURCE, LIBRARY, tail, version};
use crate::model::{AppProfile, PackageManager, VariableScope};

/// Commands that differ between package managers.
struct Manager {
    /// Files that pin the dependencies, copied before the source.
    manifests: &'static str,
    /// Set-up before installing (corepack for yarn berry and pnpm, bun itself, the pnpm
    /// release the lockfile needs).
    setup: Option<String>,
    install_all: &'static str,
    install_production: &'static str,
    /// After a build: drop the development dependencies again.
    prune: &'static str,
}

/// `pnpm_release`: the pnpm major the project needs when nothing pins it for corepack.
fn manager(pm: PackageManager, pnpm_release: Option<u32>) -> Manager {
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
            setup: Some("corepack enable".into()),
            install_all: "yarn install --immutable",
            install_production: "yarn workspaces focus --all --production",
            prune: "yarn workspaces focus --all --production",
        },
        PackageManager::Pnpm => Manager {
            manifests: "package.json pnpm-lock.yaml",
            // npm installs a release by its major; corepack would take its own default.
            setup: Some(
                pnpm_release.map_or("corepack enable".into(), |major| format!("npm install --global pnpm@{major}")),
            ),
            install_all: "pnpm install --frozen-lockfile",
            install_production: "pnpm install --frozen-lockfile --prod",
            prune: "pnpm prune --prod",
        },
        PackageManager::Bun => Manager {
            manifests: "package.json bun.lock*",
            setup: Some("npm install --global bun@1".into()),
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
    // The release comes from the plan, which may have been edited: only a number is written
    // into the command.
    let pnpm_release = profile.package_manager_release.as_deref().and_then(|r| r.parse::<u32>().ok());
    let mut m = manager(profile.package_manager, pnpm_release);
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
    let install_setup = install_setup(&m, &profile.install_scripts);
    let run = |command: &str| match &install_setup {
        Some(setup) => format!("RUN {setup} && {command}"),
        None => format!("RUN {command}"),
    };
    let tail = tail(profile);
    // corepack keeps the package manager it downloads in a folder every user can read, so
    // the unprivileged user finds it at start without going to the network.
    let corepack = m.setup.as_deref().is_some_and(|setup| setup.starts_with("corepack"));
    let mut home = if corepack { "ENV COREPACK_HOME=/usr/local/share/corepack\n" } else { "" }.to_string();
    if profile.package_manager == PackageManager::YarnPnp {
        // Plug'n'Play loads packages from the zip cache: keep it in the app folder, not in the
        // builder's home, so it is copied with the app.
        home.push_str("ENV YARN_ENABLE_GLOBAL_CACHE=false\n");
    }
    // The final stage needs the package manager only when the app is started through it.
    let starts_with_manager = profile.start_command.first().is_some_and(|program| program != "node");
    let runtime_setup = match (starts_with_manager, corepack, m.setup.as_deref()) {
        (true, true, _) => {
            "COPY --from=build /usr/local/share/corepack /usr/local/share/corepack\nRUN corepack enable\n".to_string()
        }
        (true, false, Some(setup)) => format!("RUN {setup}\n"),
        _ => String::new(),
    };
    let (manifests, source) = install_copies(profile, &m, profile.build_command.is_some());
    // A lifecycle script that needs development tools would fail the production install:
    // the image's copy of package.json goes without it. Node itself edits the file, since
    // `npm pkg` came only with npm 7.20 and Node 14's npm 6 lacks it.
    // A script's steps that need the database are dropped from every install: a build has none.
    let trimmed = &profile.trimmed_install_scripts;
    let skip = without_scripts(&profile.skipped_install_scripts, trimmed);
    let placeholders = build_placeholders(profile);
    // Programs the code runs (ffmpeg, git) belong to the image that runs it.
    let programs = super::apt_install(&profile.system_packages);
    match &profile.build_command {
        None => format!(
            "FROM {base}\nENV NODE_ENV=production\n{home}WORKDIR /app\n{programs}{placeholders}{manifests}{}\n{source}{tail}",
            run(&format!("{skip}{}", m.install_production)),
        ),
        Some(build) => format!(
            "FROM {base} AS build\n{home}WORKDIR /app\n{placeholders}{manifests}{}\n{source}{}RUN {} && {}\n\n\
             FROM {base}\nENV NODE_ENV=production\n{home}WORKDIR /app\n{programs}{runtime_setup}COPY --from=build --chown=1000:1000 /app ./\n{tail}",
            run(&format!("{}{}", without_scripts(&[], trimmed), m.install_all)),
            build_args(profile),
            build_words(build, npm_instead).join(" "),
            m.prune,
        ),
    }
}

/// What the image copies before installing, and the copy of the source after it. Each extra
/// install file keeps its path: yarn looks for its release where .yarnrc.yml says. With the
/// source read, exactly the install files that exist; otherwise the usual ones. An install
/// script of the app's own (`postinstall: node scripts/setup.js`, `prisma generate`) reads
/// the project's files, which must be there when it runs: the source comes first then.
fn install_copies(profile: &AppProfile, m: &Manager, built: bool) -> (String, String) {
    let source = if built { "COPY . .".to_string() } else { COPY_SOURCE.to_string() };
    if !profile.install_scripts.is_empty() {
        let note = "# The package's own install scripts read its files: the source is copied before installing.";
        return (format!("{note}\n{source}\n"), String::new());
    }
    let manifests = if profile.install_files.is_empty() {
        format!("COPY {} ./\n", m.manifests)
    } else {
        let (root, nested): (Vec<&String>, Vec<&String>) = profile.install_files.iter().partition(|f| !f.contains('/'));
        let root: Vec<&str> = root.iter().map(|f| f.as_str()).collect();
        std::iter::once(format!("COPY {} ./\n", root.join(" ")))
            .chain(nested.iter().map(|file| format!("COPY {file} ./{file}\n")))
            .collect()
    };
    (manifests, format!("{source}\n"))
}

/// The set-up the install step runs first: the package manager's own, and pnpm when an install
/// script of the package calls it but the image installs with another manager (npm, when the
/// lockfile is the workspace's). Only pnpm is enabled: the Node.js images ship Yarn 1 already,
/// and corepack refuses to overwrite it.
fn install_setup(m: &Manager, scripts: &[String]) -> Option<String> {
    let calls_pnpm = scripts
        .iter()
        .any(|command| command.split(|c: char| c.is_whitespace() || "&|;()".contains(c)).any(|word| word == "pnpm"));
    // corepack, or the pnpm release installed, is there already.
    let has_pnpm = m.setup.as_deref().is_some_and(|setup| setup.starts_with("corepack") || setup.contains("pnpm@"));
    match (m.setup.as_deref(), calls_pnpm && !has_pnpm) {
        (Some(setup), true) => Some(format!("{setup} && corepack enable pnpm")),
        (Some(setup), false) => Some(setup.to_string()),
        (None, true) => Some("corepack enable pnpm".to_string()),
        (None, false) => None,
    }
}

/// A command that deletes `scripts` from package.json and sets each trimmed one to its steps
/// kept (deletes it when none are), then `&& `; empty when there is nothing to change.
fn without_scripts(scripts: &[String], trimmed: &[(String, String)]) -> String {
    // The names come from the plan, which may have been edited: only a lifecycle script's
    // name is written into the command, never one that could close its quotes.
    let scripts: Vec<&String> = scripts.iter().filter(|s| is_script_name(s)).collect();
    let trimmed: Vec<&(String, String)> = trimmed.iter().filter(|(s, _)| is_script_name(s)).collect();
    if scripts.is_empty() && trimmed.is_empty() {
        return String::new();
    }
    let mut deletes: String = scripts.iter().map(|s| format!("delete p.scripts['{s}'];")).collect();
    for (script, steps) in trimmed {
        if steps.is_empty() {
            deletes.push_str(&format!("delete p.scripts['{script}'];"));
        } else {
            // A JSON string is a JavaScript one; the shell's double quotes need their own escapes.
            let literal = serde_json::to_string(steps).unwrap_or_default();
            let quoted: String =
                literal.chars().flat_map(|c| if "\"$`\\".contains(c) { vec!['\\', c] } else { vec![c] }).collect();
            deletes.push_str(&format!("p.scripts['{script}']={quoted};"));
        }
    }
    format!(
        "node -e \"const p=require('./package.json');{deletes}require('fs').writeFileSync('package.json',JSON.stringify(p,null,2))\" && "
    )
}

/// `postinstall`, `prepare:husky`: letters, digits and the separators npm script names use.
fn is_script_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || ":_.-".contains(c))
}

/// `ARG` lines for the variables the build inlines into the bundle (Next.js `NEXT_PUBLIC_*`):
/// RUN steps see build arguments as environment variables. A value the instance sets is the
/// default, unless it is a secret (never written into an artifact) or cannot be written on one
/// line; the others wait for `--build-arg`.
fn build_args(profile: &AppProfile) -> String {
    let inlined: Vec<&str> = profile
        .variables
        .iter()
        .filter(|v| v.build_time && v.scope == VariableScope::Runtime && crate::model::is_variable_name(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    if inlined.is_empty() {
        return String::new();
    }
    let mut lines =
        String::from("# The build inlines these into the bundle: pass --build-arg for any without a value.\n");
    for name in inlined {
        let value = profile
            .env
            .iter()
            .find(|e| e.name == name && !e.secret)
            .and_then(|e| e.value.as_deref())
            .filter(|value| !value.chars().any(char::is_control));
        // hadolint's DL3064 reads `KEY` or `TOKEN` in a name as a secret; a public variable is
        // inlined into the browser's bundle by design, so the warning does not apply.
        if looks_sensitive_to_hadolint(name) {
            lines.push_str("# hadolint ignore=DL3064\n");
        }
        match value {
            Some(value) => lines.push_str(&format!("ARG {name}=\"{}\"\n", escaped(value))),
            None => lines.push_str(&format!("ARG {name}\n")),
        }
    }
    lines
}

/// `ARG` lines with a placeholder for each variable the build fails without but keeps nothing
/// of (a Prisma config's `env('DATABASE_URL')`): build arguments reach every `RUN` of the stage,
/// never the running container, so the service's own value is all the app ever connects with.
fn build_placeholders(profile: &AppProfile) -> String {
    let names: Vec<&str> = profile
        .variables
        .iter()
        .filter(|v| v.needed_at_build && crate::model::is_variable_name(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    if names.is_empty() {
        return String::new();
    }
    let mut lines =
        String::from("# The build reads these but keeps nothing of them: placeholders, never the service's values.\n");
    for name in names {
        let upper = name.to_ascii_uppercase();
        let value = if ["URL", "URI", "DSN"].iter().any(|part| upper.split('_').any(|word| word == *part)) {
            "postgresql://placeholder@localhost:5432/placeholder"
        } else {
            "placeholder"
        };
        if looks_sensitive_to_hadolint(name) {
            lines.push_str("# hadolint ignore=DL3064\n");
        }
        lines.push_str(&format!("ARG {name}=\"{value}\"\n"));
    }
    lines
}

/// Whether a word of `name` is one hadolint takes for a secret (`NEXT_PUBLIC_UPLOAD_API_KEY`).
fn looks_sensitive_to_hadolint(name: &str) -> bool {
    const WORDS: [&str; 11] = [
        "KEY",
        "KEYS",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "PASSWORD",
        "PASSWD",
        "PRIVATE",
        "CREDENTIAL",
        "CREDENTIALS",
    ];
    name.split('_').any(|word| WORDS.contains(&word.to_ascii_uppercase().as_str()))
}

/// A value inside a Dockerfile's double quotes: its quotes, backslashes and `$` escaped.
fn escaped(value: &str) -> String {
    value.chars().fold(String::new(), |mut out, c| {
        if matches!(c, '"' | '\\' | '$') {
            out.push('\\');
        }
        out.push(c);
        out
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_script_name_never_reaches_the_command() {
        let tampered = "x'];require('child_process').execSync('id');//".to_string();
        let trimmed =
            [(tampered.clone(), "prisma generate".to_string()), ("postinstall".into(), "prisma generate".into())];
        let command = without_scripts(std::slice::from_ref(&tampered), &trimmed);
        assert!(!command.contains("child_process"), "{command}");
        assert!(command.contains("p.scripts['postinstall']=\\\"prisma generate\\\";"), "{command}");
        assert_eq!(without_scripts(&[tampered], &[]), "", "nothing left to change");
    }

    /// A Next.js app whose build inlines a site URL the instance sets, a key it treats as a
    /// secret, and a name nothing sets.
    fn next_profile() -> AppProfile {
        let variable = |name: &str| serde_json::json!({"name": name, "required": false, "secret": false, "scope": "runtime", "build_time": true, "source": "app/page.js:1"});
        let env = |name: &str, value: Option<&str>, secret: bool| serde_json::json!({"name": name, "value": value, "secret": secret, "source": "user data line 3"});
        serde_json::from_value(serde_json::json!({
            "runtime": {"name": "node", "version": "22", "source": ".nvmrc"},
            "package_manager": "npm", "package_manager_source": "package-lock.json",
            "build_command": ["npm", "run", "build"], "build_source": "package.json scripts.build",
            "entry": null, "entry_source": "", "framework": "Next.js",
            "start_command": ["npx", "next", "start"], "start_source": "package.json scripts.start",
            "port": 3000, "port_source": "Next.js default", "health_check_path": "/", "health_source": "default",
            "env": [env("NEXT_PUBLIC_SITE_URL", Some("https://shop.example.com/?a=\"1\"&b=$x"), false), env("NEXT_PUBLIC_KEY", None, true)],
            "variables": [variable("NEXT_PUBLIC_SITE_URL"), variable("NEXT_PUBLIC_KEY"), variable("NEXT_PUBLIC_NAME")],
            "findings": []
        }))
        .expect("a profile")
    }

    #[test]
    fn values_the_build_inlines_are_build_arguments() {
        let text = dockerfile(&next_profile());
        let args = "ARG NEXT_PUBLIC_SITE_URL=\"https://shop.example.com/?a=\\\"1\\\"&b=\\$x\"\n# hadolint ignore=DL3064\nARG NEXT_PUBLIC_KEY\nARG NEXT_PUBLIC_NAME\nRUN npm run build";
        assert!(text.contains(args), "{text}");
        let (build, run) = text.split_once("\n\nFROM ").unwrap();
        assert!(build.contains("ARG NEXT_PUBLIC_NAME") && !run.contains("ARG "), "only the build stage takes them");
    }

    #[test]
    fn what_the_build_fails_without_gets_a_placeholder_in_the_build_stage_only() {
        let mut profile = next_profile();
        let mut url = profile.variables[0].clone();
        (url.name, url.build_time, url.needed_at_build, url.secret) = ("DATABASE_URL".into(), false, true, true);
        let mut tampered = url.clone();
        tampered.name = "X=1\nRUN curl evil".into();
        profile.variables.extend([url, tampered]);
        let text = dockerfile(&profile);
        let (build, run) = text.split_once("\n\nFROM ").unwrap();
        assert!(
            build.contains("ARG DATABASE_URL=\"postgresql://placeholder@localhost:5432/placeholder\"\nCOPY"),
            "{text}"
        );
        assert!(!run.contains("DATABASE_URL") && !text.contains("evil"), "{text}");
    }

    #[test]
    fn programs_the_code_runs_are_installed_in_the_image_that_runs_it() {
        let mut profile = next_profile();
        profile.system_packages = vec!["ffmpeg".into(), "x; curl evil".into()];
        let text = dockerfile(&profile);
        let (build, run) = text.split_once("\n\nFROM ").unwrap();
        assert!(!build.contains("apt-get"), "{text}");
        assert!(run.contains("apt-get install -y --no-install-recommends ffmpeg \\\n"), "{text}");
        assert!(!text.contains("evil"), "{text}");
    }

    #[test]
    fn the_pnpm_release_the_lockfile_needs_is_installed_and_only_as_a_number() {
        let mut profile = next_profile();
        (profile.package_manager, profile.package_manager_source) = (PackageManager::Pnpm, "pnpm-lock.yaml".into());
        profile.install_files = vec!["package.json".into(), "pnpm-lock.yaml".into()];
        profile.start_command = vec!["pnpm".into(), "start".into()];
        profile.package_manager_release = Some("8".into());
        let text = dockerfile(&profile);
        let (build, run) = text.split_once("\n\nFROM ").unwrap();
        assert!(build.contains("RUN npm install --global pnpm@8 && pnpm install --frozen-lockfile\n"), "{text}");
        assert!(run.contains("RUN npm install --global pnpm@8\n") && !text.contains("corepack"), "{text}");
        profile.package_manager_release = Some("8 && curl evil".into());
        let text = dockerfile(&profile);
        assert!(text.contains("RUN corepack enable && pnpm install") && !text.contains("evil"), "{text}");
    }
}
