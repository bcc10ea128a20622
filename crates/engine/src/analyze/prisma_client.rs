//! The Prisma client is code generated from the schema: `@prisma/client` ships a stub that
//! throws at import ("did not initialize yet") until `prisma generate` runs. Its own install
//! hook cannot do it in an image, which installs before the schema is copied, so when no
//! script the build or the install runs generates the client, the image's build does first.

use serde_json::Value;

use super::source::{Fact, fact};

/// The build with `npx prisma generate` first, when the app uses the Prisma client and nothing
/// the image runs generates it.
pub fn with_generation(manifest: &Value, build: Option<Fact<Vec<String>>>) -> Option<Fact<Vec<String>>> {
    let uses_client = ["dependencies", "optionalDependencies"]
        .iter()
        .any(|field| manifest.pointer(&format!("/{field}/@prisma~1client")).is_some());
    if !uses_client || generates(manifest, build.as_ref()) {
        return build;
    }
    let generate = ["npx".to_string(), prisma_cli(manifest), "generate".to_string()];
    let note = "the Prisma client is generated from the schema before the app can load it";
    Some(match build {
        Some(build) => {
            let words = generate.into_iter().chain(["&&".to_string()]).chain(build.value).collect();
            fact(words, format!("{} ({note})", build.source))
        }
        None => fact(generate.to_vec(), format!("package.json dependencies.@prisma/client ({note})")),
    })
}

/// The Prisma CLI to run: the app's own when it declares one, else the release of its client,
/// because npx would otherwise fetch the newest CLI, whose client a major release apart does not
/// load. A version that is not a plain npm range is left out rather than written into the build.
fn prisma_cli(manifest: &Value) -> String {
    let declared = ["dependencies", "devDependencies", "optionalDependencies"]
        .iter()
        .any(|field| manifest.pointer(&format!("/{field}/prisma")).is_some());
    let client = manifest
        .pointer("/dependencies/@prisma~1client")
        .or_else(|| manifest.pointer("/optionalDependencies/@prisma~1client"))
        .and_then(Value::as_str)
        .map(str::trim);
    let plain = |v: &&str| {
        v.starts_with(|c: char| c.is_ascii_digit() || c == '^' || c == '~')
            && v.chars().all(|c| c.is_ascii_alphanumeric() || ".^~-".contains(c))
    };
    match client.filter(plain) {
        Some(version) if !declared => format!("prisma@{version}"),
        _ => "prisma".to_string(),
    }
}

/// Whether a script the image runs, or one it calls by name at any depth, runs
/// `prisma generate` (or a build command that already does).
fn generates(manifest: &Value, build: Option<&Fact<Vec<String>>>) -> bool {
    super::image_scripts::of(manifest, build).iter().any(|(_, body)| says_generate(body))
        || build.is_some_and(|b| says_generate(&b.value.join(" ")))
}

fn says_generate(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "&|;".contains(c))
        .collect::<Vec<&str>>()
        .windows(2)
        .any(|pair| pair[0] == "prisma" && pair[1] == "generate")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(manifest: &str, build: Option<&str>) -> Option<String> {
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        let build = build.map(|b| fact(b.split(' ').map(String::from).collect(), "package.json scripts.build"));
        with_generation(&manifest, build).map(|b| b.value.join(" "))
    }

    #[test]
    fn the_image_generates_the_client_when_nothing_else_does() {
        let client = r#"{"dependencies": {"@prisma/client": "4"}, "devDependencies": {"prisma": "4"}, "scripts": {"build": "nx build"}}"#;
        assert_eq!(built(client, Some("npm run build")).as_deref(), Some("npx prisma generate && npm run build"));
        let bare = r#"{"dependencies": {"@prisma/client": "^4.16.2"}}"#;
        assert_eq!(built(bare, None).as_deref(), Some("npx prisma@^4.16.2 generate"));
    }

    #[test]
    fn without_its_own_cli_the_client_release_is_pinned_when_it_is_a_plain_range() {
        for (version, cli) in [
            ("5.22.0", "prisma@5.22.0"),
            ("~5.1", "prisma@~5.1"),
            ("latest", "prisma"),
            ("workspace:*", "prisma"),
            ("^5 || $(id)", "prisma"),
        ] {
            let manifest = serde_json::json!({"dependencies": {"@prisma/client": version}});
            assert_eq!(prisma_cli(&manifest), cli, "{version}");
        }
    }

    #[test]
    fn a_script_that_generates_at_any_depth_is_enough() {
        let chained = r#"{"dependencies": {"@prisma/client": "7"}, "scripts": {"build": "npm-run-all build-db build-app", "build-db": "npm run build-prisma", "build-prisma": "prisma generate", "build-app": "next build"}}"#;
        assert_eq!(built(chained, Some("npm run build")).as_deref(), Some("npm run build"));
        let postinstall = r#"{"dependencies": {"@prisma/client": "5"}, "scripts": {"postinstall": "prisma generate"}}"#;
        assert_eq!(built(postinstall, None), None);
        let no_prisma = r#"{"dependencies": {"express": "4"}, "scripts": {"build": "tsc"}}"#;
        assert_eq!(built(no_prisma, Some("npm run build")).as_deref(), Some("npm run build"));
    }
}
