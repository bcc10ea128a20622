//! Round 22's held-out install-script and schema classes (helper j): an install script that
//! migrates a database the image build does not have, a hook script that tolerates its missing
//! tool, credentials inside connection URLs, and a Joi schema's defaults and required keys.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};

const NEXT_PAGE: &str = "export default function Home() {\n  return <main>ledger</main>;\n}\n";
const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\nmodel Entry {\n  id Int @id\n}\n";

fn ledger(postinstall: &str) -> ferry::model::AppProfile {
    let manifest = format!(
        r#"{{"name":"ledger","scripts":{{"build":"next build","start":"next start","postinstall":"{postinstall}","db:up":"prisma migrate deploy"}},"dependencies":{{"next":"15.0.0","react":"19.0.0","@prisma/client":"6.0.0","prisma":"6.0.0"}}}}"#
    );
    profile_of_files(&[
        ("package.json", &manifest),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("prisma/schema.prisma", SCHEMA),
        ("src/app/page.tsx", NEXT_PAGE),
    ])
}

/// `postinstall: prisma migrate deploy && prisma generate`: the install in the image build has
/// no database, so the migration fails it. The image keeps `prisma generate` (after the
/// source, which holds the schema) and the migration is the release's separate step.
#[tokio::test]
async fn an_install_script_that_migrates_is_a_build_blocker_and_left_out_of_the_image() {
    let profile = ledger("prisma migrate deploy && prisma generate");
    let blockers = findings(&profile, "build-needs-database");
    assert_eq!(blockers.len(), 1, "{:?}", profile.findings);
    assert!(blockers[0].message.contains("postinstall") && blockers[0].message.contains("prisma migrate deploy"));
    let step = findings(&profile, "migrations-separate-step");
    assert!(step.iter().all(|f| !f.fix.as_deref().unwrap_or_default().contains("npm run postinstall")), "{step:?}");

    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.expect("discovers");
    let image = ferry::generate::dockerfile(&profile, &graph.instance);
    let install = image.lines().find(|line| line.contains("npm ci")).expect(&image);
    assert!(install.contains(r#"p.scripts['postinstall']=\"prisma generate\""#), "{image}");
    let source = image.find("COPY . .").expect(&image);
    assert!(source < image.find("npm ci").unwrap(), "prisma generate reads the schema: {image}");

    // A script whose every step needs the database is dropped whole; `npm run` is followed.
    let profile = ledger("npm run db:up");
    assert_eq!(findings(&profile, "build-needs-database").len(), 1, "{:?}", profile.findings);
    let image = ferry::generate::dockerfile(&profile, &graph.instance);
    assert!(image.contains("delete p.scripts['postinstall']"), "{image}");

    // Generating the client alone needs no database.
    let profile = ledger("prisma generate");
    assert!(findings(&profile, "build-needs-database").is_empty(), "{:?}", profile.findings);
}

fn hooked(postinstall: &str, extra: &str) -> ferry::model::AppProfile {
    let manifest = format!(
        r#"{{"name":"roster","scripts":{{"start":"node server.js","postinstall":"{postinstall}"{extra}}},"dependencies":{{"express":"4.19.2"}},"devDependencies":{{"husky":"9.1.0"}}}}"#
    );
    profile_of_files(&[
        ("package.json", &manifest),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("server.js", "const app = require('express')();\napp.listen(3000);\n"),
    ])
}

/// A postinstall that reaches husky through a package script which catches the missing module
/// goes on without it: a production install does not fail, and the image keeps the script.
#[test]
fn a_hook_script_that_tolerates_its_missing_tool_needs_no_dev_dependencies() {
    let guarded = r#","hooks:husky":"node -e \"try { require('husky')() } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e }\"""#;
    let profile = hooked("npm run hooks:husky", guarded);
    assert!(findings(&profile, "install-needs-dev-deps").is_empty(), "{:?}", profile.findings);
    let profile = hooked("husky || true", "");
    assert!(findings(&profile, "install-needs-dev-deps").is_empty(), "{:?}", profile.findings);
    // The bare tool still fails a production install.
    let profile = hooked("husky", "");
    assert_eq!(findings(&profile, "install-needs-dev-deps").len(), 1, "{:?}", profile.findings);
}

/// `QUEUE_URL` and `EVENTS_URL` name no store ferry knows, but the example file shows what goes
/// there: a broker's URL with a login in it. A plain https service URL stays a setting.
#[test]
fn a_url_whose_example_carries_a_login_is_a_secret() {
    let server = "const app = require('express')();\nconst queue = process.env.QUEUE_URL;\nconst events = process.env.EVENTS_URL;\nconst api = process.env.BILLING_API_URL;\napp.listen(3000);\n";
    let example = "QUEUE_URL=amqp://guest:guest@localhost:5672/\nEVENTS_URL=nats://relay:changeme@localhost:4222\nBILLING_API_URL=https://billing.example.com\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name":"relay","scripts":{"start":"node server.js"},"dependencies":{"express":"4.19.2"}}"#,
        ),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        (".env.example", example),
        ("server.js", server),
    ]);
    assert!(variable(&profile, "QUEUE_URL").secret, "{:?}", variable(&profile, "QUEUE_URL"));
    assert!(variable(&profile, "EVENTS_URL").secret);
    assert!(variable(&profile, "QUEUE_URL").why.as_deref().is_some_and(|why| why.contains("credentials")));
    assert!(!variable(&profile, "BILLING_API_URL").secret);
}

