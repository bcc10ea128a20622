//! The API docs page a Swagger UI handler serves under a wildcard route
//! (`r.GET("/swagger/*any", ginSwagger.WrapHandler(swaggerFiles.Handler))`, echo-swagger's
//! `e.GET("/swagger/*", echoSwagger.WrapHandler)`): it answers `index.html` there without a
//! login and without the database, so a load balancer can check it when nothing else is open.

use super::routes::Route;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};

/// The handlers of swaggo's packages for gin, echo, fiber and net/http.
const HANDLERS: [&str; 4] = ["ginSwagger.", "echoSwagger.", "fiberSwagger.", "httpSwagger."];

/// The docs page of the first open wildcard route a Swagger UI handler answers.
pub(super) fn docs_page(files: &AppFiles, routes: &[Route]) -> Option<Fact<String>> {
    routes.iter().filter(|route| !route.guarded).find_map(|route| {
        let (base, _) = route.path.rsplit_once("/*")?;
        let (file, line) = route.at.rsplit_once(':')?;
        let number: usize = line.parse().ok()?;
        let text = files.files.get(file)?.lines().nth(number.checked_sub(1)?)?;
        HANDLERS
            .iter()
            .any(|handler| text.contains(handler))
            .then(|| fact(format!("{base}/index.html"), route.at.clone()))
    })
}

/// springdoc-openapi's API description (`/v3/api-docs`, or the `springdoc.api-docs.path` the
/// settings give), when the security chain lets a GET of it through: JSON built from the
/// controllers, answered without a login or the database.
pub(super) fn springdoc_page(files: &AppFiles) -> Option<Fact<String>> {
    let (build, line) = ["pom.xml", "build.gradle", "build.gradle.kts"].iter().find_map(|name| {
        let text = files.get(name)?;
        let index = text.lines().position(|l| l.contains("springdoc-openapi"))?;
        Some((*name, index + 1))
    })?;
    let path = settings_path(files).unwrap_or_else(|| "/v3/api-docs".to_string());
    (super::spring_security::permits(files, &path) == Some(true)).then(|| fact(path, format!("{build}:{line}")))
}

/// `springdoc.api-docs.path=/api-docs` in `application.properties`, or its YAML form.
fn settings_path(files: &AppFiles) -> Option<String> {
    let properties = files.files.iter().filter(|(path, _)| path.ends_with("application.properties"));
    for (_, text) in properties {
        if let Some(value) = text.lines().find_map(|l| l.trim().strip_prefix("springdoc.api-docs.path")) {
            return Some(value.trim_start_matches([' ', '=', ':']).trim().to_string()).filter(|v| v.starts_with('/'));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_swagger_route_answers_its_index_page() {
        let text = "func Init() {\n\tr.GET(\"/swagger/*any\", ginSwagger.WrapHandler(swaggerFiles.Handler))\n}\n";
        let files = AppFiles::from_pairs([("routers/router.go", text)]);
        let route = |guarded| Route { path: "/swagger/*any".into(), at: "routers/router.go:2".into(), guarded };
        assert_eq!(docs_page(&files, &[route(false)]).map(|f| f.value).as_deref(), Some("/swagger/index.html"));
        assert_eq!(docs_page(&files, &[route(true)]), None);
    }
}
