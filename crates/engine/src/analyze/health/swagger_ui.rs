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

/// Where the code mounts swagger-ui-express's pages (`router.use('/', swaggerUi.serve, ...)`):
/// they answer a GET without a login, at a path the mount calls above decide.
pub(super) fn express_docs_mount(files: &AppFiles, extensions: &[&str]) -> Option<String> {
    files.with_extensions(extensions).filter(|(_, text)| text.contains("swagger-ui-express")).find_map(
        |(path, text)| {
            let index = text.lines().position(|l| l.contains(".serve,") || l.contains(".serve)"))?;
            Some(format!("{path}:{}", index + 1))
        },
    )
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

/// The page Nest's `SwaggerModule.setup('docs', app, document)` (or nestjs-redoc's
/// `RedocModule.setup`) serves, when the bootstrap sets it up in every environment: HTML built
/// at start, answered without a login or the database. Outside the global prefix unless the
/// call asks for it (`useGlobalPrefix: true`).
pub(super) fn nest_docs_page(files: &AppFiles, extensions: &[&str]) -> Option<Fact<String>> {
    let code = files.with_extensions(extensions).filter(|(path, _)| !crate::analyze::source::is_test_path(path));
    for (path, text) in code {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some((_, arguments)) =
                ["SwaggerModule.setup(", "RedocModule.setup("].iter().find_map(|call| line.split_once(call))
            else {
                continue;
            };
            if !arguments.trim_start().starts_with(['\'', '"', '`']) || conditional(&lines, index) {
                continue;
            }
            let Some(page) = super::mounts::first_literal(arguments) else { continue };
            let prefix = text
                .split_once("setGlobalPrefix(")
                .and_then(|(_, rest)| super::mounts::first_literal(rest))
                .filter(|_| lines[index..].iter().take(6).any(|l| l.contains("useGlobalPrefix: true")))
                .unwrap_or_default();
            let page = super::mounts::join(&format!("/{}", prefix.trim_matches('/')), &page);
            return Some(fact(page, format!("{path}:{}", index + 1)));
        }
    }
    None
}

/// Whether the line sits in an `if` or `else` block (docs served in development only).
fn conditional(lines: &[&str], index: usize) -> bool {
    crate::analyze::enclosing::enclosing_lines(lines, index).any(|(_, line)| {
        let code = line.trim_start();
        ["if ", "if(", "} else", "else"].iter().any(|start| code.starts_with(start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swagger_ui_express_mounted_by_a_router() {
        let docs = "const swaggerUi = require('swagger-ui-express');\nrouter.use('/', swaggerUi.serve, swaggerUi.setup(doc));\n";
        let files = AppFiles::from_pairs([("helpers/docs.js", docs), ("app.js", "app.use(cors());\n")]);
        assert_eq!(express_docs_mount(&files, &["js"]).as_deref(), Some("helpers/docs.js:2"));
        let unused = AppFiles::from_pairs([("app.js", "// swagger-ui-express later\nserver.serve, 1\n")]);
        assert_eq!(express_docs_mount(&unused, &["ts"]), None);
    }

    #[test]
    fn a_wildcard_swagger_route_answers_its_index_page() {
        let text = "func Init() {\n\tr.GET(\"/swagger/*any\", ginSwagger.WrapHandler(swaggerFiles.Handler))\n}\n";
        let files = AppFiles::from_pairs([("routers/router.go", text)]);
        let route = |guarded| Route { path: "/swagger/*any".into(), at: "routers/router.go:2".into(), guarded };
        assert_eq!(docs_page(&files, &[route(false)]).map(|f| f.value).as_deref(), Some("/swagger/index.html"));
        assert_eq!(docs_page(&files, &[route(true)]), None);
    }

    #[test]
    fn nest_swagger_docs_set_up_in_every_environment() {
        let main = "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  SwaggerModule.setup('explorer', app, doc);\n  await app.listen(3000);\n}\n";
        let files = AppFiles::from_pairs([("src/main.ts", main)]);
        assert_eq!(nest_docs_page(&files, &["ts"]).map(|f| f.value).as_deref(), Some("/explorer"));
        let prefixed = main.replace("doc);", "doc, { useGlobalPrefix: true });");
        let files = AppFiles::from_pairs([("src/main.ts", prefixed.as_str())]);
        assert_eq!(nest_docs_page(&files, &["ts"]).map(|f| f.value).as_deref(), Some("/api/explorer"));
        let dev = main.replace("  SwaggerModule", "  if (dev) {\n    SwaggerModule").replace("doc);", "doc);\n  }");
        let files = AppFiles::from_pairs([("src/main.ts", dev.as_str())]);
        assert_eq!(nest_docs_page(&files, &["ts"]), None);
    }
}