/// Nest's `ConfigModule.forRoot({ validationSchema: schema })` with the Joi schema exported from
/// its own file: each key's `.default(...)` (also below the key, after `.valid(...)`) is the
/// variable's default, `.required()` keys are required, and a committed session secret is a
/// secret default, never shown.
#[test]
fn a_joi_schema_handed_to_the_config_module_gives_defaults_and_requirements() {
    let schema = "import * as Joi from 'joi';\n\nexport const settingsSchema = Joi.object({\n  PORT: Joi.number().default(4000),\n  COOKIE_SECRET: Joi.string().default('changeme'),\n  APP_MODE: Joi.string()\n    .valid('live', 'demo')\n    .default('live'),\n  OWNER_EMAIL: Joi.string().required(),\n  OWNER_PASSWORD: Joi.string().required(),\n});\n";
    let module = "import { Module } from '@nestjs/common';\nimport { ConfigModule } from '@nestjs/config';\nimport { settingsSchema } from './config/settings.schema';\nimport config from './config/config';\n\n@Module({\n  imports: [ConfigModule.forRoot({ load: [config], validationSchema: settingsSchema })],\n})\nexport class AppModule {}\n";
    let config = "export default () => ({\n  port: parseInt(process.env.PORT, 10),\n  cookie: process.env.COOKIE_SECRET,\n  mode: process.env.APP_MODE,\n  owner: { email: process.env.OWNER_EMAIL, password: process.env.OWNER_PASSWORD },\n});\n";
    let main = "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function boot() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(4000);\n}\nboot();\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name":"shop","scripts":{"build":"nest build","start:prod":"node dist/main"},"dependencies":{"@nestjs/core":"10.0.0","@nestjs/common":"10.0.0","@nestjs/config":"3.0.0","joi":"17.0.0"}}"#,
        ),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("src/config/settings.schema.ts", schema),
        ("src/config/config.ts", config),
        ("src/app.module.ts", module),
        ("src/main.ts", main),
    ]);
    assert_eq!(variable(&profile, "APP_MODE").default.as_deref(), Some("live"), "{:?}", profile.variables);
    assert!(!variable(&profile, "APP_MODE").required);
    assert!(variable(&profile, "OWNER_EMAIL").required && variable(&profile, "OWNER_PASSWORD").required);
    let cookie = variable(&profile, "COOKIE_SECRET");
    assert!(cookie.secret && !cookie.required);
    assert!(cookie.default.as_deref().is_some_and(|d| !d.contains("changeme")), "{cookie:?}");
    let said = findings(&profile, "secret-default");
    assert!(said.iter().any(|f| f.message.contains("COOKIE_SECRET") && !f.message.contains("changeme")), "{said:?}");
}
