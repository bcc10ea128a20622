//! Round 22's held-out findings the code contradicts (helper i): a Nest roles guard registered
//! for the whole app that lets routes without its metadata through, so only the routes
//! carrying its decorator need a login.

use crate::app_fixtures::{findings, profile, profile_of_files};

/// `KindGate` returns `true` when a route names no kind: the app-wide guard turns away only the
/// routes (or classes) carrying `@NeedsKind(...)`, and the open listing answers the check.
#[test]
fn a_nest_app_guard_that_passes_routes_without_its_metadata_guards_only_its_decorator() {
    let app = profile("nest_roles_guard_opt_in");
    assert_eq!(app.health_check_path, "/shelves", "{}", app.health_source);
    assert_eq!(app.health_source, "src/shelves/shelves.controller.ts:12");
    let warned = findings(&app, "no-health-route");
    assert!(warned.iter().all(|f| !f.message.contains("every GET route")), "{warned:?}");
}

const SWAGGER_MAIN: &str = "import { NestFactory } from '@nestjs/core';\nimport { SwaggerModule, DocumentBuilder } from '@nestjs/swagger';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());\n  SwaggerModule.setup('reference', app, doc);\n  await app.listen(3000);\n}\nbootstrap();\n";

const VAULT_CONTROLLER: &str = "import { Controller, Get, UseGuards } from '@nestjs/common';\n\n@UseGuards(TokenGuard)\n@Controller('vault')\nexport class VaultController {\n  @Get()\n  items() {\n    return [];\n  }\n}\n";

/// Every route needs a login and nothing serves `/`, but the bootstrap sets up Nest's Swagger
/// UI in every environment: its page answers the check, never `/`.
#[test]
fn a_nest_swagger_page_answers_when_every_route_needs_a_login() {
    let app = profile_of_files(&[
        (
            "package.json",
            r#"{"name":"shelfkeeper","dependencies":{"@nestjs/core":"10.0.0","@nestjs/common":"10.0.0","@nestjs/swagger":"7.0.0"},
"devDependencies":{"@nestjs/cli":"10.0.0","typescript":"5.0.0"},
"scripts":{"build":"nest build","start:prod":"node dist/main"}}"#,
        ),
        ("tsconfig.json", "{}"),
        ("src/main.ts", SWAGGER_MAIN),
        ("src/vault.controller.ts", VAULT_CONTROLLER),
    ]);
    assert_eq!(app.health_check_path, "/reference", "{}", app.health_source);
    assert_eq!(app.health_source, "src/main.ts:8");
}
