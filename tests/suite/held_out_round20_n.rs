//! Round 20's held-out Node apps (helper n): Nest guards given on a method or for the whole
//! app, durations and encoded keys among the secrets, a compose volume for dependencies, and
//! a production install that skips the development tools' lifecycle scripts.

use crate::app_fixtures::{findings, profile_of_files, variable};

const NEST_PACKAGE: &str = r#"{"name":"shop","dependencies":{"@nestjs/core":"10.0.0","@nestjs/common":"10.0.0"},
"devDependencies":{"@nestjs/cli":"10.0.0","typescript":"5.0.0"},
"scripts":{"build":"nest build","start:prod":"node dist/main"}}"#;

const NEST_MAIN: &str = "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api/v2');\n  await app.listen(3000);\n}\nbootstrap();\n";

/// `@Controller()` with an empty call maps the root of its module; its open `@Get()` answers.
const ROOT_CONTROLLER: &str = "import { Controller, Get } from '@nestjs/common';\n\n@Controller()\nexport class RootController {\n  constructor(private readonly svc: RootService) {}\n\n  @Get()\n  greet(@Ctx() ctx: Context): string {\n    return this.svc.greet(ctx);\n  }\n}\n";

/// The list route's guard sits three decorators below `@Get()`, past a multi-line one.
const ITEMS_CONTROLLER: &str = "@Controller('items')\nexport class ItemsController {\n  @Get()\n  @ApiOkResponse({\n    description: 'items',\n  })\n  @UseGuards(SessionGuard, RolesGuard)\n  @Roles('admin')\n  async list(\n    @Query() q: PageQuery,\n  ) {\n    return this.items.list(q);\n  }\n}\n";

/// A method's own `@UseGuards(...)`, wherever it sits among its decorators, guards the route:
/// the check goes to the open root of the global prefix, never to the guarded list.
#[test]
fn a_nest_method_guard_below_its_route_decorator_guards_it() {
    let app = profile_of_files(&[
        ("package.json", NEST_PACKAGE),
        ("tsconfig.json", "{}"),
        ("src/main.ts", NEST_MAIN),
        ("src/root.controller.ts", ROOT_CONTROLLER),
        ("src/items/items.controller.ts", ITEMS_CONTROLLER),
    ]);
    assert_eq!(app.health_check_path, "/api/v2", "{}", app.health_source);
    assert_eq!(app.health_source, "src/root.controller.ts:7");
}

/// An `APP_GUARD` login guard runs before every route: only one marked `@Public()` is open, so the check goes there.
#[test]
fn a_nest_app_guard_guards_every_route_but_the_public_ones() {
    let module = "@Module({\n  providers: [\n    {\n      provide: APP_GUARD,\n      useClass: JwtAuthGuard,\n    },\n  ],\n})\nexport class AppModule {}\n";
    let open = ITEMS_CONTROLLER.replace("  @UseGuards(SessionGuard, RolesGuard)\n", "");
    let catalog = "@Controller('catalog')\nexport class CatalogController {\n  @Public()\n  @Get('featured')\n  featured() {\n    return 'ok';\n  }\n}\n";
    let app = profile_of_files(&[
        ("package.json", NEST_PACKAGE),
        ("tsconfig.json", "{}"),
        ("src/main.ts", NEST_MAIN),
        ("src/app.module.ts", module),
        ("src/items/items.controller.ts", &open),
        ("src/catalog.controller.ts", catalog),
    ]);
    assert_eq!(app.health_check_path, "/api/v2/catalog/featured", "{}", app.health_source);
}

/// Expiry durations in seconds are numbers, not secrets, whatever token they time; a private
/// key written in base64 is a key, a public one is not.
#[test]
fn token_lifetimes_are_no_secrets_and_an_encoded_private_key_is_one() {
    let config = "import * as Joi from 'joi';\nimport { ConfigModule } from '@nestjs/config';\nexport const options = {\n  validationSchema: Joi.object({\n    AUTH_PRIVATE_KEY_BASE64: Joi.string().required(),\n    AUTH_PUBLIC_KEY_BASE64: Joi.string().required(),\n    AUTH_ACCESS_TOKEN_EXP_IN_SEC: Joi.number().required(),\n    AUTH_REFRESH_TOKEN_EXP_IN_SEC: Joi.number().required(),\n  }),\n};\n";
    let app = profile_of_files(&[
        ("package.json", NEST_PACKAGE),
        ("tsconfig.json", "{}"),
        ("src/main.ts", NEST_MAIN),
        ("src/config/options.ts", config),
    ]);
    let secret = |name: &str| variable(&app, name).secret;
    assert!(secret("AUTH_PRIVATE_KEY_BASE64"));
    assert!(!secret("AUTH_PUBLIC_KEY_BASE64"));
    assert!(!secret("AUTH_ACCESS_TOKEN_EXP_IN_SEC"));
    assert!(!secret("AUTH_REFRESH_TOKEN_EXP_IN_SEC"));
}

/// A dev compose file's volume over `node_modules` keeps the image's packages from the bind
/// mount: rebuilt by every install, it is no state a task would lose.
#[test]
fn a_compose_volume_for_node_modules_is_no_local_state() {
    let compose = "services:\n  api:\n    build: .\n    command: npm run start:dev\n    volumes:\n      - ./:/srv/api:cached\n      - packages:/srv/api/node_modules\n    ports:\n      - 3000:3000\nvolumes:\n  packages:\n";
    let app = profile_of_files(&[
        ("package.json", NEST_PACKAGE),
        ("tsconfig.json", "{}"),
        ("src/main.ts", NEST_MAIN),
        ("docker-compose.yml", compose),
    ]);
    let writes = findings(&app, "local-disk-writes");
    assert!(writes.is_empty(), "{writes:?}");
}
