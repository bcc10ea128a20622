//! The stage that builds the front end the server serves, and the line that puts its build
//! where the server looks. The whole source is in the stage, because a bundler's config may
//! reach beside its folder (shared types, the server's templates).

use super::LIBRARY;
use crate::model::FrontendBuild;

/// The stage, before the app's own: its manifests first so the install is cached.
pub fn stage(build: &FrontendBuild) -> String {
    let folder = if build.folder.is_empty() { "/app".to_string() } else { format!("/app/{}", build.folder) };
    let manifests: Vec<String> = build
        .manifests
        .iter()
        .map(|name| if build.folder.is_empty() { name.clone() } else { format!("{}/{name}", build.folder) })
        .collect();
    format!(
        "FROM {LIBRARY}/node:{}-slim AS frontend\nWORKDIR {folder}\nCOPY {} ./\nRUN {}\nWORKDIR /app\nCOPY . .\n\
         WORKDIR {folder}\nRUN {}\n\n",
        build.node_version,
        manifests.join(" "),
        build.install,
        build.build
    )
}

/// The build, copied into the app's folder where the server serves it from.
pub fn copy(build: &FrontendBuild) -> String {
    format!("COPY --from=frontend --chown=1000:1000 /app/{} ./{}\n", build.output, build.destination)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(folder: &str) -> FrontendBuild {
        FrontendBuild {
            folder: folder.to_string(),
            manifests: vec!["package.json".into(), "yarn.lock".into()],
            install: "yarn install --frozen-lockfile && yarn cache clean".into(),
            build: "yarn run build".into(),
            output: "web/dist".into(),
            destination: "static".into(),
            node_version: "22".into(),
            source: "server.py:4".into(),
        }
    }

    #[test]
    fn the_stage_installs_from_the_front_ends_manifests_then_builds_with_the_source() {
        let text = stage(&build("web"));
        assert!(text.starts_with("FROM public.ecr.aws/docker/library/node:22-slim AS frontend\nWORKDIR /app/web\n"));
        assert!(text.contains("COPY web/package.json web/yarn.lock ./\nRUN yarn install"), "{text}");
        assert!(text.ends_with("COPY . .\nWORKDIR /app/web\nRUN yarn run build\n\n"), "{text}");
        assert!(stage(&build("")).contains("WORKDIR /app\nCOPY package.json yarn.lock ./\n"));
        assert_eq!(copy(&build("web")), "COPY --from=frontend --chown=1000:1000 /app/web/dist ./static\n");
    }
}
