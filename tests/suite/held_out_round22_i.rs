//! Round 22's held-out findings the code contradicts (helper i): a Nest roles guard registered
//! for the whole app that lets routes without its metadata through, so only the routes
//! carrying its decorator need a login; an open status route behind a tsconfig alias and a typed
//! Express call, which outranks a Next root page a custom `_app` redirects; Sails routes mapped in
//! `config/routes.js`; a required Adonis `PORT` takes the example env file's value.

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

/// The Express API mounts its router from `@backend/routes` (a tsconfig `paths` alias) at
/// `/api/v2`, whose `router.get<unknown, Reading>('/status', ...)` is open: it outranks the
/// Next root page, which the custom `_app` redirects anyway.
#[test]
fn an_open_status_route_behind_an_alias_outranks_a_redirected_next_root() {
    let app = profile("next_custom_server_status_alias");
    assert_eq!(app.health_check_path, "/api/v2/status", "{}", app.health_source);
    assert_eq!(app.health_source, "server/routes/index.ts:11");
    assert!(findings(&app, "health-page").is_empty());
}

/// A root page whose `_app` answers `getInitialProps` with a 307 is no open page.
#[test]
fn a_next_root_page_whose_app_redirects_is_not_called_open() {
    let files = crate::app_fixtures::files("next_custom_server_status_alias");
    let kept = ["package.json", "src/pages/index.tsx", "src/pages/_app.tsx"];
    let pairs: Vec<(&str, &str)> = kept.iter().map(|path| (*path, files.get(path).expect("fixture file"))).collect();
    let app = profile_of_files(&pairs);
    let pages = findings(&app, "health-page");
    assert!(pages.iter().all(|f| !f.message.contains("no login guards")), "{pages:?}");
    assert_ne!(app.health_source, "src/pages/index.tsx");
}

const SAILS_ROUTES: &str = "module.exports.routes = {\n  'GET /': 'BoatsController.find',\n  'GET /heartbeat': 'HeartbeatController.beat',\n  'POST /boats': 'BoatsController.create',\n  'GET /members/me': { action: 'members/me' },\n};\n";

const SAILS_POLICIES: &str = "module.exports.policies = {\n  HeartbeatController: {\n    '*': [],\n  },\n  '*': ['loadClub', 'isLoggedIn'],\n};\n";

/// Sails maps its routes in `config/routes.js`: the `/heartbeat` route, which the policies
/// leave open, answers the check; the root, under the app-wide login policy, does not.
#[test]
fn sails_config_routes_give_the_health_path() {
    let app = profile_of_files(&[
        ("package.json", r#"{"name":"rowing","scripts":{"start":"node app.js"},"dependencies":{"sails":"^1.5.0"}}"#),
        ("app.js", "const sails = require('sails');\nsails.lift(require('sails/accessible/rc')('sails'));\n"),
        ("config/routes.js", SAILS_ROUTES),
        ("config/policies.js", SAILS_POLICIES),
    ]);
    assert_eq!(app.health_check_path, "/heartbeat", "{}", app.health_source);
    assert_eq!(app.health_source, "config/routes.js:3");
    assert!(findings(&app, "no-health-route").is_empty());
}

const ADONIS_SERVER: &str = "import 'reflect-metadata'\nimport { Ignitor } from '@adonisjs/core'\n\nconst APP_ROOT = new URL('../', import.meta.url)\n\nnew Ignitor(APP_ROOT)\n  .tap((app) => {\n    app.booting(async () => {\n      await import('#start/env')\n    })\n  })\n  .httpServer()\n  .start()\n";

const ADONIS_ENV: &str = "import { Env } from '@adonisjs/core/env'\n\nexport default await Env.create(new URL('../', import.meta.url), {\n  NODE_ENV: Env.schema.enum(['development', 'production'] as const),\n  PORT: Env.schema.number(),\n  HOST: Env.schema.string({ format: 'host' }),\n})\n";

/// The env schema requires `PORT` with no default, so Adonis's own 3333 never applies: the
/// port the example env file gives wins; an optional `PORT` keeps the framework's default.
#[test]
fn a_required_adonis_port_takes_the_example_files_value() {
    let manifest = r#"{"name":"quill","type":"module","scripts":{"start":"node bin/server.js"},"dependencies":{"@adonisjs/core":"^6.14.0"}}"#;
    let optional = ADONIS_ENV.replace("Env.schema.number()", "Env.schema.number.optional()");
    let app = |env: &str| {
        profile_of_files(&[
            ("package.json", manifest),
            ("bin/server.ts", ADONIS_SERVER),
            ("start/env.ts", env),
            (".env.example", "NODE_ENV=development\nPORT=4100\nHOST=0.0.0.0\n"),
        ])
    };
    let required = app(ADONIS_ENV);
    assert_eq!(required.port, 4100, "{}", required.port_source);
    assert!(required.port_source.contains(".env.example:2"), "{}", required.port_source);
    assert_eq!(app(&optional).port, 3333);
}
